DROP INDEX comments_routed;
ALTER TABLE comments DROP COLUMN routed_at;
UPDATE comments SET response_state = 'awaiting'
WHERE parent_id IS NOT NULL
  AND official_role_id IS NULL
  AND badge_name IS NULL
  AND response_state IS NULL;
