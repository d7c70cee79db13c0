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
use uuid::Uuid;

use super::error::AppResult;
use super::jobs::{self, Job};
use super::limits::{self, Limit, Streak};
use super::pagination::{Page, PageParams};
use super::tokens::{TokenError, TokenKind};
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::mail::Email;
use crate::adapters::store::entities::{account, account_attribute, magic_link, session};
use crate::adapters::store::is_unique_violation;
use crate::domain::account::{EmailAddress, attribute_name, display_name, password};
use crate::domain::rate::{ClientAddress, mailbox_key};
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

/// Why a magic link was made; admin invitations live longer. Only the link of a sign-up
/// email may confirm an address and keep the password given at sign-up: anyone could have
/// signed up someone else's address with a password of their own, and the owner following a
/// later sign-in link must not end up with an account the other person can open.
///
/// A deletion link is not a sign-in link: it only confirms the deletion of the account
/// (`account_deletion::confirm`), and sign-in refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Signup,
    Login,
    AdminInvite,
    DeleteAccount,
}

impl LinkPurpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Signup => "signup",
            LinkPurpose::Login => "login",
            LinkPurpose::AdminInvite => "admin_invite",
            LinkPurpose::DeleteAccount => "delete_account",
        }
    }

    /// The page the link opens. A deletion link opens a page that asks to confirm with a
    /// button: following the link alone (as mail scanners do) deletes nothing.
    fn page(self) -> &'static str {
        match self {
            LinkPurpose::Signup | LinkPurpose::Login | LinkPurpose::AdminInvite => "login/magic",
            LinkPurpose::DeleteAccount => "account/delete/confirm",
        }
    }
}

/// The emails about an account, each sent by the job queue with a fresh sign-in link made
/// when it is sent: the link's token is never stored, not even in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEmail {
    /// After sign-up: the link confirms the address.
    Welcome,
    /// Asked for with the address.
    SignIn,
    /// Someone signed up with an address that has an account: tell its owner, offer a link.
    AlreadyRegistered,
    /// `convene admin create`.
    AdminInvite,
    /// The person asked to delete their account: the link confirms it.
    DeletionConfirmation,
}

impl AccountEmail {
    fn purpose(self) -> LinkPurpose {
        match self {
            AccountEmail::Welcome => LinkPurpose::Signup,
            AccountEmail::SignIn | AccountEmail::AlreadyRegistered => LinkPurpose::Login,
            AccountEmail::AdminInvite => LinkPurpose::AdminInvite,
            AccountEmail::DeletionConfirmation => LinkPurpose::DeleteAccount,
        }
    }
}

/// What sign-up answers: the same words whether or not the address already had an account,
/// so that sign-up cannot be used to find out who has one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignupAccepted {
    pub detail: String,
}

pub(crate) fn hash_token(token: &str) -> String {
    crate::adapters::plugins::sha256_hex(token.as_bytes())
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

pub async fn find_by_email<C: ConnectionTrait>(db: &C, email: &EmailAddress) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find().filter(account::Column::Email.eq(email.as_str())).one(db).await?)
}

/// The account that every deleted account's remaining records name where a column must name
/// one (see `account_deletion`). It is nobody: its email is not an address, so no email can
/// reach it and no sign-in can find it; it has no password, session or role; and the use
/// cases treat it as missing.
pub const DELETED_ACCOUNT: Uuid = Uuid::nil();

