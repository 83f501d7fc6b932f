-- Response tracking. response_state is NULL only on official replies (they are the
-- responses); every other comment starts 'awaiting'.
ALTER TABLE comments ADD COLUMN response_state TEXT DEFAULT 'awaiting';
ALTER TABLE comments ADD COLUMN department_id BIGINT REFERENCES departments(id);
ALTER TABLE comments ADD COLUMN suggested_department_id BIGINT REFERENCES departments(id);
ALTER TABLE comments ADD COLUMN assigned_to BIGINT REFERENCES users(id);
-- The official reply that answers this comment (the same reply may answer several).
ALTER TABLE comments ADD COLUMN answered_by BIGINT REFERENCES comments(id);
-- Who responded, as shown: "Jane Doe, Chief Technology Officer, DWP".
ALTER TABLE comments ADD COLUMN response_by TEXT;
-- Public note: acknowledgement note, referral note, or no-response reason.
-- referred_to is a department or outside channel: a name, or a web address.
ALTER TABLE comments ADD COLUMN response_note TEXT;
ALTER TABLE comments ADD COLUMN referred_to TEXT;
-- First official response (acknowledged, answered or referred by an official), and
-- how many working days after publication it came: facts kept, not recomputed.
ALTER TABLE comments ADD COLUMN first_response_at TIMESTAMP;
ALTER TABLE comments ADD COLUMN response_days INTEGER;
ALTER TABLE comments ADD COLUMN answered_at TIMESTAMP;
ALTER TABLE comments ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;

UPDATE comments SET response_state = NULL WHERE badge_title IS NOT NULL;

CREATE INDEX comments_triage ON comments (response_state, department_id, published_at);
CREATE INDEX comments_triage_age ON comments (response_state, published_at);
CREATE INDEX comments_assigned ON comments (assigned_to, response_state, published_at);
CREATE INDEX comments_department_published ON comments (department_id, published_at);
CREATE INDEX comments_department_answered ON comments (department_id, answered_at);
CREATE INDEX comments_department_days ON comments (department_id, response_days);
CREATE INDEX comments_answered_by ON comments (answered_by);

-- Every change of state, route or assignment: who, when, from, to, note.
CREATE TABLE response_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    note TEXT,
    actor_id BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX response_events_comment ON response_events (comment_id, id);

-- Days that are not working days, besides Saturdays and Sundays.
CREATE TABLE holidays (
    day DATE PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
);
