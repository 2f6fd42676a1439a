-- Versions before this one did not ask Telegram for `my_chat_member`, so a
-- member who blocked the bot and later unblocked it without writing stayed
-- "unreachable" for good: no reminders, notices or cards. The marks are
-- cleared once; a member who still blocks the bot is marked again by the
-- next message refused (403), and blocking is now followed as it happens.
UPDATE users SET unreachable_since = NULL WHERE unreachable_since IS NOT NULL;
