//! Accounts and sign-in: sign-up, magic links, passwords, sessions with rotating refresh
//! tokens, logout, and verified attributes granted by admins.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::AppResult;
use super::pagination::{Page, PageParams};
use super::tokens::{TokenError, TokenKind};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::mail::Email;
use crate::adapters::store::entities::{account, account_attribute, magic_link, session};
use crate::adapters::store::is_unique_violation;
use crate::domain::account::{EmailAddress, attribute_name, display_name, password};
use crate::domain::errors::FieldErrors;
use crate::domain::language::Language;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupInput {
    #[schema(format = Email)]
    pub email: String,
    pub display_name: String,
    /// One of the instance's languages; defaults to the instance default.
    pub locale: Option<String>,
    /// Optional: sign-in works by email link without one.
    pub password: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_admin: bool,
    pub email_verified: bool,
    pub has_password: bool,
    pub attributes: Vec<AttributeView>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttributeView {
    pub name: String,
    /// `admin` or `census`.
    pub source: String,
    pub granted_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
    pub account: AccountView,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    pub display_name: Option<String>,
    pub locale: Option<String>,
}

/// Why a magic link was made; admin invitations live longer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Login,
    AdminInvite,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Login => "login",
            LinkPurpose::AdminInvite => "admin_invite",
        }
    }
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn locale_or_default(ctx: &AppContext, field: &str, raw: Option<&str>) -> Result<String, crate::domain::errors::FieldError> {
    let Some(raw) = raw else { return Ok(ctx.settings.instance.default_language.to_string()) };
    let lang = Language::parse(raw).map_err(|p| crate::domain::errors::FieldError::new(field, p))?;
    if ctx.settings.instance.languages.contains(&lang) {
        Ok(lang.to_string())
    } else {
        let offered: Vec<&str> = ctx.settings.instance.languages.iter().map(Language::as_str).collect();
        Err(crate::domain::errors::FieldError::new(
            field,
            format!("this instance does not offer `{lang}`; it offers {}", offered.join(", ")),
        ))
    }
}

pub fn hash_password(plain: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(plain.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))
}

fn verify_password(plain: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| Argon2::default().verify_password(plain.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

pub async fn find_by_email(ctx: &AppContext, email: &EmailAddress) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find().filter(account::Column::Email.eq(email.as_str())).one(&ctx.db).await?)
}

pub async fn get(ctx: &AppContext, id: Uuid) -> AppResult<account::Model> {
    account::Entity::find_by_id(id).one(&ctx.db).await?.ok_or(AppError::NotFound("account"))
}

pub async fn view(ctx: &AppContext, account: account::Model) -> AppResult<AccountView> {
    let attributes = account_attribute::Entity::find()
        .filter(account_attribute::Column::AccountId.eq(account.id))
        .order_by_asc(account_attribute::Column::Name)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|a| AttributeView { name: a.name, source: a.source, granted_at: a.granted_at })
        .collect();
    Ok(AccountView {
        id: account.id,
        email: account.email,
        display_name: account.display_name,
        locale: account.locale,
        is_admin: account.is_admin,
        email_verified: account.email_verified_at.is_some(),
        has_password: account.password_hash.is_some(),
        attributes,
        created_at: account.created_at,
    })
}

/// Creates an unverified account and emails a sign-in link, which verifies the address.
pub async fn signup(ctx: &AppContext, input: SignupInput) -> AppResult<AccountView> {
    let mut errors = FieldErrors::new();
    let email = errors.take(EmailAddress::parse("email", &input.email));
    let name = errors.take(display_name("display_name", &input.display_name));
    let locale = errors.take(locale_or_default(ctx, "locale", input.locale.as_deref()));
    if let Some(p) = &input.password {
        errors.take(password("password", p));
    }
    errors.finish()?;
    let (email, name, locale) = (email.unwrap(), name.unwrap(), locale.unwrap());
    let password_hash = input.password.as_deref().map(hash_password).transpose()?;

    let created = insert_account(ctx, &email, &name, &locale, password_hash, false).await?;
    send_login_link(ctx, &created, LinkPurpose::Login).await?;
    view(ctx, created).await
}

