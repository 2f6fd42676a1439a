//! Background work: the scheduler that queues monthly reminders, digests
//! and stale-approval notes, and the one rate-limited sender that drains
//! the persistent outbox.

pub mod backup;
pub mod escalation;
pub mod rate;
pub mod reminders;
pub mod scheduler;
pub mod sender;
pub mod sheet_silence;
// meetings
pub mod meetings;
pub mod officer_digest;
