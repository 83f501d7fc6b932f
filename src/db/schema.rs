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
    }
}

diesel::joinable!(department_aliases -> departments (department_id));
diesel::joinable!(comments -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(departments, department_aliases, posts, comments);
