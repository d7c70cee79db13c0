//! Rate limits counted in the database, so that they hold however many replicas serve the
//! instance. Each limit and key (a mailbox, a client address, an account) has at most one
//! row, changed by one atomic statement: a count per window is a generic cell rate (GCRA,
//! the row holds the theoretical arrival time of the next event), a password failure streak
//! is a counter with the end of its current wait. Rows that no longer limit anything are
//! swept by the job worker.

use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{ConnectionTrait, QueryResult};

use super::{AppContext, AppError, now};
use crate::config::LimitSettings;
use crate::domain::rate::{Rate, backoff, wait_in_words};

use super::error::AppResult;

/// A count per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    SignInLinkPerEmail,
    SignInLinkPerClient,
    SignupPerEmail,
    SignupPerClient,
    PasswordPerClient,
    ContributionsPerAccount,
    ReportsPerAccount,
    /// Emails a plugin asked for, per activity and recipient (see app::notifications).
    NotificationsPerRecipient,
    /// Emails a plugin asked for, per activity.
    NotificationsPerActivity,
}

impl Limit {
    /// Also the setting's name under `[limits]`.
    fn bucket(self) -> &'static str {
        match self {
            Limit::SignInLinkPerEmail => "sign_in_link_per_email",
            Limit::SignInLinkPerClient => "sign_in_link_per_client",
            Limit::SignupPerEmail => "signup_per_email",
            Limit::SignupPerClient => "signup_per_client",
            Limit::PasswordPerClient => "password_per_client",
            Limit::ContributionsPerAccount => "contributions_per_account",
            Limit::ReportsPerAccount => "reports_per_account",
            Limit::NotificationsPerRecipient => "notifications_per_recipient",
            Limit::NotificationsPerActivity => "notifications_per_activity",
        }
    }

    fn rate(self, s: &LimitSettings) -> Option<Rate> {
        match self {
            Limit::SignInLinkPerEmail => s.sign_in_link_per_email,
            Limit::SignInLinkPerClient => s.sign_in_link_per_client,
            Limit::SignupPerEmail => s.signup_per_email,
            Limit::SignupPerClient => s.signup_per_client,
            Limit::PasswordPerClient => s.password_per_client,
            Limit::ContributionsPerAccount => s.contributions_per_account,
            Limit::ReportsPerAccount => s.reports_per_account,
            Limit::NotificationsPerRecipient => s.notifications_per_recipient,
            Limit::NotificationsPerActivity => s.notifications_per_activity,
        }
    }

    /// What was refused, for the problem's detail.
    fn what(self) -> &'static str {
        match self {
            Limit::SignInLinkPerEmail => "too many sign-in or confirmation links were asked for this email address",
            Limit::SignInLinkPerClient => "too many sign-in links were asked from your network address",
            Limit::SignupPerEmail => "too many sign-ups were made with this email address",
            Limit::SignupPerClient => "too many sign-ups were made from your network address",
            Limit::PasswordPerClient => "too many password sign-ins were tried from your network address",
            Limit::ContributionsPerAccount => "you have made many contributions in a short time",
            Limit::ReportsPerAccount => "you have reported many contributions in a short time",
            Limit::NotificationsPerRecipient => "this activity has emailed this person often in a short time",
            Limit::NotificationsPerActivity => "this activity has sent many emails in a short time",
        }
    }
}

/// Consecutive failures that make the next attempt wait, longer after each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streak {
    PasswordFailuresPerAccount,
    PasswordFailuresPerClient,
}

impl Streak {
    fn bucket(self) -> &'static str {
        match self {
            Streak::PasswordFailuresPerAccount => "password_failures_per_account",
            Streak::PasswordFailuresPerClient => "password_failures_per_client",
        }
    }

    fn rate(self, s: &LimitSettings) -> Option<Rate> {
        match self {
            Streak::PasswordFailuresPerAccount => s.password_failures_per_account,
            Streak::PasswordFailuresPerClient => s.password_failures_per_client,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Streak::PasswordFailuresPerAccount => "too many wrong passwords were given for this email address",
            Streak::PasswordFailuresPerClient => "too many wrong passwords were given from your network address",
        }
    }
}

#[derive(sea_orm::DeriveIden)]
enum RateLimits {
    Table,
    Bucket,
    Key,
    UntilMs,
    Strikes,
    ExpiresMs,
}

