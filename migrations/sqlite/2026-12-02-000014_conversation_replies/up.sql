-- A reply is part of its thread's conversation: it carries a response state of its
-- own only once it is routed to a department, answered by an official, or acted on.
-- Replies that none of that happened to lose the "awaiting" they were given when
-- posted. (The department-count triggers follow the change.)
UPDATE comments SET response_state = NULL
WHERE parent_id IS NOT NULL
  AND official_role_id IS NULL
  AND badge_name IS NULL
  AND response_state = 'awaiting'
  AND department_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM response_events e WHERE e.comment_id = comments.id);

-- When a comment was routed to the department it is routed to: the department's
-- response target counts from then (readers still see the age since publication).
ALTER TABLE comments ADD COLUMN routed_at TIMESTAMP;
UPDATE comments SET routed_at = COALESCE(
        (SELECT MAX(e.created_at) FROM response_events e WHERE e.comment_id = comments.id AND e.kind = 'route'),
        published_at,
        created_at)
WHERE department_id IS NOT NULL;
CREATE INDEX comments_routed ON comments (response_state, department_id, routed_at);
