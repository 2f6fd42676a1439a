//! Activity reports: what a member may submit and the states it goes through.

use super::membership::{TextError, clean_text};

pub const MAX_DESCRIPTION_CHARS: usize = 1000;
pub const MAX_REJECT_REASON_CHARS: usize = 500;
/// Leaves room for the heading within Telegram's 4,096 characters, which
/// Telegram counts in UTF-16 units (an emoji is two): so does this limit.
pub const MAX_ANNOUNCEMENT_CHARS: usize = 3000;
/// Telegram sends at most ten photos in one album.
pub const MAX_PHOTOS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    Pending,
    Approved,
    Rejected,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Pending => "pending",
            ReportStatus::Approved => "approved",
            ReportStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => ReportStatus::Pending,
            "approved" => ReportStatus::Approved,
            "rejected" => ReportStatus::Rejected,
            _ => return None,
        })
    }
}

/// A decision a secretary takes on a pending report or join request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

pub fn clean_description(input: &str) -> Result<String, TextError> {
    clean_text(input, MAX_DESCRIPTION_CHARS)
}

pub fn clean_reject_reason(input: &str) -> Result<String, TextError> {
    clean_text(input, MAX_REJECT_REASON_CHARS)
}

/// An announcement: every member gets it whole, in one message, so it is
/// measured as Telegram measures it (an emoji counts twice).
pub fn clean_announcement(input: &str) -> Result<String, TextError> {
    let text = clean_text(input, MAX_ANNOUNCEMENT_CHARS)?;
    if text.encode_utf16().count() > MAX_ANNOUNCEMENT_CHARS {
        return Err(TextError::TooLong {
            max: MAX_ANNOUNCEMENT_CHARS,
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_is_measured_as_telegram_measures_it() {
        assert!(clean_announcement(&"â".repeat(3000)).is_ok());
        assert!(clean_announcement(&"🎉".repeat(1500)).is_ok());
        // 3,000 characters, 4,050 UTF-16 units: cut by Telegram if sent.
        let emoji = format!("{}{}", "🎉".repeat(1050), "a".repeat(1950));
        assert_eq!(
            clean_announcement(&emoji),
            Err(TextError::TooLong { max: 3000 })
        );
    }

    #[test]
    fn description_limits() {
        assert_eq!(clean_description(""), Err(TextError::Empty));
        assert_eq!(clean_description(" \n "), Err(TextError::Empty));
        assert!(clean_description(&"â".repeat(1000)).is_ok());
        assert_eq!(
            clean_description(&"â".repeat(1001)),
            Err(TextError::TooLong { max: 1000 })
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            ReportStatus::Pending,
            ReportStatus::Approved,
            ReportStatus::Rejected,
        ] {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReportStatus::parse("x"), None);
    }
}