async fn insert_account(
    ctx: &AppContext,
    email: &EmailAddress,
    name: &str,
    locale: &str,
    password_hash: Option<String>,
    is_admin: bool,
) -> AppResult<account::Model> {
    let at = now();
    let model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_string()),
        display_name: Set(name.to_string()),
        locale: Set(locale.to_string()),
        password_hash: Set(password_hash),
        is_admin: Set(is_admin),
        email_verified_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    };
    model.insert(&ctx.db).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("email", "an account with this email already exists; sign in instead")
        } else {
            e.into()
        }
    })
}

/// Makes a single-use link and stores only its hash, so a database leak yields no live links.
pub async fn create_magic_link(ctx: &AppContext, account_id: Uuid, purpose: LinkPurpose) -> AppResult<String> {
    let token = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let ttl = match purpose {
        LinkPurpose::Login => Duration::minutes(ctx.settings.auth.magic_link_minutes),
        LinkPurpose::AdminInvite => Duration::hours(ctx.settings.auth.admin_link_hours),
    };
    let at = now();
    magic_link::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        token_hash: Set(hash_token(&token)),
        purpose: Set(purpose.as_str().to_string()),
        expires_at: Set(at + ttl),
        used_at: Set(None),
        created_at: Set(at),
    }
    .insert(&ctx.db)
    .await?;
    Ok(ctx.link(&format!("login/magic?token={token}")))
}

async fn send_login_link(ctx: &AppContext, account: &account::Model, purpose: LinkPurpose) -> AppResult<String> {
    let link = create_magic_link(ctx, account.id, purpose).await?;
    let instance = &ctx.settings.instance.name;
    let (subject, intro, minutes) = match purpose {
        LinkPurpose::Login => (
            format!("Your sign-in link for {instance}"),
            format!("Hello {},\n\nUse this link to sign in to {instance}.", account.display_name),
            ctx.settings.auth.magic_link_minutes,
        ),
        LinkPurpose::AdminInvite => (
            format!("You are an administrator of {instance}"),
            format!("Hello,\n\nAn administrator account for {instance} was created for this address. Use this link to sign in."),
            ctx.settings.auth.admin_link_hours * 60,
        ),
    };
    let text = format!(
        "{intro}\n\n{link}\n\nThe link works once and expires in {minutes} minutes. If you did not ask for it, you can ignore this email.\n"
    );
    let to = account
        .email
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored email does not parse: {e}")))?;
    ctx.mailer
        .send(Email { to, subject, text, html: None, message_id: None })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sending a sign-in link failed");
            AppError::Unavailable("the sign-in email could not be sent; try again in a few minutes".into())
        })?;
    Ok(link)
}

/// Sends a sign-in link if an account has this email. Answers the same either way, so the
/// endpoint does not reveal who has an account.
pub async fn request_login_link(ctx: &AppContext, raw_email: &str) -> AppResult<()> {
    let email = EmailAddress::parse("email", raw_email)?;
    if let Some(account) = find_by_email(ctx, &email).await? {
        send_login_link(ctx, &account, LinkPurpose::Login).await?;
    }
    Ok(())
}

