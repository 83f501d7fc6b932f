//! How domain values are stored. Each enum is a TEXT column holding its `as_str`
//! spelling on both backends; reading a spelling the enum does not know is an error
//! naming the value, never a silent default. `SafeHtml` is a TEXT column written only
//! from the sanitiser's output, so reading it back yields `SafeHtml` again.
//!
//! The impls are generic over the backend, so they serve SQLite, PostgreSQL and the
//! `MultiBackend` of `AnyConnection` alike. `domain/` stays free of diesel: the
//! `AsExpression`/`FromSqlRow` derives sit on private proxies (`foreign_derive`).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::account::Role;
use crate::domain::comment::CommentStatus;
use crate::domain::inbound::{Review, Taken};
use crate::domain::markdown::SafeHtml;
use crate::domain::response::ResponseState;

/// Stores `$ty` as its `as_str` text and reads it back with `$ty::parse`.
macro_rules! text_enum {
    ($ty:ident, $proxy:ident, $what:literal) => {
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive, sql_type = Text)]
        #[allow(dead_code)]
        struct $proxy($ty);

        impl<DB: Backend> FromSql<Text, DB> for $ty
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                $ty::parse(&raw).ok_or_else(|| format!(concat!("unknown ", $what, " {:?} in the database"), raw).into())
            }
        }

        impl<DB: Backend> ToSql<Text, DB> for $ty
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }
    };
}

text_enum!(Role, RoleColumn, "role");
text_enum!(CommentStatus, CommentStatusColumn, "comment status");
text_enum!(ResponseState, ResponseStateColumn, "response state");
text_enum!(Taken, TakenColumn, "inbound outcome");
text_enum!(Review, ReviewColumn, "inbound review");

#[derive(AsExpression, FromSqlRow)]
#[diesel(foreign_derive, sql_type = Text)]
#[allow(dead_code)]
struct SafeHtmlColumn(SafeHtml);

impl<DB: Backend> FromSql<Text, DB> for SafeHtml
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        // The one caller: these columns are written only from `SafeHtml`.
        Ok(SafeHtml::from_stored_column(String::from_sql(bytes)?))
    }
}

impl<DB: Backend> ToSql<Text, DB> for SafeHtml
where
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
    }
}
