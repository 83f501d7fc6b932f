//! The audit log's actions in words, for the people who read it. The log itself keeps
//! the short codes (they are what filters and the CSV export use).

/// What an action code means, in words; an unknown code is shown as it is.
pub fn action_words(code: &str) -> &str {
    match code {
        "comment.approve" => "Approved a held comment",
        "comment.assign" => "Assigned a comment",
        "comment.delete" => "Deleted a comment",
        "comment.edit" => "Edited a comment",
        "comment.link_answer" => "Linked a comment to the reply that answers it",
        "comment.reject" => "Rejected a comment",
        "comment.route" => "Routed a comment to a department",
        "comment.spam" => "Marked a comment as spam",
        "comment.state" => "Changed a comment's response state",
        "department.create" => "Created a department",
        "department.update" => "Changed a department",
        "email_reply.dismiss" => "Dismissed a reply sent by email",
        "email_reply.post" => "Posted a reply sent by email",
        "freeze.create" => "Froze comments",
        "history.close" => "Closed old unanswered comments as imported history",
        "import_review.confirm" => "Confirmed a probable official reply found at import",
        "import_review.dismiss" => "Dismissed a probable official reply found at import",
        "freeze.end" => "Ended a freeze",
        "official.grant" => "Verified an official",
        "official.revoke" => "Revoked an official",
        "post.close_comments" => "Closed a post to comments",
        "post.create" => "Created a post",
        "post.edit" => "Edited a post",
        "post.moderation" => "Changed a post's moderation",
        "post.open_comments" => "Opened a post to comments",
        "post.publish" => "Published a post",
        "post.unpublish" => "Unpublished a post",
        "settings.moderation" => "Changed the moderation settings",
        "user.role" => "Changed an account's role",
        "user.trusted" => "Changed whether an account is trusted",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::action_words;

    #[test]
    fn codes_read_as_words_and_unknown_ones_as_they_are() {
        assert_eq!(action_words("comment.state"), "Changed a comment's response state");
        assert_eq!(action_words("something.new"), "something.new");
    }
}
