//! Configuration from the environment (and an optional `.env` file).

use std::time::Duration;

use chrono_tz::Tz;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://lienhe.db";
pub const DEFAULT_TIMEZONE: &str = "Asia/Ho_Chi_Minh";

/// Long-polling timeout: below teloxide's 17 s HTTP timeout.
pub const POLLING_TIMEOUT: Duration = Duration::from_secs(10);

pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone: {name}"))
}
