-- Readers' reports of comments: one per reader per comment (reporter is 'user:ID' or
-- a hash of the browser's token); resolved when a moderator decides.
CREATE TABLE comment_flags (
    id BIGSERIAL PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reporter TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    UNIQUE (comment_id, reporter)
);
CREATE INDEX comment_flags_open ON comment_flags (resolved_at, comment_id);

-- Comment freezes: one post (post_id) or all posts (NULL), from starts_at (NULL: now)
-- until ends_at (NULL: until lifted), with the notice shown instead of the form.
CREATE TABLE freezes (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    notice TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Earlier versions of edited comments (by their author within the edit window, or by
-- a moderator): the text before each edit, shown to moderators.
CREATE TABLE comment_edits (
    id BIGSERIAL PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    body_md TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    by_moderator BOOLEAN NOT NULL,
    edited_at TIMESTAMP NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id, id);
