//! The callback codec: every inline button carries a short typed code.
//! Nothing decoded here is trusted; handlers re-check it in the database.

use crate::domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackData {
    /// A secretary approves / rejects a join request.
    JoinApprove(i64),
    JoinReject(i64),
    /// A secretary approves / rejects a report.
    ReportApprove(i64),
    ReportReject(i64),
    /// Show a report's photos.
    ReportPhotos(i64),
    /// Join dialogue: a registered workplace, "Other", another page.
    Workplace(i64),
    WorkplaceOther,
    WorkplacePage(u32),
    JoinConfirm,
    JoinCancel,
    /// Report dialogue.
    Kind(i64),
    DateToday,
    DateYesterday,
    PhotosDone,
    ReportSubmit,
    ReportCancel,
    Language(Lang),
    /// In a monthly reminder: start /report.
    ReportNow,
    /// In a digest: open /pending.
    OpenPending,
    /// Announcement preview.
    AnnounceSend,
    AnnounceCancel,
}

impl CallbackData {
    pub fn encode(self) -> String {
        use CallbackData::*;
        match self {
            JoinApprove(id) => format!("ja:{id}"),
            JoinReject(id) => format!("jr:{id}"),
            ReportApprove(id) => format!("ra:{id}"),
            ReportReject(id) => format!("rr:{id}"),
            ReportPhotos(id) => format!("rp:{id}"),
            Workplace(id) => format!("w:{id}"),
            WorkplaceOther => "wo".into(),
            WorkplacePage(page) => format!("wp:{page}"),
            JoinConfirm => "jc".into(),
            JoinCancel => "jx".into(),
            Kind(id) => format!("k:{id}"),
            DateToday => "dt".into(),
            DateYesterday => "dy".into(),
            PhotosDone => "pd".into(),
            ReportSubmit => "rs".into(),
            ReportCancel => "rx".into(),
            Language(lang) => format!("l:{}", lang.code()),
            ReportNow => "rn".into(),
            OpenPending => "op".into(),
            AnnounceSend => "as".into(),
            AnnounceCancel => "ax".into(),
        }
    }

    /// Decodes button data; anything malformed is `None`.
    pub fn decode(data: &str) -> Option<Self> {
        use CallbackData::*;
        let (tag, arg) = match data.split_once(':') {
            Some((tag, arg)) => (tag, Some(arg)),
            None => (data, None),
        };
        let id = || -> Option<i64> {
            let arg = arg?;
            if arg.is_empty() || arg.len() > 19 || !arg.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            arg.parse().ok()
        };
        Some(match (tag, arg) {
            ("ja", _) => JoinApprove(id()?),
            ("jr", _) => JoinReject(id()?),
            ("ra", _) => ReportApprove(id()?),
            ("rr", _) => ReportReject(id()?),
            ("rp", _) => ReportPhotos(id()?),
            ("w", _) => Workplace(id()?),
            ("wp", _) => WorkplacePage(u32::try_from(id()?).ok()?),
            ("k", _) => Kind(id()?),
            ("l", Some(code)) => Language(Lang::from_code(code)?),
            ("wo", None) => WorkplaceOther,
            ("jc", None) => JoinConfirm,
            ("jx", None) => JoinCancel,
            ("dt", None) => DateToday,
            ("dy", None) => DateYesterday,
            ("pd", None) => PhotosDone,
            ("rs", None) => ReportSubmit,
            ("rx", None) => ReportCancel,
            ("rn", None) => ReportNow,
            ("op", None) => OpenPending,
            ("as", None) => AnnounceSend,
            ("ax", None) => AnnounceCancel,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CallbackData::*;

    #[test]
    fn round_trips_and_fits_telegram_limit() {
        let all = [
            JoinApprove(1),
            JoinReject(i64::MAX),
            ReportApprove(42),
            ReportReject(7),
            ReportPhotos(9),
            Workplace(3),
            WorkplaceOther,
            WorkplacePage(2),
            JoinConfirm,
            JoinCancel,
            Kind(5),
            DateToday,
            DateYesterday,
            PhotosDone,
            ReportSubmit,
            ReportCancel,
            Language(Lang::En),
            Language(Lang::Vi),
            ReportNow,
            OpenPending,
            AnnounceSend,
            AnnounceCancel,
        ];
        for data in all {
            let code = data.encode();
            assert!(code.len() <= 64, "{code}");
            assert_eq!(CallbackData::decode(&code), Some(data), "{code}");
        }
    }

    #[test]
    fn forged_data_is_rejected() {
        for bad in [
            "",
            "ra",
            "ra:",
            "ra:-1",
            "ra:1x",
            "ra:99999999999999999999",
            "zz:1",
            "jc:1",
            "l:fr",
            "ra:1:2",
            "wp:99999999999",
        ] {
            assert_eq!(CallbackData::decode(bad), None, "{bad}");
        }
    }
}
