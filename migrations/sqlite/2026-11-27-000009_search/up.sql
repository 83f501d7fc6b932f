-- Full-text search with FTS5 over posts (title and body) and published comments.
-- Both are external-content tables: the text stays in posts and comments, and the
-- triggers below keep the index in step. Comments are indexed only while published.
CREATE VIRTUAL TABLE posts_fts USING fts5(
    title, body_md,
    content = 'posts', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE comments_fts USING fts5(
    body_md,
    content = 'comments', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO posts_fts (rowid, title, body_md) SELECT id, title, body_md FROM posts;
INSERT INTO comments_fts (rowid, body_md) SELECT id, body_md FROM comments WHERE status = 'published';

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_md ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
    INSERT INTO posts_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;

CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments WHEN new.status = 'published' BEGIN
    INSERT INTO comments_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments WHEN old.status = 'published' BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF status, body_md ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, body_md)
        SELECT 'delete', old.id, old.body_md WHERE old.status = 'published';
    INSERT INTO comments_fts (rowid, body_md)
        SELECT new.id, new.body_md WHERE new.status = 'published';
END;

-- A post's newest comments (its Atom feed, the API's pages of comments).
CREATE INDEX comments_post_newest ON comments (post_id, status, id);
