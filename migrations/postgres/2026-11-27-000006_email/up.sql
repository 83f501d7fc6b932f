-- Email. Every message owed is a row in `outbox`, written in the same transaction
-- as the event that causes it, and sent later by a worker. The whole message
-- (headers and both parts) is formatted when the row is written, so a resend after
-- a crash is byte for byte the same, Message-ID included.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    message TEXT NOT NULL,
    -- pending, sent or dead (gave up after too many attempts, or refused for good).
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker that claims a row holds it until lease_until; a worker that dies
    -- mid-send lets the lease run out and another worker sends the row.
    lease_owner TEXT,
    lease_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);

-- An address following something: replies to one comment ('comment'), a whole
-- thread ('thread', comment_id is the top-level comment) or a post ('post').
-- Nothing is sent to it before confirmed_at is set (double opt-in for guests;
-- an account's own verified address is confirmed at once).
CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    comment_id BIGINT REFERENCES comments(id) ON DELETE CASCADE,
    confirmed_at TIMESTAMP,
    unsubscribed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subscriptions_post ON subscriptions (post_id, target);
CREATE INDEX subscriptions_comment ON subscriptions (comment_id, target);
CREATE INDEX subscriptions_email ON subscriptions (email);

-- Single-use links sent by email: confirm a subscription, verify an address,
-- reset a password. Only the SHA-256 of the token is kept.
CREATE TABLE email_tokens (
    id BIGSERIAL PRIMARY KEY,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    subscription_id BIGINT REFERENCES subscriptions(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- How an account wants each kind of notification: immediate, daily or off.
-- No row means the kind's default.
CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Notifications kept for the next daily digest of an account that chose "daily".
CREATE TABLE digest_items (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX digest_items_user ON digest_items (user_id, id);

-- When each account's last daily digest was made, so each day gets one.
CREATE TABLE digest_runs (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    last_sent_at TIMESTAMP NOT NULL
);
