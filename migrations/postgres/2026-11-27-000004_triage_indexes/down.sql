DROP INDEX comments_triage_unrouted_replies;
DROP INDEX comments_triage_unrouted;
DROP INDEX comments_assigned_replies;
DROP INDEX comments_triage_post_replies;
DROP INDEX comments_triage_post;
DROP INDEX comments_triage_department_replies;
DROP INDEX comments_triage_replies;
