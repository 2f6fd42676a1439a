//! Inline and reply keyboards.

use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup,
};

use crate::telegram::callback_data::CallbackData;
use crate::{
    domain::{Lang, activity::ActivityKind},
    store::workplaces::Workplace,
    t,
};

pub const WORKPLACES_PER_PAGE: usize = 8;

/// An inline button that sends `data` when pressed.
pub fn button(text: impl Into<String>, data: CallbackData) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text.into(), data.encode())
}

pub fn kinds(kinds: &[ActivityKind], lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(
        kinds
            .iter()
            .map(|k| vec![button(k.name(lang), CallbackData::Kind(k.id))]),
    )
}

pub fn dates(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "button-today"), CallbackData::DateToday),
        button(t!(lang, "button-yesterday"), CallbackData::DateYesterday),
    ]])
}

/// "Skip" before any photo, "Done" after.
/// The photos step: Done once a photo is received, else Skip; at a
/// resubmission's Change photos (`before`: the report had photos) Skip keeps
/// them, and Remove photos sends the report without any.
pub fn photos(lang: Lang, has_photos: bool, before: bool) -> InlineKeyboardMarkup {
    let label = if has_photos {
        t!(lang, "button-done")
    } else {
        t!(lang, "button-skip")
    };
    let mut row = vec![button(label, CallbackData::PhotosDone)];
    if before && !has_photos {
        row.push(button(
            t!(lang, "button-remove-photos"),
            CallbackData::PhotosRemove,
        ));
    }
    InlineKeyboardMarkup::new([row])
}

pub fn report_confirm(lang: Lang, tag: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "button-submit"), CallbackData::ReportSubmit(tag)),
        button(t!(lang, "button-cancel"), CallbackData::ReportCancel(tag)),
    ]])
}

pub fn join_confirm(lang: Lang, tag: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "button-confirm"), CallbackData::JoinConfirm(tag)),
        button(t!(lang, "button-cancel"), CallbackData::JoinCancel(tag)),
    ]])
}

/// One page of registered workplaces, with paging and "Other".
pub fn workplaces(items: &[Workplace], page: u32, total: i64, lang: Lang) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = items
        .iter()
        .map(|w| vec![button(w.name.clone(), CallbackData::Workplace(w.id))])
        .collect();
    let pages = (total as usize).div_ceil(WORKPLACES_PER_PAGE).max(1) as u32;
    if pages > 1 {
        let mut nav = Vec::new();
        if page > 0 {
            nav.push(button("◀", CallbackData::WorkplacePage(page - 1)));
        }
        if page + 1 < pages {
            nav.push(button("▶", CallbackData::WorkplacePage(page + 1)));
        }
        rows.push(nav);
    }
    rows.push(vec![button(
        t!(lang, "button-workplace-other"),
        CallbackData::WorkplaceOther,
    )]);
    InlineKeyboardMarkup::new(rows)
}

/// /profile's phone question: share-contact, Remove and Keep, as a reply
/// keyboard (Skip, as in the join, would read as "keep").
pub fn profile_phone(lang: Lang) -> KeyboardMarkup {
    KeyboardMarkup::new([
        vec![KeyboardButton::new(t!(lang, "button-share-phone")).request(ButtonRequest::Contact)],
        vec![
            KeyboardButton::new(t!(lang, "button-phone-keep")),
            KeyboardButton::new(t!(lang, "button-phone-remove")),
        ],
    ])
    .resize_keyboard()
    .one_time_keyboard()
}

/// Share-contact and Skip, as a reply keyboard.
pub fn phone(lang: Lang) -> KeyboardMarkup {
    KeyboardMarkup::new([
        vec![KeyboardButton::new(t!(lang, "button-share-phone")).request(ButtonRequest::Contact)],
        vec![KeyboardButton::new(t!(lang, "button-skip"))],
    ])
    .resize_keyboard()
    .one_time_keyboard()
}

pub fn join_decision(id: i64, lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(t!(lang, "button-approve"), CallbackData::JoinApprove(id)),
        button(t!(lang, "button-reject"), CallbackData::JoinReject(id)),
    ]])
}

pub fn report_decision(id: i64, photo_count: i64, lang: Lang) -> InlineKeyboardMarkup {
    let mut rows = vec![vec![
        button(t!(lang, "button-approve"), CallbackData::ReportApprove(id)),
        button(t!(lang, "button-reject"), CallbackData::ReportReject(id)),
    ]];
    if photo_count > 0 {
        rows.push(vec![button(
            t!(lang, "button-show-photos", count = photo_count),
            CallbackData::ReportPhotos(id),
        )]);
    }
    InlineKeyboardMarkup::new(rows)
}

pub fn languages(lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(
            t!(lang, "button-language-vi"),
            CallbackData::Language(Lang::Vi),
        ),
        button(
            t!(lang, "button-language-en"),
            CallbackData::Language(Lang::En),
        ),
    ]])
}

/// A resubmission's summary: each field can be changed, then Submit.
pub fn resubmit_confirm(lang: Lang, tag: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([
        vec![
            button(t!(lang, "resubmit-button-kind"), CallbackData::EditKind),
            button(t!(lang, "resubmit-button-date"), CallbackData::EditDate),
        ],
        vec![
            button(t!(lang, "resubmit-button-text"), CallbackData::EditText),
            button(t!(lang, "resubmit-button-photos"), CallbackData::EditPhotos),
        ],
        vec![
            button(t!(lang, "button-submit"), CallbackData::ReportSubmit(tag)),
            button(t!(lang, "button-cancel"), CallbackData::ReportCancel(tag)),
        ],
    ])
}

/// On a rejection notice: "Edit and resubmit".
pub fn resubmit(id: i64, lang: Lang) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[button(
        t!(lang, "resubmit-button"),
        CallbackData::Resubmit(id),
    )]])
}

/// "Moving there?" when a member opens another cell's link.
pub fn move_confirm(lang: Lang, tag: u32) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[
        button(
            t!(lang, "move-button-confirm"),
            CallbackData::MoveConfirm(tag),
        ),
        button(t!(lang, "button-cancel"), CallbackData::MoveCancel(tag)),
    ]])
}
