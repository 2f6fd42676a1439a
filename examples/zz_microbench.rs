use std::time::Instant;
fn cpu() -> f64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    (ru.ru_utime.tv_sec as f64 + ru.ru_utime.tv_usec as f64 / 1e6)
        + (ru.ru_stime.tv_sec as f64 + ru.ru_stime.tv_usec as f64 / 1e6)
}
fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = lienhe::store::open(&url).await.unwrap();
        let n = 5000;
        for _ in 0..2 {
            let (c0, t0) = (cpu(), Instant::now());
            for i in 0..n {
                let _: i64 = sqlx::query_scalar("SELECT ?")
                    .bind(i as i64)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            }
            println!(
                "pool:  {:.1} µs cpu, {:.1} µs wall",
                (cpu() - c0) * 1e6 / n as f64,
                t0.elapsed().as_micros() as f64 / n as f64
            );
            let mut conn = pool.acquire().await.unwrap();
            let (c0, t0) = (cpu(), Instant::now());
            for i in 0..n {
                let _: i64 = sqlx::query_scalar("SELECT ?")
                    .bind(i as i64)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
            }
            println!(
                "conn:  {:.1} µs cpu, {:.1} µs wall",
                (cpu() - c0) * 1e6 / n as f64,
                t0.elapsed().as_micros() as f64 / n as f64
            );
            drop(conn);
            let (c0, t0) = (cpu(), Instant::now());
            for _ in 0..n {
                let tx = lienhe::store::tx::begin(&pool).await.unwrap();
                tx.commit().await.unwrap();
            }
            println!(
                "empty tx: {:.1} µs cpu, {:.1} µs wall",
                (cpu() - c0) * 1e6 / n as f64,
                t0.elapsed().as_micros() as f64 / n as f64
            );
        }
    });
}
