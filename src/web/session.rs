//! Who is asking: the signed-in user (from a server-side session named by an
//! encrypted cookie) and this browser's CSRF token.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, CookieJar, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponseBuilder};

use super::csrf::CsrfToken;
use super::AppState;
use crate::domain::account::Role;
use crate::error::AppError;
use crate::services::accounts::{self, SessionToken, SESSION_DAYS};
use crate::views::layout::Chrome;

pub const COOKIE: &str = "answerable_session";

#[derive(Debug, Clone)]
pub struct SignedInUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The official roles in force the user may post as: (role id, "Title, Department").
    pub official_roles: Vec<(i64, String)>,
    /// The session's secret, to end it or keep it when others are ended.
    pub session_token: String,
}

/// The person making the request.
pub struct Viewer {
    pub user: Option<SignedInUser>,
    pub csrf: CsrfToken,
}

impl Viewer {
    /// What the page header needs: the user's name and links, and the token for the
    /// sign-out form (anonymous pages carry no token unless they have a form).
    pub fn chrome(&self) -> Chrome {
        match &self.user {
            Some(user) => Chrome::signed_in(
                &user.name,
                user.role,
                self.csrf.value(),
                !user.official_roles.is_empty() || user.role.can_moderate(),
            ),
            None => Chrome::anonymous(),
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }
}

/// Reads the session token from the encrypted cookie, if there is a valid one.
pub fn session_token(req: &HttpRequest, state: &AppState) -> Option<String> {
    let cookie = req.cookie(COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    jar.private(&state.cookie_key).get(COOKIE).map(|c| c.value().to_owned())
}

fn encrypted(state: &AppState, value: String, max_age_days: i64) -> Option<Cookie<'static>> {
    let mut cookie = Cookie::new(COOKIE, value);
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(state.settings.secure_cookies());
    cookie.set_max_age(actix_web::cookie::time::Duration::days(max_age_days));
    let mut jar = CookieJar::new();
    jar.private_mut(&state.cookie_key).add(cookie);
    jar.get(COOKIE).cloned()
}

/// Sets the cookie that names a new session.
pub fn set_session_cookie(response: &mut HttpResponseBuilder, state: &AppState, token: &SessionToken) {
    if let Some(cookie) = encrypted(state, token.0.clone(), SESSION_DAYS) {
        response.cookie(cookie);
    }
}

/// Expires the session cookie in the browser.
pub fn clear_session_cookie(response: &mut HttpResponseBuilder, state: &AppState) {
    let mut cookie = Cookie::new(COOKIE, "");
    cookie.set_path("/");
    cookie.make_removal();
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(state.settings.secure_cookies());
    response.cookie(cookie);
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let csrf = req.extensions().get::<CsrfToken>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = state.as_ref().and_then(|s| session_token(req, s));
        Box::pin(async move {
            let csrf = csrf.ok_or_else(|| AppError::Unexpected("CSRF middleware is not installed".into()))?;
            let (Some(state), Some(token)) = (state, token) else {
                return Ok(Viewer { user: None, csrf });
            };
            let lookup = token.clone();
            let user = state
                .query(move |conn| {
                    let Some(user) = accounts::user_for_session(conn, &lookup)? else {
                        return Ok(None);
                    };
                    let roles = official_roles(conn, user.id)?;
                    Ok(Some((user, roles)))
                })
                .await?;
            let user = user.map(|(u, official_roles)| SignedInUser {
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                official_roles,
                session_token: token,
            });
            Ok(Viewer { user, csrf })
        })
    }
}

/// A signed-in user with the admin role; others get 403, and the signed out are
/// sent to sign in first.
pub struct Admin {
    pub viewer: Viewer,
    pub user: SignedInUser,
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = with_role(req, payload, Role::is_admin);
        Box::pin(async move { signed_in.await.map(|(viewer, user)| Admin { viewer, user }) })
    }
}

/// Any signed-in user; the signed out are sent to sign in, then back to the page they
/// were on (see `routes::return_path`).
pub struct SignedIn {
    pub viewer: Viewer,
    pub user: SignedInUser,
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = with_role(req, payload, |_| true);
        Box::pin(async move { signed_in.await.map(|(viewer, user)| SignedIn { viewer, user }) })
    }
}

/// The viewer and their account when their role passes `allowed`: the signed out are
/// sent to sign in (and back), others get 403.
fn with_role(
    req: &HttpRequest,
    payload: &mut Payload,
    allowed: fn(Role) -> bool,
) -> impl Future<Output = Result<(Viewer, SignedInUser), AppError>> {
    let viewer = Viewer::from_request(req, payload);
    let path = return_path(req);
    async move {
        let viewer = viewer.await?;
        match viewer.user.clone() {
            None => Err(AppError::SignInRequired(path)),
            Some(user) if allowed(user.role) => Ok((viewer, user)),
            Some(_) => Err(AppError::Forbidden),
        }
    }
}

/// Where a signed-out request is sent back to after signing in.
pub fn return_path(req: &HttpRequest) -> String {
    super::routes::return_path(req.method(), req.uri().path_and_query().map_or("/", |p| p.as_str()))
}

/// The official roles in force a user may post as, as (role id, "Title, Department").
fn official_roles(conn: &mut crate::db::AnyConnection, user_id: i64) -> diesel::QueryResult<Vec<(i64, String)>> {
    Ok(crate::db::officials::active_listings_for_user(conn, user_id)?
        .into_iter()
        .map(|r| (r.role_id, format!("{}, {}", r.title, r.department_name)))
        .collect())
}

/// A signed-in moderator or admin; readers get 403, the signed out sign in first.
pub struct Moderator {
    pub viewer: Viewer,
    pub user: SignedInUser,
}

impl FromRequest for Moderator {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = with_role(req, payload, Role::can_moderate);
        Box::pin(async move { signed_in.await.map(|(viewer, user)| Moderator { viewer, user }) })
    }
}
