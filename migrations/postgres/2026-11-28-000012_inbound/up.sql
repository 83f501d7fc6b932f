-- Replies received by email: one row per message taken (its Message-ID, so the same
-- message delivered twice is posted once), with what became of it. A refused
-- official reply keeps its text (body) and waits for a moderator (review = 'open')
-- until one posts it ('posted') or dismisses it ('dismissed').
CREATE TABLE inbound_messages (
    id BIGSERIAL PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    comment_id BIGINT REFERENCES comments(id) ON DELETE SET NULL,
    official_role_id BIGINT REFERENCES official_roles(id) ON DELETE SET NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    reply_id BIGINT REFERENCES comments(id) ON DELETE SET NULL,
    body TEXT,
    review TEXT,
    reviewed_by TEXT,
    reviewed_at TIMESTAMP,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX inbound_messages_review ON inbound_messages (review, id);
CREATE INDEX inbound_messages_received ON inbound_messages (received_at);
