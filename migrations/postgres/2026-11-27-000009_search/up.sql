-- Full-text search: a generated tsvector on posts (title weighted above body) and on
-- comments, each with a GIN index; comments are searched only while published, so
-- their index covers only those. Queried with websearch_to_tsquery.
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_md), 'B')
) STORED;
CREATE INDEX posts_search ON posts USING GIN (search);

ALTER TABLE comments ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body_md)) STORED;
CREATE INDEX comments_search ON comments USING GIN (search) WHERE status = 'published';

-- A post's newest comments (its Atom feed, the API's pages of comments).
CREATE INDEX comments_post_newest ON comments (post_id, status, id);