/// Trades a magic link for a session. The link is marked used in the same statement that
/// checks it, so two concurrent uses cannot both succeed.
pub async fn consume_magic_link(ctx: &AppContext, token: &str) -> AppResult<TokenPair> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::bad_request("token", "is not a sign-in token"));
    }
    let hash = hash_token(token);
    let link = magic_link::Entity::find()
        .filter(magic_link::Column::TokenHash.eq(&hash))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::bad_request("token", "this sign-in link is not valid; ask for a new one"))?;
    if link.used_at.is_some() {
        return Err(AppError::Gone("this sign-in link has already been used; ask for a new one".into()));
    }
    let at = now();
    if link.expires_at <= at {
        return Err(AppError::Gone("this sign-in link has expired; ask for a new one".into()));
    }
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let claimed = magic_link::Entity::update_many()
        .col_expr(magic_link::Column::UsedAt, Expr::value(at))
        .filter(magic_link::Column::Id.eq(link.id))
        .filter(magic_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Gone("this sign-in link has already been used; ask for a new one".into()));
    }
    // Following the link proves the address.
    account::Entity::update_many()
        .col_expr(account::Column::EmailVerifiedAt, Expr::value(at))
        .col_expr(account::Column::UpdatedAt, Expr::value(at))
        .filter(account::Column::Id.eq(link.account_id))
        .filter(account::Column::EmailVerifiedAt.is_null())
        .exec(&txn)
        .await?;
    let account = account::Entity::find_by_id(link.account_id).one(&txn).await?.ok_or(AppError::NotFound("account"))?;
    let pair = start_session(ctx, &txn, account).await?;
    txn.commit().await?;
    Ok(pair)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordLogin {
    #[schema(format = Email)]
    pub email: String,
    pub password: String,
}

pub async fn login_with_password(ctx: &AppContext, input: PasswordLogin) -> AppResult<TokenPair> {
    let wrong = || AppError::Unauthenticated("the email or the password is wrong".into());
    let email = EmailAddress::parse("email", &input.email)?;
    if input.password.chars().count() > crate::domain::account::PASSWORD_MAX_CHARS {
        return Err(wrong());
    }
    let account = find_by_email(ctx, &email).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let ok = match &stored {
        Some(hash) => verify_password(&input.password, hash),
        None => {
            // Spend the same time as a real check, so timing does not reveal accounts.
            let _ = hash_password(&input.password);
            false
        }
    };
    let account = match account {
        Some(a) if ok => a,
        _ => return Err(wrong()),
    };
    if account.email_verified_at.is_none() {
        return Err(AppError::Forbidden("confirm your email address first: use the sign-in link we sent you".into()));
    }
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let pair = start_session(ctx, &txn, account).await?;
    txn.commit().await?;
    Ok(pair)
}

async fn start_session<C: ConnectionTrait>(ctx: &AppContext, db: &C, account: account::Model) -> AppResult<TokenPair> {
    let at = now();
    let session_id = Uuid::now_v7();
    let jti = Uuid::new_v4();
    session::ActiveModel {
        id: Set(session_id),
        account_id: Set(account.id),
        refresh_jti: Set(jti),
        created_at: Set(at),
        expires_at: Set(at + ctx.tokens.refresh_ttl),
        revoked_at: Set(None),
        revoked_reason: Set(None),
    }
    .insert(db)
    .await?;
    token_pair(ctx, account, session_id, jti).await
}

async fn token_pair(ctx: &AppContext, account: account::Model, session_id: Uuid, refresh_jti: Uuid) -> AppResult<TokenPair> {
    let access_token = ctx.tokens.issue(TokenKind::Access, account.id, session_id, Uuid::new_v4());
    let refresh_token = ctx.tokens.issue(TokenKind::Refresh, account.id, session_id, refresh_jti);
    Ok(TokenPair {
        access_token,
        token_type: "Bearer",
        expires_in: ctx.tokens.access_ttl.num_seconds(),
        refresh_token,
        refresh_expires_in: ctx.tokens.refresh_ttl.num_seconds(),
        account: view(ctx, account).await?,
    })
}

fn token_problem(e: TokenError, what: &str) -> AppError {
    match e {
        TokenError::Expired => AppError::Unauthenticated(format!("the {what} has expired")),
        TokenError::Invalid(why) => AppError::Unauthenticated(format!("the {what} is not valid: {why}")),
    }
}

