//! Configuration from the environment (and an optional `.env` file).

use std::time::Duration;

use chrono_tz::Tz;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://lienhe.db";
pub const DEFAULT_TIMEZONE: &str = "Asia/Ho_Chi_Minh";

/// Long-polling timeout: below teloxide's 17 s HTTP timeout.
pub const POLLING_TIMEOUT: Duration = Duration::from_secs(10);

/// The slowest the sender goes, in messages per second: a configured rate
/// below it (`LIENHE_SEND_RATE=0.05`, a paid rate too) is raised to it.
pub const MIN_SEND_RATE: f64 = 0.1;

/// The rate the sender sends at for a configured `rate`: the one place
/// that decides it, so `broadcasts` estimates at the rate `run` sends at
/// and `doctor` warns about the same values.
pub fn effective_send_rate(rate: f64) -> f64 {
    rate.max(MIN_SEND_RATE)
}

pub fn parse_timezone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone: {name}"))
}

/// `RUST_LOG`'s value as a log filter, or why it is none (a level
/// misspelt: `lienhe=degub`).
pub fn log_filter(value: &str) -> Result<tracing_subscriber::EnvFilter, String> {
    tracing_subscriber::EnvFilter::builder()
        .parse(value)
        .map_err(|e| format!("not a log filter ({e})"))
}

/// `url` as it may be shown (a log, `doctor`): a password in it is masked.
pub fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("****"));
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        // Unparsed: whatever stands before an `@` may be credentials.
        Err(_) => match url.rsplit_once('@') {
            Some((_, host)) => format!("****@{host}"),
            None => url.to_string(),
        },
    }
}

/// The Bot API's address teloxide will use (`TELOXIDE_API_URL`, or
/// Telegram's own when it is unset), once it and `TELOXIDE_PROXY` are
/// checked: teloxide panics on a value it cannot use. The error names the
/// variable at fault.
pub fn telegram_api_url() -> Result<url::Url, String> {
    let api = match std::env::var("TELOXIDE_API_URL") {
        Ok(url) => url::Url::parse(&url)
            .map_err(|err| format!("TELOXIDE_API_URL is not a URL ({}): {err}", shown_url(&url)))?,
        Err(_) => url::Url::parse("https://api.telegram.org").map_err(|err| err.to_string())?,
    };
    if let Ok(proxy) = std::env::var("TELOXIDE_PROXY") {
        reqwest::Proxy::all(&proxy).map_err(|err| {
            format!(
                "TELOXIDE_PROXY is not a usable proxy URL ({}): {err}",
                shown_url(&proxy)
            )
        })?;
    }
    Ok(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            shown_url("http://operator:hunter2@proxy.local:3128"),
            "http://operator:****@proxy.local:3128/"
        );
        assert_eq!(
            shown_url("https://api.telegram.org"),
            "https://api.telegram.org"
        );
        assert_eq!(shown_url("not a url user:pw@host"), "****@host");
    }
}