/// An account by id; the deleted-account placeholder is not one.
pub async fn get(ctx: &AppContext, id: Uuid) -> AppResult<account::Model> {
    if id == DELETED_ACCOUNT {
        return Err(AppError::NotFound("account"));
    }
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

/// Queues a sign-up. The request does the same work whoever signs up (checks, limits, the
/// password hash, one queued job), so neither its answer nor its time says whether the
/// address already has an account; the job (`complete_signup`) creates the account and
/// emails a sign-in link that verifies the address, or tells the owner of an existing one.
pub async fn signup(ctx: &AppContext, client: &ClientAddress, input: SignupInput) -> AppResult<SignupAccepted> {
    let mut errors = FieldErrors::new();
    let email = errors.take(EmailAddress::parse("email", &input.email));
    let name = errors.take(display_name("display_name", &input.display_name));
    let locale = errors.take(locale_or_default(ctx, "locale", input.locale.as_deref()));
    if let Some(p) = &input.password {
        errors.take(password("password", p));
    }
    errors.finish()?;
    let (email, name, locale) = (email.unwrap(), name.unwrap(), locale.unwrap());
    limits::hit(ctx, Limit::SignupPerClient, &client.key()).await?;
    limits::hit(ctx, Limit::SignupPerEmail, &mailbox_key(&email)).await?;
    let password_hash = input.password.as_deref().map(hash_password).transpose()?;
    let signup = Signup { email: email.as_str().to_string(), display_name: name, locale, password_hash };
    jobs::enqueue(&ctx.db, Job::Signup(signup)).await?;
    ctx.jobs_wake_after_response();
    Ok(SignupAccepted {
        detail: "We have sent an email to this address. Follow the link in it to finish signing up or to sign in; it may take a few minutes to arrive.".into(),
    })
}

/// A checked sign-up waiting in the job queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signup {
    pub email: String,
    pub display_name: String,
    pub locale: String,
    /// Argon2 hash; removed from the queued job once the account is made.
    pub password_hash: Option<String>,
}

/// The job behind `signup`, in one transaction: creates the account unless the address has
/// one, queues the welcome or the "you already have an account" email, and drops the
/// password hash from the job. The email's id derives from the job's, so a retry after a
/// crash queues nothing twice.
pub(crate) async fn complete_signup(ctx: &AppContext, job_id: Uuid, signup: Signup) -> AppResult<()> {
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let new_id = Uuid::now_v7();
    let at = now();
    let row = account::ActiveModel {
        id: Set(new_id),
        email: Set(signup.email.clone()),
        display_name: Set(signup.display_name.clone()),
        locale: Set(signup.locale.clone()),
        password_hash: Set(signup.password_hash.clone()),
        is_admin: Set(false),
        email_verified_at: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    };
    // Inserts or does nothing: no error that would abort the transaction.
    account::Entity::insert(row)
        .on_conflict(sea_orm::sea_query::OnConflict::column(account::Column::Email).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
    let id: Uuid = account::Entity::find()
        .filter(account::Column::Email.eq(signup.email.as_str()))
        .select_only()
        .column(account::Column::Id)
        .into_tuple()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound("account"))?;
    let email = if id == new_id { AccountEmail::Welcome } else { AccountEmail::AlreadyRegistered };
    jobs::enqueue_with_id(&txn, Uuid::new_v5(&job_id, b"email"), Job::AccountEmail { account_id: id, email }).await?;
    jobs::replace_payload(&txn, job_id, &Job::Signup(signup).forgetting_secrets()).await?;
    txn.commit().await?;
    ctx.jobs_wake();
    Ok(())
}

