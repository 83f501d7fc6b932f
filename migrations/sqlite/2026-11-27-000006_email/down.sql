DROP TABLE digest_runs;
DROP TABLE digest_items;
DROP TABLE notification_preferences;
DROP TABLE email_tokens;
DROP TABLE subscriptions;
DROP TABLE outbox;
