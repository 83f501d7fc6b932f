DROP TABLE comments;
DROP TABLE posts;
DROP TABLE department_aliases;
DROP TABLE departments;
