//! Invite codes: who they admit, how long they live, and whether one may
//! still be used.

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, distr::Alphanumeric};

/// 22 characters from a 62-letter alphabet: about 131 bits of randomness,
/// and valid as a Telegram deep-link `start` parameter.
pub const CODE_LEN: usize = 22;

pub const SECRETARY_INVITE_DAYS: i64 = 7;
pub const MEMBER_INVITE_DAYS: i64 = 30;
/// A join begun through a member link while it was valid may be sent this
/// many days after it began, though the link expired meanwhile.
pub const JOIN_GRACE_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteKind {
    /// Single use: makes the user secretary of the cell.
    Secretary,
    /// Reusable within the cell until it expires or is replaced.
    Member,
    /// Single use: makes the user an officer of a workplace.
    Officer,
    /// Single use: makes the user a (read-only) supervisor of a ward.
    Supervisor,
    /// Single use: makes the user deputy secretary of the cell.
    Deputy,
    /// Single use: makes the user an administrator of a ward (runs its
    /// cells in chat).
    WardAdmin,
}

impl InviteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteKind::Secretary => "secretary",
            InviteKind::Member => "member",
            InviteKind::Officer => "officer",
            InviteKind::Supervisor => "supervisor",
            InviteKind::Deputy => "deputy",
            InviteKind::WardAdmin => "ward_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "secretary" => Some(InviteKind::Secretary),
            "member" => Some(InviteKind::Member),
            "officer" => Some(InviteKind::Officer),
            "supervisor" => Some(InviteKind::Supervisor),
            "deputy" => Some(InviteKind::Deputy),
            "ward_admin" => Some(InviteKind::WardAdmin),
            _ => None,
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            InviteKind::Member => Duration::days(MEMBER_INVITE_DAYS),
            _ => Duration::days(SECRETARY_INVITE_DAYS),
        }
    }

    /// Every invite but a cell's member link is used once.
    pub fn single_use(self) -> bool {
        self != InviteKind::Member
    }
}

/// Why an invite cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    Unknown,
    Used,
    Revoked,
    Expired,
}

/// What is stored of an invite, as far as the rules need it.
#[derive(Debug, Clone)]
pub struct InviteFacts {
    pub kind: InviteKind,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
    pub revoked: bool,
}

/// Decides whether an invite may be used now.
pub fn check_invite(invite: Option<&InviteFacts>, now: DateTime<Utc>) -> Result<(), InviteProblem> {
    let invite = invite.ok_or(InviteProblem::Unknown)?;
    if invite.revoked {
        return Err(InviteProblem::Revoked);
    }
    if invite.kind.single_use() && invite.used {
        return Err(InviteProblem::Used);
    }
    if now >= invite.expires_at {
        return Err(InviteProblem::Expired);
    }
    Ok(())
}

/// Decides whether a join may be sent through an invite now: as
/// [`check_invite`], except that a link that expired while the join was
/// being filled in is honoured when the join began (`opened_at`) before it
/// expired and less than [`JOIN_GRACE_DAYS`] ago. A revoked (or replaced)
/// link stays refused.
pub fn check_invite_opened(
    invite: Option<&InviteFacts>,
    opened_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), InviteProblem> {
    match (check_invite(invite, now), invite, opened_at) {
        (Err(InviteProblem::Expired), Some(invite), Some(opened))
            if opened < invite.expires_at
                && opened <= now
                && now < opened + Duration::days(JOIN_GRACE_DAYS) =>
        {
            Ok(())
        }
        (checked, ..) => checked,
    }
}

/// A fresh random code.
pub fn new_code() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(CODE_LEN)
        .map(char::from)
        .collect()
}

/// Whether a string could be a code at all (cheap check before the database).
pub fn looks_like_code(s: &str) -> bool {
    (8..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: InviteKind, used: bool, revoked: bool, expires_in_h: i64) -> InviteFacts {
        InviteFacts {
            kind,
            expires_at: now() + Duration::hours(expires_in_h),
            used,
            revoked,
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    #[test]
    fn secretary_codes_are_single_use() {
        assert_eq!(
            check_invite(Some(&facts(InviteKind::Secretary, false, false, 1)), now()),
            Ok(())
        );
        assert_eq!(
            check_invite(Some(&facts(InviteKind::Secretary, true, false, 1)), now()),
            Err(InviteProblem::Used)
        );
    }

    #[test]
    fn member_links_are_reusable_until_expiry() {
        assert_eq!(
            check_invite(Some(&facts(InviteKind::Member, true, false, 1)), now()),
            Ok(())
        );
        assert_eq!(
            check_invite(Some(&facts(InviteKind::Member, true, false, 0)), now()),
            Err(InviteProblem::Expired)
        );
    }

    #[test]
    fn revoked_and_unknown() {
        assert_eq!(
            check_invite(Some(&facts(InviteKind::Member, false, true, 5)), now()),
            Err(InviteProblem::Revoked)
        );
        assert_eq!(check_invite(None, now()), Err(InviteProblem::Unknown));
    }

    #[test]
    fn a_join_begun_while_the_link_was_valid_outlives_its_expiry_for_a_while() {
        let expired = facts(InviteKind::Member, true, false, -1);
        let opened = now() - Duration::hours(2);
        assert_eq!(
            check_invite_opened(Some(&expired), Some(opened), now()),
            Ok(())
        );
        // Begun after it expired, or without a known start: refused.
        let late = now() - Duration::minutes(30);
        assert_eq!(
            check_invite_opened(Some(&expired), Some(late), now()),
            Err(InviteProblem::Expired)
        );
        assert_eq!(
            check_invite_opened(Some(&expired), None, now()),
            Err(InviteProblem::Expired)
        );
        // Begun too long ago.
        let begun = now() - Duration::days(JOIN_GRACE_DAYS);
        assert_eq!(
            check_invite_opened(Some(&expired), Some(begun), now()),
            Err(InviteProblem::Expired)
        );
        // Revoked meanwhile: refused whenever it began.
        let revoked = facts(InviteKind::Member, true, true, -1);
        assert_eq!(
            check_invite_opened(Some(&revoked), Some(opened), now()),
            Err(InviteProblem::Revoked)
        );
    }

    #[test]
    fn codes_are_long_random_and_link_safe() {
        let a = new_code();
        let b = new_code();
        assert_eq!(a.len(), CODE_LEN);
        assert_ne!(a, b);
        assert!(looks_like_code(&a));
        assert!(!looks_like_code("short"));
        assert!(!looks_like_code("has space in it ok"));
    }

    #[test]
    fn lifetimes() {
        assert_eq!(InviteKind::Secretary.lifetime(), Duration::days(7));
        assert_eq!(InviteKind::Member.lifetime(), Duration::days(30));
        assert_eq!(InviteKind::WardAdmin.lifetime(), Duration::days(7));
        for kind in [
            InviteKind::Secretary,
            InviteKind::Member,
            InviteKind::Officer,
            InviteKind::Supervisor,
            InviteKind::Deputy,
            InviteKind::WardAdmin,
        ] {
            assert_eq!(InviteKind::parse(kind.as_str()), Some(kind));
        }
        assert!(InviteKind::WardAdmin.single_use());
    }
}
