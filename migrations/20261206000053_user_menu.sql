-- The command menu last set for the user's private chat: the language and
-- roles it was set for (`Roles::menu_key`). NULL: never set for this chat,
-- so the default menu of the user's language shows. A role changed where
-- the bot could not set the menu (from the command line) is caught at the
-- user's next message, when the roles read no longer give this key.
ALTER TABLE users ADD COLUMN menu TEXT;
