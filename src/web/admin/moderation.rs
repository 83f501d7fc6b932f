//! `/admin/moderation`: the site's moderation settings, one form, one audit row per save.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{see_other, Done};
use crate::domain::moderation::Premoderation;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::services::site_settings::{self, ModerationSettings};
use crate::views::admin::moderation::{self as pages, SettingsForm, SettingsPage};
use crate::web::form::FormPost;
use crate::web::session::Admin;
use crate::web::{html, AppState};

fn typed_from(s: &ModerationSettings) -> SettingsForm {
    SettingsForm {
        premoderation: s.premoderation.as_str().to_owned(),
        max_links: s.max_links.to_string(),
        flag_threshold: s.flag_threshold.to_string(),
        words: s.blocklist_words.join("\n"),
        domains: s.blocklist_domains.join("\n"),
        ips: s.blocklist_ips.join("\n"),
        emails: s.blocklist_emails.join("\n"),
    }
}

fn show(
    admin: &Admin,
    status: StatusCode,
    form: &SettingsForm,
    errors: &[FieldError],
    notice: Option<&str>,
) -> HttpResponse {
    let view = SettingsPage { form, errors, notice, csrf_token: admin.viewer.csrf.value() };
    html(status, pages::settings(&view, &admin.viewer.chrome()))
}

pub async fn index(
    state: web::Data<AppState>,
    admin: Admin,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let settings = state.query(site_settings::load).await?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some("The moderation settings were saved."),
        _ => None,
    };
    Ok(show(&admin, StatusCode::OK, &typed_from(&settings), &[], notice))
}

fn parse(form: &SettingsForm) -> Result<ModerationSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let premoderation = Premoderation::parse(&form.premoderation);
    if premoderation.is_none() {
        errors.push(FieldError::new("premoderation", "Choose which comments to hold"));
    }
    let max_links = form.max_links.trim().parse::<usize>().ok().filter(|n| *n <= 100);
    if max_links.is_none() {
        errors.push(FieldError::new("max_links", "Enter a whole number from 0 to 100"));
    }
    let flag_threshold = form.flag_threshold.trim().parse::<u32>().ok().filter(|n| (1..=100).contains(n));
    if flag_threshold.is_none() {
        errors.push(FieldError::new("flag_threshold", "Enter a whole number from 1 to 100"));
    }
    match (premoderation, max_links, flag_threshold) {
        (Some(premoderation), Some(max_links), Some(flag_threshold)) if errors.is_empty() => Ok(ModerationSettings {
            premoderation,
            max_links,
            flag_threshold,
            blocklist_words: site_settings::parse_list(&form.words),
            blocklist_domains: site_settings::parse_list(&form.domains),
            blocklist_ips: site_settings::parse_list(&form.ips),
            blocklist_emails: site_settings::parse_list(&form.emails),
        }),
        _ => Err(errors),
    }
}

pub async fn save(state: web::Data<AppState>, admin: Admin, post: FormPost) -> Result<HttpResponse, AppError> {
    let form = post.typed();
    let typed = SettingsForm {
        premoderation: form.get("premoderation").to_owned(),
        max_links: form.get("max_links").to_owned(),
        flag_threshold: form.get("flag_threshold").to_owned(),
        words: form.get("words").to_owned(),
        domains: form.get("domains").to_owned(),
        ips: form.get("ips").to_owned(),
        emails: form.get("emails").to_owned(),
    };
    if let Err(r) = post.checked() {
        let (status, error) = (r.status(), r.error("premoderation"));
        return Ok(show(&admin, status, &typed, &[error], None));
    }
    let settings = match parse(&typed) {
        Ok(settings) => settings,
        Err(errors) => return Ok(show(&admin, StatusCode::UNPROCESSABLE_ENTITY, &typed, &errors, None)),
    };
    let actor = Some(admin.user.id);
    state.query(move |conn| site_settings::save(conn, actor, &settings)).await?;
    Ok(see_other("/admin/moderation?done=saved"))
}
