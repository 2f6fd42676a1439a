//! Who is writing: the user as the database knows them, in their language.

use std::sync::Arc;

use teloxide::{
    Bot,
    types::{CallbackQuery, ChatId, Message, MessageKind, User as TgUser},
};

use super::{App, Dialogue, DialogueStorage, state::State};
use crate::{
    domain::{Lang, permissions::Roles},
    store::{consents::Standing, dialogues, users},
    telegram::send,
};

/// Read once, in one statement, when an update arrives: every filter and
/// handler of the update sees the database as it was at that moment.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: users::User,
    pub lang: Lang,
    /// The private chat with the user.
    pub chat: ChatId,
    /// The user's roles when the update arrived.
    pub roles: Roles,
    /// The dialogue the user is in (the default state if none).
    pub state: State,
    /// Where the user stands with the personal-data notice in force (none
    /// when no notice is).
    pub consent: Option<Standing>,
    /// The key of the command menu last set for the chat, if any.
    pub menu: Option<String>,
    /// When the user sent it, as Telegram stamped it (a message that waited
    /// at Telegram while the bot was unreachable is older than its
    /// handling); a press, or a stamp not in the last day, counts as now.
    pub sent_at: chrono::DateTime<chrono::Utc>,
}

impl Ctx {
    pub fn user_id(&self) -> i64 {
        self.user.id
    }

    /// Whether the user has no role at all (not even a join waiting).
    pub fn has_no_role(&self) -> bool {
        self.roles == Roles::default()
    }

    /// Whether the user has no role besides, perhaps, a request to join
    /// that waits.
    pub fn has_no_role_but_a_join(&self) -> bool {
        Roles {
            pending_member: false,
            ..self.roles
        } == Roles::default()
    }

    /// A command refused for want of a role: to somebody with other roles,
    /// also where their own commands are listed; to somebody who has not
    /// joined anything yet, how to join; to one whose membership ended (and
    /// who holds no role now), in which cell and since when, not that they
    /// never joined.
    pub async fn refusal(&self, app: &App, text: String) -> anyhow::Result<String> {
        if !self.has_no_role() {
            let help = crate::t!(self.lang, "refusal-see-help");
            return Ok(format!("{text}\n\n{help}"));
        }
        let why = match super::report::ended_text(app, self).await? {
            Some(ended) => ended,
            None => crate::t!(self.lang, "not-joined"),
        };
        Ok(format!("{text}\n\n{why}"))
    }

    /// Sends [`Ctx::refusal`] of `text` to the chat.
    pub async fn refuse(&self, bot: &Bot, app: &App, text: String) -> anyhow::Result<()> {
        let text = self.refusal(app, text).await?;
        crate::telegram::send::text(bot, self.chat, text).await?;
        Ok(())
    }
}

async fn load(
    bot: &Bot,
    app: &App,
    from: &TgUser,
    pressed: Option<&CallbackQuery>,
    sent_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Option<Ctx> {
    let id = i64::try_from(from.id.0).ok()?;
    let tg_name = match &from.last_name {
        Some(last) => format!("{} {}", from.first_name, last),
        None => from.first_name.clone(),
    };
    let detected = Lang::from_telegram(from.language_code.as_deref());
    // Heard from now: a 403 to a send started before is older news.
    app.heard_from(id);
    match users::touch(
        &app.pool,
        id,
        &tg_name,
        from.username.as_deref(),
        detected,
        app.now(),
        app.consent,
    )
    .await
    {
        Ok(arrival) => Some(Ctx {
            lang: arrival.user.lang(),
            user: arrival.user,
            chat: ChatId(id),
            roles: arrival.roles,
            state: dialogues::parse_state(arrival.dialogue.as_deref()),
            consent: arrival.consent,
            menu: arrival.menu,
            sent_at: sent_at
                .filter(|at| app.now() - *at < chrono::Duration::days(1) && *at <= app.now())
                .unwrap_or_else(|| app.now()),
        }),
        Err(err) => {
            // A user not known yet could not be recorded: nothing of what
            // they did can be; they are told so, not left without an answer.
            tracing::error!(%err, user = id, "cannot record a new user");
            send::not_saved(bot, detected, ChatId(id), pressed).await;
            None
        }
    }
}

/// Context for a message in a private chat; other chats are ignored, and
/// so are service messages (a message pinned, the auto-delete timer set):
/// nobody wrote them as an answer.
pub async fn from_message(bot: Bot, app: App, msg: Message) -> Option<Ctx> {
    if !msg.chat.is_private() || is_service(&msg.kind) {
        return None;
    }
    load(&bot, &app, msg.from.as_ref()?, None, Some(msg.date)).await
}

/// A service message Telegram puts in a private chat on its own (what the
/// user did to the chat, not a message they wrote). Anything else, even a
/// message of a kind teloxide cannot read (`Empty`), is answered.
fn is_service(kind: &MessageKind) -> bool {
    matches!(
        kind,
        MessageKind::Pinned(_)
            | MessageKind::MessageAutoDeleteTimerChanged(_)
            | MessageKind::WriteAccessAllowed(_)
            | MessageKind::ChatBackground(_)
            | MessageKind::ChatBoostAdded(_)
            | MessageKind::ConnectedWebsite(_)
            | MessageKind::ProximityAlertTriggered(_)
            | MessageKind::GiftInfo(_)
            | MessageKind::UniqueGiftInfo(_)
            | MessageKind::RefundedPayment(_)
            | MessageKind::SuccessfulPayment(_)
            | MessageKind::DirectMessagePriceChanged(_)
            | MessageKind::PaidMessagePriceChanged(_)
    )
}

pub async fn from_callback(bot: Bot, app: App, q: CallbackQuery) -> Option<Ctx> {
    load(&bot, &app, &q.from, Some(&q), None).await
}

/// The update's dialogue, in the user's private chat (what teloxide's
/// `enter_dialogue` gives, without reading the state a second time).
pub fn dialogue(storage: Arc<DialogueStorage>, ctx: Ctx) -> Dialogue {
    Dialogue::new(storage, ctx.chat)
}

/// A further item of an album whose first item was answered, at a step that
/// takes no album (the report's photos step takes every item, saying what
/// it did not keep, and its description step keeps the photos; a file step
/// every file): answered once, not once per photo.
pub fn repeated_album_item(msg: Message, app: App, state: State) -> bool {
    use super::state::ReportStep;
    let Some(group) = msg.media_group_id() else {
        return false;
    };
    let takes_albums = match state {
        // The photos step says in one answer what of an album it did not
        // keep, videos and files included.
        State::Report(ReportStep::Photos, _) => true,
        State::Report(ReportStep::Description, _) => msg.photo().is_some(),
        State::RosterFile { .. } | State::CellImportFile { .. } => true,
        _ => false,
    };
    !takes_albums && !app.first_of_album(msg.chat.id.0, &group.0)
}

/// The dialogue's state, as read when the update arrived.
pub fn state(ctx: Ctx) -> State {
    ctx.state
}
