// Written by hand to match both migrations folders; the `schema_matches_migrations`
// test selects every column on both backends, so a drift fails the suite.

diesel::table! {
    departments (id) {
        id -> BigInt,
        name -> Text,
        acronym -> Text,
        description -> Text,
        target_days -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    department_aliases (id) {
        id -> BigInt,
        department_id -> BigInt,
        alias -> Text,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        body_md -> Text,
        body_html -> Text,
        excerpt -> Text,
        author_name -> Text,
        published -> Bool,
        comments_open -> Bool,
        published_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        comments_version -> BigInt,
        moderation -> Nullable<Text>,
        author_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        thread_id -> BigInt,
        path -> Text,
        depth -> Integer,
        author_name -> Text,
        author_email -> Text,
        body_md -> Text,
        body_html -> Text,
        status -> Text,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        user_id -> Nullable<BigInt>,
        official_role_id -> Nullable<BigInt>,
        badge_name -> Nullable<Text>,
        badge_title -> Nullable<Text>,
        badge_department -> Nullable<Text>,
        badge_acronym -> Nullable<Text>,
        response_state -> Nullable<Text>,
        department_id -> Nullable<BigInt>,
        suggested_department_id -> Nullable<BigInt>,
        assigned_to -> Nullable<BigInt>,
        answered_by -> Nullable<BigInt>,
        response_by -> Nullable<Text>,
        response_note -> Nullable<Text>,
        referred_to -> Nullable<Text>,
        first_response_at -> Nullable<Timestamp>,
        response_days -> Nullable<Integer>,
        answered_at -> Nullable<Timestamp>,
        reply_count -> Integer,
        routed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    response_events (id) {
        id -> BigInt,
        comment_id -> BigInt,
        kind -> Text,
        from_value -> Nullable<Text>,
        to_value -> Nullable<Text>,
        note -> Nullable<Text>,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    department_state_counts (department_id, response_state) {
        department_id -> BigInt,
        response_state -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    department_response_days (department_id, days) {
        department_id -> BigInt,
        days -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    holidays (day) {
        day -> Date,
        name -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        email_verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        trusted -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_attempts (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    department_email_domains (id) {
        id -> BigInt,
        department_id -> BigInt,
        domain -> Text,
    }
}

diesel::table! {
    official_roles (id) {
        id -> BigInt,
        user_id -> BigInt,
        department_id -> BigInt,
        title -> Text,
        granted_by -> Nullable<BigInt>,
        granted_at -> Timestamp,
        revoked_by -> Nullable<BigInt>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        message_id -> Text,
        message -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        lease_owner -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> BigInt,
        email -> Text,
        user_id -> Nullable<BigInt>,
        target -> Text,
        post_id -> BigInt,
        comment_id -> Nullable<BigInt>,
        confirmed_at -> Nullable<Timestamp>,
        unsubscribed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        email -> Text,
        user_id -> Nullable<BigInt>,
        subscription_id -> Nullable<BigInt>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        mode -> Text,
    }
}

diesel::table! {
    digest_items (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        comment_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    digest_runs (user_id) {
        user_id -> BigInt,
        last_sent_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        hint -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_ids (source, kind, original_id) {
        source -> Text,
        kind -> Text,
        original_id -> BigInt,
        local_id -> BigInt,
    }
}

diesel::table! {
    imported_badges (comment_id) {
        comment_id -> BigInt,
        matched_on -> Text,
        matched_text -> Text,
        imported_at -> Timestamp,
        verified_by -> Nullable<Text>,
    }
}

diesel::table! {
    import_reviews (comment_id) {
        comment_id -> BigInt,
        reason -> Text,
        matched_text -> Text,
        badge_name -> Text,
        badge_title -> Text,
        badge_department -> Text,
        badge_acronym -> Text,
        department_id -> BigInt,
        role_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        decision -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    post_categories (post_id, name) {
        post_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    site_settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    comment_moderation (comment_id) {
        comment_id -> BigInt,
        ip -> Nullable<Text>,
        held_reason -> Nullable<Text>,
        spam_suspected -> Bool,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reject_reason -> Nullable<Text>,
        edited_by_moderator -> Nullable<Text>,
        edited_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<BigInt>,
        target_label -> Text,
        before_value -> Nullable<Text>,
        after_value -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limit_hits (id) {
        id -> BigInt,
        action -> Text,
        key -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    blocklist (id) {
        id -> BigInt,
        kind -> Text,
        pattern -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comment_flags (id) {
        id -> BigInt,
        comment_id -> BigInt,
        reporter -> Text,
        reason -> Text,
        note -> Text,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    freezes (id) {
        id -> BigInt,
        post_id -> Nullable<BigInt>,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        notice -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comment_edits (id) {
        id -> BigInt,
        comment_id -> BigInt,
        body_md -> Text,
        edited_by -> Text,
        by_moderator -> Bool,
        edited_at -> Timestamp,
    }
}

diesel::table! {
    inbound_messages (id) {
        id -> BigInt,
        message_id -> Text,
        sender -> Text,
        user_id -> Nullable<BigInt>,
        comment_id -> Nullable<BigInt>,
        official_role_id -> Nullable<BigInt>,
        outcome -> Text,
        reason -> Text,
        reply_id -> Nullable<BigInt>,
        body -> Nullable<Text>,
        review -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        received_at -> Timestamp,
    }
}

diesel::joinable!(comment_moderation -> comments (comment_id));
diesel::joinable!(comment_flags -> comments (comment_id));
diesel::joinable!(department_aliases -> departments (department_id));
diesel::joinable!(comments -> posts (post_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(response_events -> comments (comment_id));
diesel::joinable!(department_email_domains -> departments (department_id));
diesel::joinable!(official_roles -> departments (department_id));
diesel::joinable!(subscriptions -> comments (comment_id));
diesel::joinable!(digest_items -> comments (comment_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(imported_badges -> comments (comment_id));
diesel::joinable!(import_reviews -> comments (comment_id));
diesel::joinable!(post_categories -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    departments,
    department_aliases,
    department_email_domains,
    posts,
    comments,
    users,
    sessions,
    sign_in_attempts,
    official_roles,
    response_events,
    holidays,
    department_state_counts,
    department_response_days,
    outbox,
    subscriptions,
    email_tokens,
    notification_preferences,
    digest_items,
    digest_runs,
    api_tokens,
    import_ids,
    imported_badges,
    import_reviews,
    post_categories,
    site_settings,
    comment_moderation,
    audit_log,
    rate_limit_hits,
    blocklist,
    comment_flags,
    freezes,
    comment_edits,
    inbound_messages,
);
