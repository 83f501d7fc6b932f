-- The triage queue reads, for each filter and sort, one index range already in the
-- order shown: the filter's columns, then the sort's. Oldest and most recent first
-- use the indexes of the response-states migration (comments_triage_age,
-- comments_triage, comments_assigned); these add "most replies" and the post filter.
CREATE INDEX comments_triage_replies ON comments (response_state, reply_count DESC, published_at);
CREATE INDEX comments_triage_department_replies ON comments (response_state, department_id, reply_count DESC, published_at);
CREATE INDEX comments_triage_post ON comments (post_id, response_state, published_at);
CREATE INDEX comments_triage_post_replies ON comments (post_id, response_state, reply_count DESC, published_at);
CREATE INDEX comments_assigned_replies ON comments (assigned_to, response_state, reply_count DESC, published_at);
-- PostgreSQL does not treat `department_id IS NULL` as fixing the column for ORDER BY,
-- so the unrouted queue needs indexes of its own to be read in order. (SQLite reads
-- it from comments_triage and comments_triage_department_replies.)
CREATE INDEX comments_triage_unrouted ON comments (response_state, published_at) WHERE department_id IS NULL;
CREATE INDEX comments_triage_unrouted_replies ON comments (response_state, reply_count DESC, published_at) WHERE department_id IS NULL;
