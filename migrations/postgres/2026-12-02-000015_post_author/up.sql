-- The account that wrote a post, when an admin named one; its byline shows that
-- account's name. Existing posts keep their byline (author_name) and no account.
ALTER TABLE posts ADD COLUMN author_id BIGINT REFERENCES users(id);
