//! What the chat handlers and the jobs both need of Telegram: the callback
//! codec and the sending helpers.

pub mod callback_data;
pub mod send;
// meetings
pub mod meeting_notices;
