DROP TRIGGER comments_counted ON comments;
DROP FUNCTION count_department_comments();
DROP TABLE department_response_days;
DROP TABLE department_state_counts;
