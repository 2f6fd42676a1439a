//! Who is writing: the user as the database knows them, in their language.

use teloxide::types::{CallbackQuery, ChatId, Message, User as TgUser};

use super::App;
use crate::{domain::Lang, store::users};

#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: users::User,
    pub lang: Lang,
    /// The private chat with the user.
    pub chat: ChatId,
}

impl Ctx {
    pub fn user_id(&self) -> i64 {
        self.user.id
    }
}

async fn load(app: &App, from: &TgUser) -> Option<Ctx> {
    let id = i64::try_from(from.id.0).ok()?;
    let tg_name = match &from.last_name {
        Some(last) => format!("{} {}", from.first_name, last),
        None => from.first_name.clone(),
    };
    let detected = Lang::from_telegram(from.language_code.as_deref());
    // Before the personal-data notice is agreed to, nothing beyond the
    // Telegram id (and the language to talk in) is stored.
    let record_names = match app.consent {
        None => true,
        Some(version) => match crate::store::consents::standing(&app.pool, id, version).await {
            Ok(standing) => standing.agreed.is_some(),
            Err(err) => {
                tracing::error!(%err, "cannot read the user's consent");
                return None;
            }
        },
    };
    match users::touch(
        &app.pool,
        id,
        &tg_name,
        from.username.as_deref(),
        detected,
        app.now(),
        record_names,
    )
    .await
    {
        Ok(user) => Some(Ctx {
            lang: user.lang(),
            user,
            chat: ChatId(id),
        }),
        Err(err) => {
            tracing::error!(%err, "cannot record user");
            None
        }
    }
}

/// Context for a message in a private chat; other chats are ignored.
pub async fn from_message(app: App, msg: Message) -> Option<Ctx> {
    if !msg.chat.is_private() {
        return None;
    }
    load(&app, msg.from.as_ref()?).await
}

pub async fn from_callback(app: App, q: CallbackQuery) -> Option<Ctx> {
    load(&app, &q.from).await
}
