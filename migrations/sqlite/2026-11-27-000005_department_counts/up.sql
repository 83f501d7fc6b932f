-- Per-department totals kept by triggers in the same transaction as every change to a
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

CREATE TRIGGER comments_counted_insert AFTER INSERT ON comments
WHEN NEW.status = 'published' AND NEW.department_id IS NOT NULL
BEGIN
    INSERT INTO department_state_counts (department_id, response_state, n)
        SELECT NEW.department_id, NEW.response_state, 1 WHERE NEW.response_state IS NOT NULL
        ON CONFLICT (department_id, response_state) DO UPDATE SET n = n + 1;
    INSERT INTO department_response_days (department_id, days, n)
        SELECT NEW.department_id, NEW.response_days, 1 WHERE NEW.response_days IS NOT NULL
        ON CONFLICT (department_id, days) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER comments_counted_update AFTER UPDATE OF status, department_id, response_state, response_days ON comments
BEGIN
    UPDATE department_state_counts SET n = n - 1
        WHERE OLD.status = 'published' AND department_id = OLD.department_id AND response_state = OLD.response_state;
    UPDATE department_response_days SET n = n - 1
        WHERE OLD.status = 'published' AND department_id = OLD.department_id AND days = OLD.response_days;
    INSERT INTO department_state_counts (department_id, response_state, n)
        SELECT NEW.department_id, NEW.response_state, 1
        WHERE NEW.status = 'published' AND NEW.department_id IS NOT NULL AND NEW.response_state IS NOT NULL
        ON CONFLICT (department_id, response_state) DO UPDATE SET n = n + 1;
    INSERT INTO department_response_days (department_id, days, n)
        SELECT NEW.department_id, NEW.response_days, 1
        WHERE NEW.status = 'published' AND NEW.department_id IS NOT NULL AND NEW.response_days IS NOT NULL
        ON CONFLICT (department_id, days) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER comments_counted_delete AFTER DELETE ON comments
BEGIN
    UPDATE department_state_counts SET n = n - 1
        WHERE OLD.status = 'published' AND department_id = OLD.department_id AND response_state = OLD.response_state;
    UPDATE department_response_days SET n = n - 1
        WHERE OLD.status = 'published' AND department_id = OLD.department_id AND days = OLD.response_days;
END;
