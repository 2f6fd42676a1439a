//! Year-end benchmark: the sheets of 10,000 members (evidence, draft,
//! sealed content, the DOCX and PDF forms) and the XLSX export of all of them.
//!
//!     cargo run --release --example yearend_bench
//!     BENCH_MEMBERS=2000 cargo run --release --example yearend_bench
//!
//! Prints the time of each step and the process's peak memory.

use std::{sync::Arc, time::Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use lienhe::{
    bot::App,
    clock::{ManualClock, SharedClock},
    export,
    sheet::{build, docx::render_docx, pdf::render_pdf},
    store::{self, audit, sheets, yearly::Scope},
};

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let members: i64 = std::env::var("BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let per_cell = 100;
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let now = tz
        .with_ymd_and_hms(2026, 12, 10, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let clock: SharedClock = Arc::new(ManualClock::new(now));
    let dir = tempfile::tempdir()?;
    let pool = store::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    let app = App::new(pool.clone(), clock, tz);

    // A ward of cells, a secretary per cell, members with eight approved
    // reports each (every approval in the audit chain).
    let seed = Instant::now();
    let joined = tz
        .with_ymd_and_hms(2025, 6, 1, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let ward = store::wards::add(&pool, "Phường thử nghiệm", now).await?;
    let workplace = store::workplaces::add(&pool, "Sở thử nghiệm", now).await?;
    let kinds: Vec<i64> = sqlx::query_scalar("SELECT id FROM activity_kinds ORDER BY position")
        .fetch_all(&pool)
        .await?;
    let mut tx = lienhe::store::tx::begin(&pool).await?;
    let mut cell = 0;
    for id in 1..=members {
        if (id - 1) % per_cell == 0 {
            cell = sqlx::query_scalar(
                "INSERT INTO cells (ward_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
            )
            .bind(ward)
            .bind(format!("Chi bộ {}", id / per_cell + 1))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let secretary = 1_000_000 + cell;
            sqlx::query("INSERT INTO users (id, full_name, tg_name, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)")
                .bind(secretary).bind(format!("Bí thư {cell}")).bind("bt").bind(now).bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO cell_secretaries (cell_id, user_id, since) VALUES (?, ?, ?)")
                .bind(cell)
                .bind(secretary)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO users (id, full_name, tg_name, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)")
            .bind(id).bind(format!("Đảng viên {id}")).bind("dv").bind(now).bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO memberships (id, token, user_id, cell_id, full_name, workplace_id, status, requested_at, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, 'approved', ?, ?)",
        )
        .bind(id).bind(format!("m{id}")).bind(id).bind(cell).bind(format!("Đảng viên {id}")).bind(workplace).bind(joined).bind(joined)
        .execute(&mut *tx).await?;
        for r in 0..8i64 {
            let date =
                NaiveDate::from_ymd_opt(2026, 1 + ((id + r * 3) % 11) as u32, 1 + (r as u32 * 3))
                    .unwrap();
            let report: i64 = sqlx::query_scalar(
                "INSERT INTO reports (token, membership_id, user_id, cell_id, kind_id, activity_date, description, status, created_at, decided_at, decided_by)
                 VALUES (?, ?, ?, ?, ?, ?, 'Hoạt động', 'approved', ?, ?, ?) RETURNING id",
            )
            .bind(format!("r{id}-{r}")).bind(id).bind(id).bind(cell).bind(kinds[(r as usize + id as usize) % kinds.len()])
            .bind(date).bind(now).bind(now).bind(1_000_000 + cell)
            .fetch_one(&mut *tx).await?;
            let entry = audit::Entry {
                actor: Some(1_000_000 + cell),
                action: "approve",
                subject: "report",
                subject_id: report,
                details: serde_json::json!({}),
            };
            audit::append(&mut tx, entry, now).await?;
        }
    }
    tx.commit().await?;
    let seed_time = seed.elapsed();

    // Every member's sheet: evidence, draft with suggestions, sealed
    // content and the DOCX form.
    let started = Instant::now();
    let today = app.today();
    let mut docx_bytes = 0usize;
    let mut draft_time = std::time::Duration::ZERO;
    let mut docx_time = std::time::Duration::ZERO;
    let mut pdf_bytes = 0usize;
    let mut pdf_time = std::time::Duration::ZERO;
    for id in 1..=members {
        let t0 = Instant::now();
        let ctx = build::load(&pool, id, 2026, today, tz)
            .await?
            .expect("a member");
        // Opened by the cell's secretary (seeded as 1,000,000 + the cell).
        let secretary = 1_000_000 + ctx.member.cell_id;
        let suggested = ctx.evidence.suggest();
        let sheets::Opened::Sheet(sheet) =
            sheets::open_draft(&pool, (id, 2026), &suggested, secretary, now).await?
        else {
            anyhow::bail!("member {id}: a sheet signed elsewhere, or not the secretary's");
        };
        draft_time += t0.elapsed();
        let t1 = Instant::now();
        let frozen = build::frozen(&pool, &ctx, 1_000_000).await?;
        let content = build::content(&ctx, &sheet, frozen, 1_000_000, now);
        let (_, _, code) = build::seal(&content);
        let doc = build::document(
            &content,
            build::evidence_lines(lienhe::domain::Lang::Vi, &ctx),
            &code,
            tz,
        );
        docx_bytes += render_docx(&doc)?.len();
        docx_time += t1.elapsed();
        let t2 = Instant::now();
        pdf_bytes += render_pdf(&doc)?.len();
        pdf_time += t2.elapsed();
    }
    let sheets_time = started.elapsed();

    let t2 = Instant::now();
    let table = export::table(
        &pool,
        Scope::Ward(ward),
        2026,
        today,
        tz,
        lienhe::domain::Lang::Vi,
    )
    .await?;
    let xlsx = export::to_xlsx(&table, "2026")?;
    let export_time = t2.elapsed();

    println!(
        "members:                 {members} in {} cells, 8 approved reports each",
        members / per_cell
    );
    println!("seeding the database:    {:.1} s", seed_time.as_secs_f64());
    println!(
        "sheets (all members):    {:.1} s = {:.2} ms per member",
        sheets_time.as_secs_f64(),
        sheets_time.as_secs_f64() * 1000.0 / members as f64
    );
    println!("  evidence + draft:      {:.1} s", draft_time.as_secs_f64());
    println!(
        "  sealed content + DOCX: {:.1} s ({:.1} MiB of DOCX)",
        docx_time.as_secs_f64(),
        docx_bytes as f64 / 1048576.0
    );
    println!(
        "  PDF:                   {:.1} s ({:.1} MiB of PDF)",
        pdf_time.as_secs_f64(),
        pdf_bytes as f64 / 1048576.0
    );
    println!(
        "XLSX export:             {:.1} s, {} rows, {:.1} MiB",
        export_time.as_secs_f64(),
        table.rows.len(),
        xlsx.len() as f64 / 1048576.0
    );
    match peak_memory_mib() {
        Some(mib) => println!("peak memory:             {mib:.1} MiB"),
        None => println!("peak memory:             unknown"),
    }
    Ok(())
}
