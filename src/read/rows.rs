//! Database rows that pages show as they come. Views name them from here rather than
//! from `db`, which stays out of the views' reach.

pub use crate::db::api_tokens::ApiToken;
pub use crate::db::audit::AuditRow;
pub use crate::db::comments::{Comment, CommentRow};
pub use crate::db::departments::{Department, DepartmentDetail};
pub use crate::db::feeds::FeedComment;
pub use crate::db::flags::Freeze;
pub use crate::db::officials::OfficialListing;
/// A message in the outbox, as the admin's outbox page lists it.
pub use crate::db::outbox::Listed;
pub use crate::db::posts::Post;
pub use crate::db::search::Hit;
/// The orders the triage queue can be sorted in.
pub use crate::db::triage::Sort;
pub use crate::db::users::User;
