-- Where imported posts and comments came from: (source site, kind, original id) to our
-- id, so importing the same WordPress export again adds nothing.
CREATE TABLE import_ids (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    original_id BIGINT NOT NULL,
    local_id BIGINT NOT NULL,
    PRIMARY KEY (source, kind, original_id)
);

-- Official replies recognised on import: the badge was matched from the author's name
-- or a closing signature against the officials known at the time, not posted by a
-- signed-in official, and pages say so ("verified at import").
CREATE TABLE imported_badges (
    comment_id BIGINT PRIMARY KEY REFERENCES comments(id) ON DELETE CASCADE,
    matched_on TEXT NOT NULL,
    matched_text TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

-- A post's categories (from WordPress, for now), shown under its title.
CREATE TABLE post_categories (
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (post_id, name)
);