/// Rotates a refresh token. Presenting a refresh token that was already rotated means it was
/// copied: the whole session is revoked, for the thief and the owner alike.
pub async fn refresh(ctx: &AppContext, refresh_token: &str) -> AppResult<TokenPair> {
    let claims = ctx.tokens.verify(refresh_token, TokenKind::Refresh).map_err(|e| token_problem(e, "refresh token"))?;
    let session = live_session(ctx, claims.sid).await?;
    let new_jti = Uuid::new_v4();
    let rotated = session::Entity::update_many()
        .col_expr(session::Column::RefreshJti, Expr::value(new_jti))
        .filter(session::Column::Id.eq(session.id))
        .filter(session::Column::RefreshJti.eq(claims.jti))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&ctx.db)
        .await?;
    if rotated.rows_affected != 1 {
        revoke_sessions(ctx, session::Column::Id.eq(session.id), "refresh_reuse").await?;
        tracing::warn!(session = %session.id, "refresh token reused; session revoked");
        return Err(AppError::Unauthenticated(
            "this refresh token was already used; the session has been ended for safety, sign in again".into(),
        ));
    }
    let account = get(ctx, session.account_id).await?;
    token_pair(ctx, account, session.id, new_jti).await
}

async fn live_session(ctx: &AppContext, id: Uuid) -> AppResult<session::Model> {
    let session = session::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the session does not exist; sign in again".into()))?;
    if session.revoked_at.is_some() {
        return Err(AppError::Unauthenticated("the session has ended; sign in again".into()));
    }
    if session.expires_at <= now() {
        return Err(AppError::Unauthenticated("the session has expired; sign in again".into()));
    }
    Ok(session)
}

/// Checks an access token and that its session is still live, so logout takes effect at once.
pub async fn authenticate(ctx: &AppContext, access_token: &str) -> AppResult<Viewer> {
    let claims = ctx.tokens.verify(access_token, TokenKind::Access).map_err(|e| token_problem(e, "access token"))?;
    let session = live_session(ctx, claims.sid).await?;
    if session.account_id != claims.sub {
        return Err(AppError::Unauthenticated("the access token is not valid: wrong session".into()));
    }
    let account = account::Entity::find_by_id(claims.sub)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the account no longer exists".into()))?;
    Ok(Viewer { account_id: account.id, session_id: session.id, is_admin: account.is_admin })
}

async fn revoke_sessions(ctx: &AppContext, which: sea_orm::sea_query::SimpleExpr, reason: &str) -> AppResult<u64> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now()))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(which)
        .filter(session::Column::RevokedAt.is_null())
        .exec(&ctx.db)
        .await?;
    Ok(result.rows_affected)
}

/// Ends this session, or every session of the account.
pub async fn logout(ctx: &AppContext, viewer: &Viewer, everywhere: bool) -> AppResult<u64> {
    if everywhere {
        revoke_sessions(ctx, session::Column::AccountId.eq(viewer.account_id), "logout_all").await
    } else {
        revoke_sessions(ctx, session::Column::Id.eq(viewer.session_id), "logout").await
    }
}

pub async fn update_me(ctx: &AppContext, viewer: &Viewer, patch: AccountPatch) -> AppResult<AccountView> {
    let mut errors = FieldErrors::new();
    let name = patch.display_name.as_deref().and_then(|n| errors.take(display_name("display_name", n)));
    let locale = match patch.locale.as_deref() {
        Some(l) => errors.take(locale_or_default(ctx, "locale", Some(l))),
        None => None,
    };
    errors.finish()?;
    let current = get(ctx, viewer.account_id).await?;
    let mut model: account::ActiveModel = current.into();
    if let Some(n) = name {
        model.display_name = Set(n);
    }
    if let Some(l) = locale {
        model.locale = Set(l);
    }
    model.updated_at = Set(now());
    let updated = model.update(&ctx.db).await?;
    view(ctx, updated).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// Required when the account already has a password.
    pub current_password: Option<String>,
    pub new_password: String,
}

pub async fn set_password(ctx: &AppContext, viewer: &Viewer, input: PasswordChange) -> AppResult<()> {
    password("new_password", &input.new_password)?;
    let current = get(ctx, viewer.account_id).await?;
    if let Some(stored) = &current.password_hash {
        let given = input.current_password.as_deref().unwrap_or_default();
        if !verify_password(given, stored) {
            return Err(AppError::invalid("current_password", "does not match your current password"));
        }
    }
    let mut model: account::ActiveModel = current.into();
    model.password_hash = Set(Some(hash_password(&input.new_password)?));
    model.updated_at = Set(now());
    model.update(&ctx.db).await?;
    Ok(())
}

