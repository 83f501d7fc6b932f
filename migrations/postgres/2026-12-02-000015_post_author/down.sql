ALTER TABLE posts DROP COLUMN author_id;
