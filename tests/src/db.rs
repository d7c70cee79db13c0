//! One fresh, empty database per test, so tests never see each other's rows and can run in
//! parallel. The engine is chosen by `CONVENE_TEST_DB` (`sqlite`, the default, or
//! `postgres`), so the same suites run against both.

use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use tempfile::TempDir;

/// The PostgreSQL server the suites use unless `CONVENE_TEST_PG_URL` names another. Any
/// database on it works as the admin connection; `postgres` always exists.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    /// The engine named by `CONVENE_TEST_DB`; unset means SQLite. Panics on anything else, so
    /// that a typo does not silently run the suite on the wrong engine.
    pub fn from_env() -> DbKind {
        match std::env::var("CONVENE_TEST_DB").ok().as_deref().map(str::trim) {
            None | Some("") | Some("sqlite") => DbKind::Sqlite,
            Some("postgres") | Some("postgresql") => DbKind::Postgres,
            Some(other) => panic!("CONVENE_TEST_DB={other:?}: expected `sqlite` or `postgres`"),
        }
    }
}

/// A database that exists for one test. SQLite: a file in a temporary directory, removed with
/// it. PostgreSQL: a database with a unique name, dropped when this is dropped.
#[derive(Debug)]
pub struct TestDb {
    kind: DbKind,
    url: String,
    /// Keeps the SQLite file's directory alive; deleted on drop.
    _dir: Option<TempDir>,
    /// What to drop on the PostgreSQL server.
    pg: Option<PgDatabase>,
}

#[derive(Debug)]
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// A fresh database of the kind `CONVENE_TEST_DB` selects.
    pub async fn new() -> TestDb {
        TestDb::of_kind(DbKind::from_env()).await
    }

    /// A fresh database of the given kind.
    pub async fn of_kind(kind: DbKind) -> TestDb {
        match kind {
            DbKind::Sqlite => {
                let dir = tempfile::Builder::new().prefix("convene-db-").tempdir().expect("create a temporary directory");
                let path = dir.path().join("convene.db");
                // mode=rwc: the server creates the file on first connect.
                let url = format!("sqlite://{}?mode=rwc", path.display());
                TestDb { kind, url, _dir: Some(dir), pg: None }
            }
            DbKind::Postgres => {
                let admin_url = std::env::var("CONVENE_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
                let name = format!("convene_t_{}", uuid::Uuid::new_v4().simple());
                let admin = admin_connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("cannot reach PostgreSQL for CONVENE_TEST_DB=postgres at {admin_url}: {e} (set CONVENE_TEST_PG_URL)")
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
                let _ = admin.close().await;
                let url = database_url(&admin_url, &name);
                TestDb { kind, url, _dir: None, pg: Some(PgDatabase { admin_url, name }) }
            }
        }
    }

    /// The URL to hand to the server (`CONVENE_DATABASE_URL`) or to `sea_orm::Database::connect`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(PgDatabase { admin_url, name }) = self.pg.take() else {
            return; // SQLite: the TempDir field removes the file.
        };
        // Drop may run inside the test's Tokio runtime, where blocking on another future is
        // not allowed; a separate thread with its own small runtime can. Joining it makes the
        // drop finish before the test process exits. Best effort: a leftover test database is
        // untidy, not wrong, so a failure is reported and ignored.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = admin_connect(&admin_url).await.ok()?;
                // FORCE ends the sessions of a server that has not quite exited yet.
                let result = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
                let _ = admin.close().await;
                if let Err(e) = result {
                    eprintln!("note: could not drop test database {name}: {e}");
                }
                Some(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("note: could not drop a PostgreSQL test database (server unreachable?)");
        }
    }
}

async fn admin_connect(url: &str) -> Result<sea_orm::DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    // One statement at a time is all this connection does; keep it quiet in test output.
    options.max_connections(1).min_connections(0).sqlx_logging(false);
    Database::connect(options).await
}

/// `admin_url` with its database (the URL path) replaced by `name`; user, host, port and
/// query parameters (sslmode, say) are kept.
fn database_url(admin_url: &str, name: &str) -> String {
    let mut url = reqwest::Url::parse(admin_url).unwrap_or_else(|e| panic!("CONVENE_TEST_PG_URL {admin_url:?} is not a URL: {e}"));
    url.set_path(&format!("/{name}"));
    url.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_url_keeps_everything_but_the_database() {
        assert_eq!(
            super::database_url("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "convene_t_1"),
            "postgres://postgres@127.0.0.1:5432/convene_t_1?sslmode=disable"
        );
        assert_eq!(super::database_url("postgres://u:p@db:5432", "x"), "postgres://u:p@db:5432/x");
    }
}
