-- Moderation: site settings editable by admins, a per-post override of the
-- pre-moderation mode, trusted accounts, what moderation knows about each comment,
-- the audit log, rate-limit hits and the spam blocklist.

-- Site-wide settings an admin changes at run time (name -> value); absent = default.
CREATE TABLE site_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- NULL follows the site setting; otherwise 'all', 'first_time' or 'none'.
ALTER TABLE posts ADD COLUMN moderation TEXT;
-- A trusted account's comments skip pre-moderation.
ALTER TABLE users ADD COLUMN trusted BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per comment: where it came from (ip, dropped after the retention period),
-- why it was held, and the last moderation decision. The comments table is full.
CREATE TABLE comment_moderation (
    comment_id BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    ip TEXT,
    held_reason TEXT,
    spam_suspected BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by TEXT,
    decided_at TIMESTAMP,
    reject_reason TEXT,
    edited_by_moderator TEXT,
    edited_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX comment_moderation_ip_age ON comment_moderation (created_at) WHERE ip IS NOT NULL;

-- The queue (held and hidden comments, oldest first) and an author's history by email.
CREATE INDEX comments_status_created ON comments (status, created_at);
CREATE INDEX comments_email_status ON comments (LOWER(author_email), status);

-- Every moderator and admin action. The application only ever inserts; the triggers
-- refuse changes, so the record cannot be edited from the app.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id BIGINT,
    target_label TEXT NOT NULL DEFAULT '',
    before_value TEXT,
    after_value TEXT,
    reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_action ON audit_log (action, created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, created_at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Rate limiting shared by every app instance on the database: one row per counted
-- action, read back over the limit's window, pruned by the periodic task.
CREATE TABLE rate_limit_hits (
    id BIGSERIAL PRIMARY KEY,
    action TEXT NOT NULL,
    key TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX rate_limit_hits_key ON rate_limit_hits (action, key, at);
CREATE INDEX rate_limit_hits_at ON rate_limit_hits (at);

-- Spam rules an admin edits: kind is 'word', 'domain', 'ip' or 'email'.
CREATE TABLE blocklist (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    pattern TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (kind, pattern)
);
