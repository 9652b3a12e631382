//! `/admin/sign-on`: the trust's OpenID Connect provider.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "admin/sign_on.html")]
pub struct SignOnPage {
    pub page: Page,
    pub issuer: String,
    pub client_id: String,
    pub has_secret: bool,
    pub redirect_uri: String,
}

/// `GET /admin/sign-on`: the trust's OpenID Connect provider.
pub async fn sign_on(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let settings = state.store.oidc_settings(me.person.trust).await?;
    render(&SignOnPage {
        page: Page::new("Single sign-on", "admin", Some(&me)),
        issuer: settings
            .as_ref()
            .map(|s| s.issuer.clone())
            .unwrap_or_default(),
        client_id: settings
            .as_ref()
            .map(|s| s.client_id.clone())
            .unwrap_or_default(),
        has_secret: settings.is_some(),
        redirect_uri: format!("{}{}", state.config.public_url, urls::SSO_CALLBACK),
    })
}

#[derive(Deserialize)]
pub struct SignOnForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    /// Empty keeps the stored secret.
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    remove: String,
}

/// `POST /admin/sign-on`: saves (or with remove=yes removes) the provider.
pub async fn save_sign_on(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SignOnForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    if form.remove == "yes" {
        state.store.set_oidc_settings(me.person.trust, None).await?;
        crate::audit::record(
            &state,
            &me,
            AuditAction::SettingChanged,
            None,
            "removed single sign-on",
        )
        .await?;
        return Ok(Redirect::to(urls::ADMIN_SIGN_ON).into_response());
    }
    let issuer = form.issuer.trim().trim_end_matches('/').to_owned();
    let local = issuer.starts_with("http://127.0.0.1") || issuer.starts_with("http://localhost");
    if !(issuer.starts_with("https://") || local) || issuer.contains(char::is_whitespace) {
        return Err(crate::forms::refuse_at(
            "issuer",
            "The issuer must be an https:// address, such as https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com.",
        ));
    }
    let client_id = form.client_id.trim().to_owned();
    if client_id.is_empty() || client_id.len() > 500 {
        return Err(crate::forms::refuse_at(
            "client_id",
            "Enter the client id the provider gave you.",
        ));
    }
    let secret = match form.client_secret.trim() {
        "" => state
            .store
            .oidc_settings(me.person.trust)
            .await?
            .map(|s| s.client_secret)
            .ok_or_else(|| {
                crate::forms::refuse_at(
                    "client_secret",
                    "Enter the client secret the provider gave you.",
                )
            })?,
        secret => secret.to_owned(),
    };
    state
        .store
        .set_oidc_settings(
            me.person.trust,
            Some(&leadkit_store::sso::OidcSettings {
                issuer: issuer.clone(),
                client_id,
                client_secret: secret,
            }),
        )
        .await?;
    let detail = format!("single sign-on with {issuer}");
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_SIGN_ON).into_response())
}
