-- Departments: who can be asked to respond. Managed in the accounts/officials work;
-- created here so the demo and routing suggestions have something to point at.
CREATE TABLE departments (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    acronym TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    target_days INTEGER NOT NULL DEFAULT 5,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE department_aliases (
    id BIGSERIAL PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    UNIQUE (department_id, alias)
);

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    author_name TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT TRUE,
    comments_open BOOLEAN NOT NULL DEFAULT TRUE,
    published_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_published_at ON posts (published, published_at);

-- A comment's thread_id is the id of its top-level comment; path is the chain of
-- zero-padded ids from the top-level comment down to itself, so ORDER BY path reads
-- the whole tree in one query.
CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES comments(id),
    thread_id BIGINT NOT NULL DEFAULT 0,
    path TEXT COLLATE "C" NOT NULL DEFAULT '',
    depth INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    author_email TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'published',
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX comments_post_path ON comments (post_id, status, path);
CREATE INDEX comments_post_thread ON comments (post_id, status, thread_id);
CREATE INDEX comments_parent ON comments (parent_id);