async fn insert_account<C: ConnectionTrait>(
    db: &C,
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
    model.insert(db).await.map_err(|e| {
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
        LinkPurpose::Signup | LinkPurpose::Login | LinkPurpose::DeleteAccount => Duration::minutes(ctx.settings.auth.magic_link_minutes),
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
    Ok(ctx.link(&format!("{}?token={token}", purpose.page())))
}

/// Sends one of the emails about an account (run by the job queue, `job_id` becoming its
/// Message-ID). The sign-in link in it is made here, so its token exists only in the email.
/// An account deleted since the job was queued gets nothing.
pub(crate) async fn send_account_email(ctx: &AppContext, job_id: Uuid, account_id: Uuid, kind: AccountEmail) -> AppResult<()> {
    let Some(account) = account::Entity::find_by_id(account_id).one(&ctx.db).await? else { return Ok(()) };
    let link = create_magic_link(ctx, account.id, kind.purpose()).await?;
    let instance = &ctx.settings.instance.name;
    let name = &account.display_name;
    let login_minutes = ctx.settings.auth.magic_link_minutes;
    let (subject, intro, minutes) = match kind {
        AccountEmail::Welcome => (
            format!("Your sign-in link for {instance}"),
            format!("Hello {name},\n\nWelcome to {instance}. Use this link to confirm your email address and sign in."),
            login_minutes,
        ),
        AccountEmail::SignIn => (
            format!("Your sign-in link for {instance}"),
            format!("Hello {name},\n\nUse this link to sign in to {instance}."),
            login_minutes,
        ),
        AccountEmail::AlreadyRegistered => (
            format!("You already have an account on {instance}"),
            format!(
                "Hello {name},\n\nSomeone, perhaps you, tried to sign up to {instance} with this email address. It already has an account, so no new one was made and nothing has changed.\n\nIf it was you, use this link to sign in instead."
            ),
            login_minutes,
        ),
        AccountEmail::AdminInvite => (
            format!("You are an administrator of {instance}"),
            format!("Hello,\n\nAn administrator account for {instance} was created for this address. Use this link to sign in."),
            ctx.settings.auth.admin_link_hours * 60,
        ),
        AccountEmail::DeletionConfirmation => (
            format!("Confirm the deletion of your account on {instance}"),
            format!(
                "Hello {name},\n\nSomeone, perhaps you, asked to delete your account on {instance}. Nothing has been deleted yet.\n\nIf you confirm, your account is deleted for good: your email address, your name, your sign-ins, settings and memberships. You are signed out everywhere. Your contributions stay in their processes, with the organisers' responses to them, but no longer linked to you.\n\nTo confirm, open this link and press the button on the page it opens."
            ),
            login_minutes,
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
        .send(Email { to, subject, text, html: None, message_id: Some(jobs::message_id(ctx, job_id)), unsubscribe: None })
        .await
        .map_err(|e| AppError::Unavailable(format!("sending the {kind:?} email failed: {e}")))
}

/// Queues a sign-in link for the address. Whether an account has it is looked up by the job,
/// not here: the request does the same work and answers the same whoever asks.
pub async fn request_login_link(ctx: &AppContext, client: &ClientAddress, raw_email: &str) -> AppResult<()> {
    let email = EmailAddress::parse("email", raw_email)?;
    limits::hit(ctx, Limit::SignInLinkPerClient, &client.key()).await?;
    limits::hit(ctx, Limit::SignInLinkPerEmail, &mailbox_key(&email)).await?;
    jobs::enqueue(&ctx.db, Job::SignInRequest { email: email.as_str().to_string() }).await?;
    ctx.jobs_wake_after_response();
    Ok(())
}

/// The job behind `request_login_link`: a sign-in email if the address has an account.
pub(crate) async fn send_requested_link(ctx: &AppContext, job_id: Uuid, email: &str) -> AppResult<()> {
    let Ok(email) = EmailAddress::parse("email", email) else { return Ok(()) };
    match find_by_email(&ctx.db, &email).await? {
        Some(account) => send_account_email(ctx, job_id, account.id, AccountEmail::SignIn).await,
        None => Ok(()),
    }
}

/// Trades a magic link for a session. The link is marked used in the same statement that
/// checks it, so two concurrent uses cannot both succeed.
pub async fn consume_magic_link(ctx: &AppContext, token: &str) -> AppResult<TokenPair> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::bad_request("token", "is not a sign-in token"));
    }
    let hash = hash_token(token);
    // A deletion link confirms a deletion and nothing else: it does not sign in.
    let link = magic_link::Entity::find()
        .filter(magic_link::Column::TokenHash.eq(&hash))
        .filter(magic_link::Column::Purpose.ne(LinkPurpose::DeleteAccount.as_str()))
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
    // A password set before the address was confirmed stays only when the sign-up email's
    // own link confirms it (see LinkPurpose).
    if link.purpose != LinkPurpose::Signup.as_str() {
        account::Entity::update_many()
            .col_expr(account::Column::PasswordHash, Expr::value(Option::<String>::None))
            .filter(account::Column::Id.eq(link.account_id))
            .filter(account::Column::EmailVerifiedAt.is_null())
            .exec(&txn)
            .await?;
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

/// Signs in with a password. Limited per client address, and after repeated failures per
/// account and per client address the next attempt waits, longer after each failure. A wrong
/// password, an unknown address and an address not yet confirmed all get the same answer.
pub async fn login_with_password(ctx: &AppContext, client: &ClientAddress, input: PasswordLogin) -> AppResult<TokenPair> {
    let refused = || AppError::Unauthenticated(
        "the email or the password is wrong, or the address is not confirmed yet (use the sign-in link we emailed you)".into(),
    );
    let email = EmailAddress::parse("email", &input.email)?;
    let client_key = client.key();
    let streaks = [(Streak::PasswordFailuresPerAccount, email.as_str()), (Streak::PasswordFailuresPerClient, client_key.as_str())];
    limits::hit(ctx, Limit::PasswordPerClient, &client_key).await?;
    limits::ensure_not_waiting(ctx, &streaks).await?;

    let account = find_by_email(&ctx.db, &email).await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let too_long = input.password.chars().count() > crate::domain::account::PASSWORD_MAX_CHARS;
    let ok = match &stored {
        Some(hash) if !too_long => verify_password(&input.password, hash),
        _ => {
            // Spend the same time as a real check, so timing does not reveal accounts.
            if !too_long {
                let _ = hash_password(&input.password);
            }
            false
        }
    };
    let account = match account {
        Some(a) if ok && a.email_verified_at.is_some() => a,
        _ => {
            for (streak, key) in streaks {
                limits::strike(ctx, streak, key).await?;
            }
            return Err(refused());
        }
    };
    for (streak, key) in streaks {
        limits::clear(ctx, streak, key).await?;
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
    authenticate_account(ctx, access_token).await.map(|(viewer, _)| viewer)
}

/// As [`authenticate`], with the account it reads anyway (pages show the name and use the
/// language setting).
pub async fn authenticate_account(ctx: &AppContext, access_token: &str) -> AppResult<(Viewer, account::Model)> {
    let claims = ctx.tokens.verify(access_token, TokenKind::Access).map_err(|e| token_problem(e, "access token"))?;
    let session = live_session(ctx, claims.sid).await?;
    if session.account_id != claims.sub {
        return Err(AppError::Unauthenticated("the access token is not valid: wrong session".into()));
    }
    let account = account::Entity::find_by_id(claims.sub)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the account no longer exists".into()))?;
    Ok((Viewer { account_id: account.id, session_id: session.id, is_admin: account.is_admin }, account))
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
/// link for the operator at the console. An invitation email with a link of its own is queued
/// in the same transaction, and sent by the server's job worker.
pub async fn create_admin(ctx: &AppContext, raw_email: &str) -> AppResult<(account::Model, String, bool)> {
    let email = EmailAddress::parse("email", raw_email)?;
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let existing = find_by_email(&txn, &email).await?;
    let (account, created) = match existing {
        Some(existing) => {
            let mut model: account::ActiveModel = existing.into();
            model.is_admin = Set(true);
            model.updated_at = Set(now());
            (model.update(&txn).await?, false)
        }
        None => {
            let name = email.as_str().split('@').next().unwrap_or("admin").to_string();
            let locale = ctx.settings.instance.default_language.to_string();
            (insert_account(&txn, &email, &name, &locale, None, true).await?, true)
        }
    };
    jobs::enqueue(&txn, Job::AccountEmail { account_id: account.id, email: AccountEmail::AdminInvite }).await?;
    txn.commit().await?;
    ctx.jobs_wake();
    let link = create_magic_link(ctx, account.id, LinkPurpose::AdminInvite).await?;
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
    let mut query = account::Entity::find()
        .filter(account::Column::Id.ne(DELETED_ACCOUNT))
        .order_by_desc(account::Column::Id)
        .limit(req.limit + 1);
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

/// One account, for an instance administrator.
pub async fn admin_view(ctx: &AppContext, viewer: &Viewer, account_id: Uuid) -> AppResult<AccountView> {
    require_admin(viewer)?;
    let account = get(ctx, account_id).await?;
    view(ctx, account).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminRight {
    /// Whether the account is an instance administrator.
    pub is_admin: bool,
}

/// Grants or removes an account's instance administrator right (instance admins). Nobody
/// removes their own right: the one who removes one is an administrator and stays one, so
/// the instance is never left without an administrator.
pub async fn set_admin(ctx: &AppContext, viewer: &Viewer, account_id: Uuid, is_admin: bool) -> AppResult<AccountView> {
    require_admin(viewer)?;
    if account_id == viewer.account_id && !is_admin {
        return Err(AppError::conflict(
            "is_admin",
            "you cannot remove your own administrator right; another administrator must do it, so the instance always keeps one",
        ));
    }
    let target = get(ctx, account_id).await?;
    if target.is_admin == is_admin {
        return view(ctx, target).await;
    }
    let mut model: account::ActiveModel = target.into();
    model.is_admin = Set(is_admin);
    model.updated_at = Set(now());
    let saved = model.update(&ctx.db).await?;
    tracing::info!(account = %account_id, by = %viewer.account_id, is_admin, "instance administrator right changed");
    view(ctx, saved).await
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
