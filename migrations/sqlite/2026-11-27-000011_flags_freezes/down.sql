DROP TABLE freezes;
DROP TABLE comment_flags;
