DROP TABLE post_categories;
DROP TABLE imported_badges;
DROP TABLE import_ids;