/// What is counted is stored as a hash: the table holds no addresses.
fn hashed(key: &str) -> String {
    crate::adapters::plugins::sha256_hex(key.as_bytes())
}

fn now_ms() -> i64 {
    now().timestamp_millis()
}

fn col(c: RateLimits) -> Expr {
    Expr::col((RateLimits::Table, c))
}

fn too_many(what: &str, wait_ms: i64, hint: &str) -> AppError {
    let seconds = (Ord::max(wait_ms, 1) as u64).div_ceil(1000);
    AppError::TooManyRequests { retry_after: seconds, detail: format!("{what}; try again in {}{hint}", wait_in_words(seconds)) }
}

/// Counts one event under `key`; refuses it (429 with the wait) when the limit is reached.
/// A refused event is not counted, so a client that keeps trying gets through at the
/// sustained rate and no faster.
pub async fn hit(ctx: &AppContext, limit: Limit, key: &str) -> AppResult<()> {
    let Some(rate) = limit.rate(&ctx.settings.limits) else { return Ok(()) };
    if count(&ctx.db, limit.bucket(), rate, &hashed(key)).await? {
        return Ok(());
    }
    // Refused: the next event fits once the arrival time has come within the burst.
    let (interval, burst, now) = (rate.interval_ms(), rate.interval_ms() * rate.count as i64, now_ms());
    let until = until_of(ctx, limit.bucket(), &hashed(key)).await?.unwrap_or(now);
    metrics::counter!("convene_rate_limited_total", "limit" => limit.bucket()).increment(1);
    Err(too_many(limit.what(), until + interval - burst - now, ""))
}

/// Counts one event under `key` on `db` (a transaction, so that the count goes if what it
/// counted is rolled back) when the limit admits it; returns whether it did. For limits on
/// what the server does rather than on requests: nobody is answered 429.
pub async fn admits<C: ConnectionTrait>(ctx: &AppContext, db: &C, limit: Limit, key: &str) -> AppResult<bool> {
    match limit.rate(&ctx.settings.limits) {
        None => Ok(true),
        Some(rate) => count(db, limit.bucket(), rate, &hashed(key)).await,
    }
}

/// The generic cell rate in one statement: moves the bucket's arrival time on by one interval
/// if that stays within the burst; returns whether it did.
async fn count<C: ConnectionTrait>(db: &C, bucket: &str, rate: Rate, key: &str) -> AppResult<bool> {
    let now = now_ms();
    let interval = rate.interval_ms();
    // The burst the bucket admits: `count` events at once.
    let burst = interval * rate.count as i64;
    let next = Expr::from(Func::greatest([col(RateLimits::UntilMs), Expr::val(now)])).add(interval);
    let stmt = Query::insert()
        .into_table(RateLimits::Table)
        .columns([RateLimits::Bucket, RateLimits::Key, RateLimits::UntilMs, RateLimits::Strikes, RateLimits::ExpiresMs])
        .values_panic([bucket.into(), key.into(), (now + interval).into(), 0.into(), (now + interval).into()])
        .on_conflict(
            OnConflict::columns([RateLimits::Bucket, RateLimits::Key])
                .value(RateLimits::UntilMs, next.clone())
                .value(RateLimits::ExpiresMs, next.clone())
                .action_and_where(next.sub(now).lte(burst))
                .to_owned(),
        )
        .returning_col(RateLimits::UntilMs)
        .to_owned();
    Ok(db.query_one(&stmt).await?.is_some())
}

async fn until_of(ctx: &AppContext, bucket: &str, key: &str) -> AppResult<Option<i64>> {
    let stmt = Query::select()
        .column(RateLimits::UntilMs)
        .from(RateLimits::Table)
        .and_where(col(RateLimits::Bucket).eq(bucket))
        .and_where(col(RateLimits::Key).eq(key))
        .to_owned();
    let row: Option<QueryResult> = ctx.db.query_one(&stmt).await?;
    Ok(match row {
        Some(r) => Some(r.try_get::<i64>("", "until_ms")?),
        None => None,
    })
}

/// Refuses (429) while any of the streaks makes its key wait.
pub async fn ensure_not_waiting(ctx: &AppContext, streaks: &[(Streak, &str)]) -> AppResult<()> {
    let now = now_ms();
    for (streak, key) in streaks {
        if streak.rate(&ctx.settings.limits).is_none() {
            continue;
        }
        if let Some(until) = until_of(ctx, streak.bucket(), &hashed(key)).await?
            && until > now
        {
            metrics::counter!("convene_rate_limited_total", "limit" => streak.bucket()).increment(1);
            return Err(too_many(streak.what(), until - now, ", or ask for a sign-in link by email"));
        }
    }
    Ok(())
}

