//! End-to-end test harness for Convene.
//!
//! Every test starts the real `convene` binary ([`TestApp`]) on its own fresh database
//! ([`TestDb`], SQLite or PostgreSQL by `CONVENE_TEST_DB`) with its own SMTP server
//! ([`SmtpSink`]) and drives it over HTTP, SMTP and the CLI, as a person or an operator would.
//! Nothing here links the server crate: what is tested is what ships. Pages are also driven in
//! a real browser ([`browser::run_scenario`]).
//!
//! ```no_run
//! # async fn example() {
//! use convene_e2e::{TestApp, problem};
//! let app = TestApp::spawn().await;
//! let res = app.post_json("/api/v1/auth/signup", &serde_json::json!({"email": "nope"})).send().await.unwrap();
//! assert_eq!(res.status(), 422);
//! let body = problem(res).await;
//! # }
//! ```

pub mod app;
pub mod browser;
pub mod db;
pub mod federation;
pub mod flows;
pub mod http;
pub mod pages;
pub mod remote_site;
pub mod smtp_sink;
pub mod traces;

pub use app::{METRICS_TOKEN, TestApp, TestAppBuilder, WithToken, convene_bin};
pub use db::{DbKind, TestDb};
pub use http::{expect_json, problem};
pub use smtp_sink::{ReceivedMail, SmtpSink};
