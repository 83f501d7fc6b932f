DROP TRIGGER comments_counted_delete;
DROP TRIGGER comments_counted_update;
DROP TRIGGER comments_counted_insert;
DROP TABLE department_response_days;
DROP TABLE department_state_counts;
