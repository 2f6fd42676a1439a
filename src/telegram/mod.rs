//! What the chat handlers and the jobs both need of Telegram: the callback
//! codec, the sending helpers and how a list names members.

pub mod callback_data;
pub mod named;
pub mod send;
// meetings
pub mod meeting_notices;
