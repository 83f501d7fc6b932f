ALTER TABLE imported_badges DROP COLUMN verified_by;
DROP INDEX import_reviews_open;
DROP TABLE import_reviews;
