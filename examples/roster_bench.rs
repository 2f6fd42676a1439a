//! Roster benchmark: a 5,000-row XLSX roster read, previewed against 20,000
//! registered members, imported, then the workplace's unregistered people
//! computed as `/status` does.
//!
//!     cargo run --release --example roster_bench
//!     BENCH_ROWS=5000 BENCH_MEMBERS=20000 cargo run --release --example roster_bench
//!
//! Prints the time of each step and the process's peak memory (VmHWM):
//! the peak is reset (`/proc/self/clear_refs`) before reading and before
//! importing, so each phase's peak is its own (the seeding's is not in it).

use std::time::{Duration, Instant};

use chrono::Utc;
use lienhe::{domain::roster, roster_file, store};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Resident memory now (VmRSS), MiB.
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Resets the peak (VmHWM) to the current resident size; false where the
/// kernel does not allow it (the peak then covers the whole run).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

const SURNAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
const MIDDLE: [&str; 4] = ["Văn", "Thị", "Đức", "Ngọc"];

fn name(i: usize) -> String {
    format!(
        "{} {} Người {i}",
        SURNAMES[i % SURNAMES.len()],
        MIDDLE[(i / 8) % MIDDLE.len()]
    )
}

fn phone(i: usize) -> String {
    format!("09{:08}", i)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows = env_num("BENCH_ROWS", 5_000);
    let members = env_num("BENCH_MEMBERS", 20_000);
    let dir = tempfile::tempdir()?;
    let pool = store::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    let now = Utc::now();

    // 20,000 approved members in 400 cells; the first workplace is ours.
    let seeding = Instant::now();
    {
        let mut tx = store::tx::begin(&pool).await?;
        sqlx::query("INSERT INTO wards (id, name, created_at) VALUES (1, 'Phường 1', ?)")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO workplaces (id, name, name_key, created_at) VALUES (1, 'Sở A', 'sở a', ?)",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for c in 1..=400 {
            sqlx::query("INSERT INTO cells (id, ward_id, name, created_at) VALUES (?, 1, ?, ?)")
                .bind(c)
                .bind(format!("Chi bộ khối {c}"))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for i in 0..members {
            let id = 1_000_000 + i as i64;
            sqlx::query(
                "INSERT INTO users (id, full_name, tg_name, language, first_seen_at, last_seen_at)
                 VALUES (?, ?, ?, 'vi', ?, ?)",
            )
            .bind(id)
            .bind(name(i))
            .bind(format!("u{i}"))
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // Every other member has a phone (stored as typed, +84 form).
            let phone = (i % 2 == 0).then(|| format!("+84{}", &phone(i)[1..]));
            sqlx::query(
                "INSERT INTO memberships (token, user_id, cell_id, full_name, phone, status,
                                          requested_at, decided_at, workplace_id)
                 VALUES (?, ?, ?, ?, ?, 'approved', ?, ?, ?)",
            )
            .bind(format!("bench-{i}"))
            .bind(id)
            .bind((i % 400) as i64 + 1)
            .bind(name(i))
            .bind(phone)
            .bind(now)
            .bind(now)
            .bind((i % 4 == 0).then_some(1_i64))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    let seeding = seeding.elapsed();

    // The roster: rows 0..rows/2 are members (by phone or by name), the
    // rest are people nobody registered.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h)?;
    }
    for r in 0..rows {
        let i = if r < rows / 2 { r * 2 } else { members + r };
        let line = r as u32 + 1;
        sheet.write_string(line, 0, name(i))?;
        if r % 3 != 1 {
            sheet.write_string(line, 1, phone(i))?;
        }
        sheet.write_string(line, 2, "Chuyên viên")?;
        sheet.write_string(line, 3, "05/03/1980")?;
    }
    let bytes = book.save_to_buffer()?;
    let file_kib = bytes.len() as f64 / 1024.0;

    let reset = reset_peak();
    let base = rss_mib();
    let started = Instant::now();
    let parsed = tokio::task::spawn_blocking(move || roster_file::read(&bytes))
        .await?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let parse = started.elapsed();

    let started = Instant::now();
    let registered = store::roster::registered(&pool).await?;
    let preview = roster::preview(&parsed, &registered, 1, &[]);
    let previewing = started.elapsed();
    let preview_peak = peak_mib();

    reset_peak();
    let import_base = rss_mib();
    let started = Instant::now();
    let upload = store::roster::create_upload(&pool, None, 1, &parsed.rows, now).await?;
    let outcome = store::roster::import(&pool, upload, None, now).await?;
    let import = started.elapsed();
    let import_peak = peak_mib();

    let started = Instant::now();
    let unregistered = store::roster::unregistered(&pool, 1).await?;
    let status = started.elapsed();

    println!(
        "roster: {rows} rows ({file_kib:.0} KiB XLSX) against {members} members (seeded in {:.1} s)",
        seeding.as_secs_f64()
    );
    println!(
        "read + parse: {:.0} ms; preview: {:.0} ms ({} matched, {} not registered, {} bad)",
        ms(parse),
        ms(previewing),
        preview.matched.len(),
        preview.unregistered.len(),
        preview.bad.len()
    );
    println!(
        "store the upload + import: {:.0} ms ({outcome:?}); /status's unregistered: {:.0} ms ({})",
        ms(import),
        ms(status),
        unregistered.len()
    );
    println!(
        "peak memory (VmHWM{}): read + preview {preview_peak:.1} MiB (from {base:.1}), \
         upload + import {import_peak:.1} MiB (from {import_base:.1}); whole run {:.1} MiB",
        if reset {
            ", reset per phase"
        } else {
            ", not resettable here: whole run"
        },
        peak_mib()
    );
    Ok(())
}
