-- A post's comments in tree order straight from an index: the page's query then reads
-- them in order instead of sorting every comment of the post on each request.
CREATE INDEX comments_post_tree ON comments (post_id, path);