/// Records one more failure; past the free ones, the key waits 1 s, then 2 s, 4 s... up to
/// the window. The streak is forgotten a window after its last wait ends.
pub async fn strike(ctx: &AppContext, streak: Streak, key: &str) -> AppResult<()> {
    let Some(rate) = streak.rate(&ctx.settings.limits) else { return Ok(()) };
    let (bucket, key, now) = (streak.bucket(), hashed(key), now_ms());
    let window = rate.window_ms();
    let stmt = Query::insert()
        .into_table(RateLimits::Table)
        .columns([RateLimits::Bucket, RateLimits::Key, RateLimits::UntilMs, RateLimits::Strikes, RateLimits::ExpiresMs])
        .values_panic([bucket.into(), key.clone().into(), now.into(), 1.into(), (now + window).into()])
        .on_conflict(
            OnConflict::columns([RateLimits::Bucket, RateLimits::Key])
                // An expired streak starts again.
                .value(
                    RateLimits::Strikes,
                    Expr::case(col(RateLimits::ExpiresMs).lte(now), Expr::val(1)).finally(col(RateLimits::Strikes).add(1)),
                )
                .value(RateLimits::ExpiresMs, Func::greatest([col(RateLimits::ExpiresMs), Expr::val(now + window)]))
                .to_owned(),
        )
        .returning_col(RateLimits::Strikes)
        .to_owned();
    let strikes: i32 = match ctx.db.query_one(&stmt).await? {
        Some(row) => row.try_get("", "strikes")?,
        None => 1,
    };
    let wait = backoff(Ord::max(strikes, 0) as u32, rate.count, rate.window).as_millis() as i64;
    if wait > 0 {
        // GREATEST: a concurrent failure that set a longer wait keeps it.
        let stmt = Query::update()
            .table(RateLimits::Table)
            .value(RateLimits::UntilMs, Func::greatest([col(RateLimits::UntilMs), Expr::val(now + wait)]))
            .value(RateLimits::ExpiresMs, Func::greatest([col(RateLimits::ExpiresMs), Expr::val(now + wait + window)]))
            .and_where(col(RateLimits::Bucket).eq(bucket))
            .and_where(col(RateLimits::Key).eq(key))
            .to_owned();
        ctx.db.execute(&stmt).await?;
    }
    Ok(())
}

/// Ends a streak (the right password was given).
pub async fn clear(ctx: &AppContext, streak: Streak, key: &str) -> AppResult<()> {
    let stmt = Query::delete()
        .from_table(RateLimits::Table)
        .and_where(col(RateLimits::Bucket).eq(streak.bucket()))
        .and_where(col(RateLimits::Key).eq(hashed(key)))
        .to_owned();
    ctx.db.execute(&stmt).await?;
    Ok(())
}

/// What a rate-limit row counts under a key: a count per window or a failure streak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Limit(Limit),
    Streak(Streak),
}

impl Counter {
    fn bucket(self) -> &'static str {
        match self {
            Counter::Limit(l) => l.bucket(),
            Counter::Streak(s) => s.bucket(),
        }
    }
}

/// Deletes the rows of these counters and keys, on `db` (the transaction that erases the
/// account they were about: even hashed, an address is the person's); returns how many.
pub async fn forget<C: ConnectionTrait>(db: &C, counted: &[(Counter, String)]) -> AppResult<u64> {
    let mut forgotten = 0;
    for (counter, key) in counted {
        let stmt = Query::delete()
            .from_table(RateLimits::Table)
            .and_where(col(RateLimits::Bucket).eq(counter.bucket()))
            .and_where(col(RateLimits::Key).eq(hashed(key)))
            .to_owned();
        forgotten += db.execute(&stmt).await?.rows_affected();
    }
    Ok(forgotten)
}

/// Deletes the rows that limit nothing any more; returns how many.
pub async fn sweep(ctx: &AppContext) -> AppResult<u64> {
    let stmt = Query::delete().from_table(RateLimits::Table).and_where(col(RateLimits::ExpiresMs).lt(now_ms())).to_owned();
    Ok(ctx.db.execute(&stmt).await?.rows_affected())
}
