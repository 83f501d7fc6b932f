//! Every HTML route, listed once. The table registers the handlers and names each
//! route to the tests (which POST every form route without its token and expect a
//! refusal), and tells `SignedIn` which page a form was on. The JSON API keeps its own
//! table in `web::api`.

use actix_web::http::Method;
use actix_web::web;

use super::admin::{audit, departments as admin_departments, freezes, imports, moderation as admin_moderation};
use super::admin::{officials, outbox, posts as admin_posts, users};
use super::{account_email, accounts, admin, api_tokens, assets, comments, departments, feeds, health};
use super::{mail, metrics, moderation, own, pages, report, responses, search, triage};

/// GET routes whose page is the same for every anonymous reader: they set no cookie
/// for such a reader, and a shared cache may keep them briefly (`web::caching`).
pub const PUBLIC: &[&str] = &[
    "/",
    "/posts/{slug}",
    "/posts/{slug}/threads/{thread_id}",
    "/comments/{id}",
    "/departments",
    "/response-states",
    "/departments.json",
    "/departments.csv",
    "/departments/{file}",
    "/departments/{acronym}/feed.atom",
    "/feeds/posts.atom",
    "/feeds/official.atom",
    "/posts/{slug}/feed.atom",
    "/posts/{slug}/threads/{thread_id}/feed.atom",
];

macro_rules! html_routes {
    ($($method:ident $path:literal => $handler:path),* $(,)?) => {
        /// (method, path) of every HTML route, in the order they are matched.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        pub(super) fn register(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($handler));)*
        }
    };
}

html_routes! {
    get "/" => pages::home,
    get "/healthz" => health::healthz,
    get "/metrics" => metrics::metrics,
    get "/search" => search::search,
    get "/assets/{name}" => assets::serve,
    get "/posts/{slug}" => pages::post,
    get "/posts/{slug}/threads/{thread_id}" => pages::thread,
    post "/posts/{slug}/comments" => comments::create,
    get "/posts/{slug}/comments/new" => comments::new,
    get "/comments/{id}" => comments::permalink,
    get "/signin" => accounts::sign_in_form,
    post "/signin" => accounts::sign_in,
    post "/signout" => accounts::sign_out,
    get "/register" => accounts::register_form,
    post "/register" => accounts::register,
    get "/account" => accounts::account,
    post "/account/password" => accounts::change_password,

    get "/account/tokens" => api_tokens::show,
    post "/account/tokens" => api_tokens::create,
    post "/account/tokens/{id}/revoke" => api_tokens::revoke,

    get "/admin" => admin::dashboard,
    get "/admin/users" => users::index,
    post "/admin/users/{id}/role" => users::set_role,
    post "/admin/users/{id}/trusted" => users::set_trusted,
    get "/admin/departments" => admin_departments::index,
    get "/admin/departments/new" => admin_departments::new,
    post "/admin/departments/new" => admin_departments::create,
    get "/admin/departments/{id}" => admin_departments::edit,
    post "/admin/departments/{id}" => admin_departments::update,
    get "/admin/officials" => officials::index,
    post "/admin/officials" => officials::grant,
    get "/admin/officials/{id}/revoke" => officials::revoke_form,
    post "/admin/officials/{id}/revoke" => officials::revoke,
    get "/admin/outbox" => outbox::index,
    post "/admin/outbox/retry" => outbox::retry,
    get "/admin/posts" => admin_posts::index,
    get "/admin/posts/new" => admin_posts::new,
    post "/admin/posts/new" => admin_posts::create,
    get "/admin/posts/{id}/edit" => admin_posts::edit,
    post "/admin/posts/{id}/edit" => admin_posts::update,
    post "/admin/posts/{id}/publish" => admin_posts::publish,
    post "/admin/posts/{id}/unpublish" => admin_posts::unpublish,
    post "/admin/posts/{id}/open-comments" => admin_posts::open_comments,
    post "/admin/posts/{id}/close-comments" => admin_posts::close_comments,
    post "/admin/posts/{id}/moderation" => admin_posts::set_moderation,
    get "/admin/moderation" => admin_moderation::index,
    post "/admin/moderation" => admin_moderation::save,
    get "/admin/freezes" => freezes::index,
    post "/admin/freezes" => freezes::create,
    post "/admin/freezes/{id}/end" => freezes::end,
    get "/admin/imports" => imports::index,
    post "/admin/imports/{id}/confirm" => imports::confirm,
    post "/admin/imports/{id}/dismiss" => imports::dismiss,
    get "/admin/history" => imports::history_page,
    post "/admin/history" => imports::close_history,
    get "/admin/audit" => audit::index,
    get "/admin/audit.csv" => audit::export,

    get "/posts/{slug}/follow" => mail::follow_form,
    post "/posts/{slug}/follow" => mail::follow,
    get "/subscriptions/confirm/{token}" => mail::confirm_form,
    post "/subscriptions/confirm/{token}" => mail::confirm,
    get "/unsubscribe/{token}" => mail::unsubscribe_form,
    post "/unsubscribe/{token}" => mail::unsubscribe,

    get "/password/forgot" => account_email::forgot_form,
    post "/password/forgot" => account_email::forgot,
    get "/password/reset/{token}" => account_email::reset_form,
    post "/password/reset/{token}" => account_email::reset,
    get "/account/verify/{token}" => account_email::verify_form,
    post "/account/verify/{token}" => account_email::verify,
    post "/account/email" => account_email::change_email,
    get "/account/notifications" => account_email::notifications,
    post "/account/notifications" => account_email::save_notifications,

    get "/departments" => departments::index,
    get "/response-states" => pages::response_states,
    get "/departments.json" => departments::index_json,
    get "/departments.csv" => departments::index_csv,
    get "/departments/{file}" => departments::department,
    get "/departments/{acronym}/feed.atom" => feeds::department,
    get "/feeds/posts.atom" => feeds::posts,
    get "/feeds/official.atom" => feeds::official,
    get "/posts/{slug}/feed.atom" => feeds::post_comments,
    get "/posts/{slug}/threads/{thread_id}/feed.atom" => feeds::thread,

    get "/comments/{id}/responses" => responses::show,
    post "/comments/{id}/responses" => responses::change_state,
    post "/comments/{id}/route" => responses::route,
    post "/comments/{id}/assign" => responses::assign,
    post "/comments/{id}/answers" => responses::link_answers,

    get "/triage" => triage::index,
    post "/triage/bulk" => triage::bulk,

    get "/moderation" => moderation::index,
    post "/moderation" => moderation::act,
    get "/moderation/{id}/edit" => moderation::edit_form,
    post "/moderation/{id}/edit" => moderation::edit,
    post "/moderation/email-replies/{id}" => moderation::email_reply,

    get "/comments/{id}/report" => report::show,
    post "/comments/{id}/report" => report::send,

    get "/account/comments" => own::list,
    get "/account/data.json" => own::data,
    get "/account/delete" => own::delete_account_form,
    post "/account/delete" => own::delete_account,
    get "/comments/{id}/edit" => own::edit_form,
    post "/comments/{id}/edit" => own::edit,
    post "/comments/{id}/delete" => own::delete,
}

