//! Pure rules and types: no Telegram, no database.

pub mod activity;
pub mod dates;
pub mod invite;
pub mod lang;
pub mod membership;
pub mod permissions;
pub mod report;
pub mod review_year;
pub mod schedule;
pub mod sheet;

pub use lang::Lang;
