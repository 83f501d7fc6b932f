DROP TABLE comment_edits;
DROP TABLE freezes;
DROP TABLE comment_flags;