/// Whether `path` fits the route `pattern` (`{name}` stands for one segment).
fn fits(pattern: &str, path: &str) -> bool {
    let (mut pattern, mut path) = (pattern.split('/'), path.split('/'));
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p == s || (p.starts_with('{') && p.ends_with('}') && !s.is_empty()) => {}
            _ => return false,
        }
    }
}

/// Where to come back to after signing in: the page itself for a GET; for a form
/// post, which cannot be repeated by a link, the nearest page above it (the form's
/// own page when it has one, `/account` for `/account/email`).
pub fn return_path(method: &Method, path_and_query: &str) -> String {
    if method == Method::GET {
        return path_and_query.to_owned();
    }
    let mut path = path_and_query.split('?').next().unwrap_or("/");
    loop {
        if ROUTES.iter().any(|(m, pattern)| *m == "get" && fits(pattern, path)) {
            return path.to_owned();
        }
        match path.rsplit_once('/') {
            Some(("", _)) | None => return "/".to_owned(),
            Some((parent, _)) => path = parent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_post_returns_to_the_page_it_was_on() {
        let post = Method::POST;
        assert_eq!(return_path(&Method::GET, "/triage?department=3"), "/triage?department=3");
        assert_eq!(return_path(&post, "/account/email"), "/account");
        assert_eq!(return_path(&post, "/account/password"), "/account");
        assert_eq!(return_path(&post, "/account/notifications"), "/account/notifications");
        assert_eq!(return_path(&post, "/account/tokens/7/revoke"), "/account/tokens");
        assert_eq!(return_path(&post, "/comments/9/responses"), "/comments/9/responses");
        assert_eq!(return_path(&post, "/triage/bulk"), "/triage");
        assert_eq!(return_path(&post, "/signout"), "/");
    }
}
