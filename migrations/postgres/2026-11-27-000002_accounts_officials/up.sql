-- Accounts. role is what the account may do site-wide: reader, moderator or admin.
-- Being an official is not a role here: it is a grant per department (official_roles).
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'reader',
    email_verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Server-side sessions; the cookie carries a random token, only its SHA-256 is stored.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed and successful sign-ins, to slow down guessing per account and per address.
CREATE TABLE sign_in_attempts (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, attempted_at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, attempted_at);

CREATE TABLE department_email_domains (
    id BIGSERIAL PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    UNIQUE (department_id, domain)
);

-- A user verified as speaking for a department, with a title. Rows are never deleted:
-- revoking sets revoked_at, so the history of who could answer, and when, is kept.
CREATE TABLE official_roles (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    title TEXT NOT NULL,
    granted_by BIGINT REFERENCES users(id),
    granted_at TIMESTAMP NOT NULL,
    revoked_by BIGINT REFERENCES users(id),
    revoked_at TIMESTAMP
);
CREATE INDEX official_roles_user ON official_roles (user_id);

-- Comments by signed-in users, and the badge of an official reply as it was when posted.
ALTER TABLE comments ADD COLUMN user_id BIGINT REFERENCES users(id);
ALTER TABLE comments ADD COLUMN official_role_id BIGINT REFERENCES official_roles(id);
ALTER TABLE comments ADD COLUMN badge_name TEXT;
ALTER TABLE comments ADD COLUMN badge_title TEXT;
ALTER TABLE comments ADD COLUMN badge_department TEXT;
ALTER TABLE comments ADD COLUMN badge_acronym TEXT;
CREATE INDEX comments_official ON comments (post_id, official_role_id);

-- Bumped whenever a post's comments change, so a rendered comment section can be reused
-- until then (it names the cache entry).
ALTER TABLE posts ADD COLUMN comments_version BIGINT NOT NULL DEFAULT 0;
