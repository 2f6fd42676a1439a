//! Pure rules and types: no Telegram, no database.

pub mod activity;
pub mod collation;
pub mod dates;
pub mod invite;
pub mod lang;
pub mod meeting;
pub mod membership;
pub mod permissions;
pub mod report;
pub mod request;
pub mod review_year;
pub mod roster;
pub mod schedule;
pub mod sheet;
pub mod text;
pub mod ward;

pub use lang::Lang;

/// A name made safe for a file name: every character that is not a letter
/// or a digit becomes '-' (Vietnamese letters are kept).
pub fn file_slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}
