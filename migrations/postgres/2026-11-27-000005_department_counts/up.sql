-- Per-department totals kept by a trigger in the same transaction as every change to a
-- comment, so the public figures read a few rows instead of counting a million.
-- Only published comments count.
CREATE TABLE department_state_counts (
    department_id BIGINT NOT NULL,
    response_state TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (department_id, response_state)
);

-- How many first official responses came after each number of working days.
CREATE TABLE department_response_days (
    department_id BIGINT NOT NULL,
    days INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (department_id, days)
);

INSERT INTO department_state_counts (department_id, response_state, n)
    SELECT department_id, response_state, COUNT(*) FROM comments
    WHERE status = 'published' AND department_id IS NOT NULL AND response_state IS NOT NULL
    GROUP BY department_id, response_state;
INSERT INTO department_response_days (department_id, days, n)
    SELECT department_id, response_days, COUNT(*) FROM comments
    WHERE status = 'published' AND department_id IS NOT NULL AND response_days IS NOT NULL
    GROUP BY department_id, response_days;

CREATE FUNCTION count_department_comments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' AND OLD.department_id IS NOT NULL THEN
        IF OLD.response_state IS NOT NULL THEN
            UPDATE department_state_counts SET n = n - 1
                WHERE department_id = OLD.department_id AND response_state = OLD.response_state;
        END IF;
        IF OLD.response_days IS NOT NULL THEN
            UPDATE department_response_days SET n = n - 1
                WHERE department_id = OLD.department_id AND days = OLD.response_days;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' AND NEW.department_id IS NOT NULL THEN
        IF NEW.response_state IS NOT NULL THEN
            INSERT INTO department_state_counts (department_id, response_state, n)
                VALUES (NEW.department_id, NEW.response_state, 1)
                ON CONFLICT (department_id, response_state) DO UPDATE SET n = department_state_counts.n + 1;
        END IF;
        IF NEW.response_days IS NOT NULL THEN
            INSERT INTO department_response_days (department_id, days, n)
                VALUES (NEW.department_id, NEW.response_days, 1)
                ON CONFLICT (department_id, days) DO UPDATE SET n = department_response_days.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER comments_counted
    AFTER INSERT OR DELETE OR UPDATE OF status, department_id, response_state, response_days ON comments
    FOR EACH ROW EXECUTE FUNCTION count_department_comments();
