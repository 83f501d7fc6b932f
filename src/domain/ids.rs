//! Ids that travel together and are easy to swap: a call that takes a user and a
//! comment, or a post and a comment, takes them as these types, so passing one for
//! the other does not compile. The database keeps plain integers; the wrapping is at
//! the service boundary (`.0` unwraps for a query).

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A `comments.id`.
    CommentId
);
id!(
    /// A `posts.id`.
    PostId
);
id!(
    /// A `users.id`: a member, or the moderator or admin acting.
    UserId
);
