DROP INDEX comments_post_tree;