/// Creates an instance admin (or promotes an existing account) and returns a one-time sign-in
/// link, also sent by email. Used by `convene admin create`.
pub async fn create_admin(ctx: &AppContext, raw_email: &str) -> AppResult<(account::Model, String, bool)> {
    let email = EmailAddress::parse("email", raw_email)?;
    let (account, created) = match find_by_email(ctx, &email).await? {
        Some(existing) => {
            let mut model: account::ActiveModel = existing.into();
            model.is_admin = Set(true);
            model.updated_at = Set(now());
            (model.update(&ctx.db).await?, false)
        }
        None => {
            let name = email.as_str().split('@').next().unwrap_or("admin").to_string();
            let locale = ctx.settings.instance.default_language.to_string();
            (insert_account(ctx, &email, &name, &locale, None, true).await?, true)
        }
    };
    let link = match send_login_link(ctx, &account, LinkPurpose::AdminInvite).await {
        Ok(link) => link,
        // The operator is at the console: the printed link is enough when mail is down.
        Err(AppError::Unavailable(why)) => {
            tracing::warn!("{why}");
            create_magic_link(ctx, account.id, LinkPurpose::AdminInvite).await?
        }
        Err(e) => return Err(e),
    };
    Ok((account, link, created))
}

pub fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden("only instance administrators may do this".into()))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountSearch {
    /// Part of an email address to look for.
    pub email: Option<String>,
}

pub async fn list(ctx: &AppContext, viewer: &Viewer, search: &AccountSearch, page: &PageParams) -> AppResult<Page<AccountView>> {
    require_admin(viewer)?;
    let req = page.parse()?;
    let mut query = account::Entity::find().order_by_desc(account::Column::Id).limit(req.limit + 1);
    if let Some(after) = req.after {
        query = query.filter(account::Column::Id.lt(after));
    }
    if let Some(part) = search.email.as_deref().filter(|s| !s.is_empty()) {
        query = query.filter(account::Column::Email.contains(part.to_lowercase()));
    }
    let rows = query.all(&ctx.db).await?;
    let page = Page::from_rows(rows, req, |a| a.id, |a| a);
    let mut items = Vec::with_capacity(page.items.len());
    for a in page.items {
        items.push(view(ctx, a).await?);
    }
    Ok(Page { items, next_cursor: page.next_cursor })
}

/// Grants a verified attribute by an admin's word.
pub async fn grant_attribute(ctx: &AppContext, viewer: &Viewer, account_id: Uuid, name: &str) -> AppResult<AccountView> {
    require_admin(viewer)?;
    let name = attribute_name("name", name)?;
    let target = get(ctx, account_id).await?;
    put_attribute(&ctx.db, account_id, &name, "admin", Some(viewer.account_id)).await?;
    view(ctx, target).await
}

pub(crate) async fn put_attribute<C: ConnectionTrait>(db: &C, account_id: Uuid, name: &str, source: &str, by: Option<Uuid>) -> AppResult<()> {
    let exists = account_attribute::Entity::find_by_id((account_id, name.to_string())).one(db).await?;
    if exists.is_none() {
        account_attribute::ActiveModel {
            account_id: Set(account_id),
            name: Set(name.to_string()),
            source: Set(source.to_string()),
            granted_by: Set(by),
            granted_at: Set(now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn revoke_attribute(ctx: &AppContext, viewer: &Viewer, account_id: Uuid, name: &str) -> AppResult<AccountView> {
    require_admin(viewer)?;
    let target = get(ctx, account_id).await?;
    let deleted = account_attribute::Entity::delete_by_id((account_id, name.to_string())).exec(&ctx.db).await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound("attribute"));
    }
    view(ctx, target).await
}
