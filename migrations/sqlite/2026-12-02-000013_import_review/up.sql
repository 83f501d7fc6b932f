-- Replies that looked official at import but were not certain, for an admin to confirm
-- (the badge comes with "verified at import by" the admin) or dismiss. One per comment;
-- the candidate badge is kept as it would be shown.
CREATE TABLE import_reviews (
    comment_id BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('other_title', 'title_without_known_name', 'sign_off_only')),
    matched_text TEXT NOT NULL,
    badge_name TEXT NOT NULL,
    badge_title TEXT NOT NULL,
    badge_department TEXT NOT NULL,
    badge_acronym TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    role_id BIGINT REFERENCES official_roles(id),
    user_id BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    decision TEXT CHECK (decision IN ('confirmed', 'dismissed')),
    decided_by TEXT,
    decided_at TIMESTAMP
);
CREATE INDEX import_reviews_open ON import_reviews (decision, created_at);

-- Who confirmed a badge recognised at import from the review queue (NULL: recognised
-- by the importer's certain rules).
ALTER TABLE imported_badges ADD COLUMN verified_by TEXT;
