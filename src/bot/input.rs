//! Reading free text from a message: the text, or why it will not do.

use teloxide::types::Message;

use crate::{
    domain::{Lang, membership::TextError},
    t,
};

/// The message's text, cleaned by `clean`; or, as the error, what to tell
/// the user (not text at all, empty, too long).
pub fn text(
    lang: Lang,
    msg: &Message,
    clean: impl Fn(&str) -> Result<String, TextError>,
) -> Result<String, String> {
    text_explained(lang, msg, clean, problem)
}

/// Like [`text`], with the step's own words for an empty or long text.
pub fn text_explained(
    lang: Lang,
    msg: &Message,
    clean: impl Fn(&str) -> Result<String, TextError>,
    explain: fn(Lang, TextError) -> String,
) -> Result<String, String> {
    match msg.text().map(clean) {
        Some(Ok(text)) => Ok(text),
        Some(Err(err)) => Err(explain(lang, err)),
        None => Err(t!(lang, "error-expect-text")),
    }
}

/// Why a typed text was refused.
pub fn problem(lang: Lang, err: TextError) -> String {
    match err {
        TextError::Empty => t!(lang, "error-empty-text"),
        TextError::TooLong { max } => {
            t!(lang, "error-too-long", max = crate::i18n::count(lang, max))
        }
        TextError::NotAName => t!(lang, "error-not-a-name"),
    }
}
