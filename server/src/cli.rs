//! The `convene` command: serve, migrate, administer, load the demo.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::adapters::mail::Mailer;
use crate::adapters::store;
use crate::app::plugins::{self, InstallMode, InstallOptions, Installer};
use crate::app::{AppContext, accounts, plugin_rollback};
use crate::config::{CliOverrides, Settings};
use crate::{adapters, demo, http, ledger_verify, publisher_keys, served_url, telemetry};

/// Convene: a self-hostable, federated participation server.
#[derive(Parser)]
#[command(name = "convene", version, about, long_about = None)]
struct Cli {
    /// Configuration file (default: ./convene.toml if it exists). Environment variables
    /// CONVENE_* override it, and flags override both.
    #[arg(long, global = true, env = "CONVENE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct CommonArgs {
    /// Database URL: sqlite://FILE?mode=rwc (default sqlite://convene.db?mode=rwc) or
    /// postgres://USER@HOST/DB.
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,

    /// Folder for secrets and the mail outbox (default ./convene-data).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// The address people use to reach this instance, e.g. https://participa.example.org
    #[arg(long, global = true, value_name = "URL")]
    public_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080; port 0 picks a free port).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Load the demo processes before serving (skipped if already loaded) and print a
        /// one-time sign-in link for a demo participant. The demo offers the languages it is
        /// written in (en, es, fr, ar) besides instance.languages.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        /// List applied and pending migrations instead of applying them.
        #[arg(long)]
        status: bool,
    },
    /// Administer the instance.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage activity types (WebAssembly plugins).
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Check a public ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Load the demo processes (a national AI strategy, a city strategy, a regulator's citizen
    /// panel, an oversight group, a finished local strategy with its contributions, responses
    /// and outcome, a consultation in Arabic) into the database and exit. Prints a sign-in
    /// link for a demo participant.
    Demo,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an instance administrator (or promote an account) and print a one-time sign-in
    /// link; an invitation email with another one is queued for the server to send.
    Create {
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Verify a whole ledger: every link, every hash, every signature. SOURCE is an
    /// instance's address (https://participa.example.org) or a JSON file saved from its
    /// /api/v1/ledger. Names the first bad entry.
    Verify {
        source: String,
        /// The instance's public key (base64) as you got it from a trusted place; by default
        /// the key the ledger itself gives is used, which proves consistency only.
        #[arg(long, value_name = "BASE64")]
        public_key: Option<String>,
    },
}

#[derive(Subcommand)]
enum PluginCommand {
    /// Install a new activity type from a component (.wasm). Signed (--signature), the type is
    /// bound to its publisher's key; unsigned, to `unsigned`.
    Install {
        file: PathBuf,
        /// Refuse the file unless its SHA-256 is this (hex), e.g. the one its author published.
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// The publisher's detached signature of the file (from `convene plugin sign`).
        #[arg(long, value_name = "SIGFILE")]
        signature: Option<PathBuf>,
    },
    /// Upgrade an installed activity type to a newer version; its activities keep their data.
    /// The new version must come from the publisher the type is bound to.
    Upgrade {
        file: PathBuf,
        /// Refuse the file unless its SHA-256 is this (hex), e.g. the one its author published.
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// The publisher's detached signature of the file (from `convene plugin sign`).
        #[arg(long, value_name = "SIGFILE")]
        signature: Option<PathBuf>,
        /// Accept a component from another publisher (another key, or unsigned) than the one
        /// the type is bound to: that publisher's code then runs every activity of the type,
        /// reads their contributions and may notify their participants. Recorded in the ledger.
        #[arg(long)]
        replace_publisher: bool,
    },
    /// Go back to the version of an activity type that ran before the current one.
    Rollback { type_id: String },
    /// List installed activity types: id, version, status, source, publisher, contract, SHA-256.
    List,
    /// Stop an activity type from taking contributions (until enabled again).
    Disable { type_id: String },
    /// Enable a disabled activity type.
    Enable { type_id: String },
    /// Wrap a core WebAssembly module built with convene-sdk (wasm32-unknown-unknown) into a
    /// component that can be installed.
    Pack {
        module: PathBuf,
        /// Where to write the component.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// For plugin authors: make a publisher key (Ed25519) to sign your releases with. Keep the
    /// file secret; publish the public key it prints.
    Keygen {
        /// Where to write the secret key (refused if the file exists).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// For plugin authors: sign a component with your publisher key; writes a detached
    /// signature that administrators give to `plugin install --signature`.
    Sign {
        file: PathBuf,
        /// Your secret key file (from `convene plugin keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Where to write the signature (default: FILE.sig).
        #[arg(short, long, value_name = "SIGFILE")]
        output: Option<PathBuf>,
    },
}

impl PluginCommand {
    /// Only these read the registry as a whole, so only they need the built-in types
    /// registered (which compiles them the first time); installing or upgrading another type
    /// does not, and the server registers them at start anyway.
    fn needs_builtins(&self) -> bool {
        matches!(self, PluginCommand::List | PluginCommand::Disable { .. } | PluginCommand::Enable { .. } | PluginCommand::Rollback { .. })
    }
}

pub fn main() {
    let cli = Cli::parse();
    let result = actix_web::rt::System::new().block_on(run(cli));
    if let Err(e) = result {
        eprintln!("error: {}", one_line(&e));
        std::process::exit(1);
    }
}

/// The error and its causes on one line, each said once: many errors (the database's among
/// them) include their cause's message in their own, and printing the chain as it is would
/// repeat it.
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let message = cause.to_string();
        if message.is_empty() || line.contains(&message) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&message);
    }
    line.replace('\n', " ")
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Verifying someone's ledger, and a plugin author's tools, need no settings and no
    // database (and must not create either in the author's folder).
    if let Command::Ledger { command: LedgerCommand::Verify { source, public_key } } = &cli.command {
        return ledger_verify::run(source, public_key.as_deref()).await;
    }
    if let Command::Plugin { command } = &cli.command
        && let Some(done) = plugin_author_command(command)
    {
        return done;
    }
    let bind = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    let overrides = CliOverrides {
        bind,
        public_url: cli.common.public_url,
        database_url: cli.common.database_url,
        data_dir: cli.common.data_dir,
    };
    let mut settings = Settings::load(cli.config.as_deref(), overrides)?;
    // A demo instance offers the languages its content is written in (Arabic among them).
    let demo_languages = match cli.command {
        Command::Serve { demo: true, .. } | Command::Demo => demo::offer_languages(&mut settings),
        _ => Vec::new(),
    };
    let settings = Arc::new(settings);
    // A one-off command says what it did on stdout; its progress logs are for when asked
    // (RUST_LOG=info).
    let quiet = !matches!(cli.command, Command::Serve { .. });
    telemetry::init_logs(settings.log_format, if quiet { "warn" } else { "info" });
    if !demo_languages.is_empty() {
        tracing::info!(added = %demo_languages.join(", "), "the demo offers the languages it is written in, beyond instance.languages");
    }

    let db = store::connect(&settings.database_url, settings.database_max_connections, settings.database_connect_timeout).await?;

    match cli.command {
        Command::Migrate { status: true } => {
            let (applied, pending) = store::migration_status(&db).await?;
            for m in applied {
                println!("applied  {m}");
            }
            for m in pending {
                println!("pending  {m}");
            }
            Ok(())
        }
        Command::Migrate { status: false } => {
            store::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Serve { demo: load_demo, .. } => serve(settings, db, load_demo).await,
        Command::Ledger { .. } => unreachable!("handled before the database is opened"),
        Command::Plugin { command } => {
            store::migrate(&db).await?;
            let ctx = context(settings.clone(), db, served_url::for_links(&settings).0)?;
            plugin_command(&ctx, command).await
        }
        Command::Demo => {
            store::migrate(&db).await?;
            let ctx = context(settings.clone(), db, served_url::for_links(&settings).0)?;
            plugins::register_builtins(&ctx).await.map_err(|e| anyhow::anyhow!("registering the built-in activity types: {e}"))?;
            report_demo(demo::load(&ctx).await?);
            print_demo_sign_in(&ctx).await?;
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email } } => {
            store::migrate(&db).await?;
            let (public_url, from) = served_url::for_links(&settings);
            let ctx = context(settings.clone(), db, public_url)?;
            let (account, link, created) = accounts::create_admin(&ctx, &email).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{} instance administrator {}.\nOne-time sign-in link (valid {} hours):\n{link}\nLinks point to {}, taken from {from}.\nAn invitation email with a link of its own is queued; the server sends it.",
                if created { "Created" } else { "Promoted" },
                account.email,
                settings.auth.admin_link_hours,
                ctx.public_url,
            );
            Ok(())
        }
    }
}

fn context(settings: Arc<Settings>, db: sea_orm::DatabaseConnection, public_url: url::Url) -> anyhow::Result<AppContext> {
    let mailer = Mailer::new(&settings.mail).context("mail settings")?;
    // Compiled plugins are run from this folder: nobody else may write there.
    if let Some(fixed) = adapters::plugins::cache::secure_dir(&settings.plugins.cache_dir).map_err(|e| anyhow::anyhow!("plugins.cache_dir: {e}"))? {
        tracing::warn!(dir = %settings.plugins.cache_dir.display(), "{fixed}");
    }
    Ok(AppContext::new(db, settings, public_url, mailer))
}

/// The plugin commands for plugin authors, which touch no instance: None for the others.
fn plugin_author_command(command: &PluginCommand) -> Option<anyhow::Result<()>> {
    match command {
        PluginCommand::Pack { module, output } => Some(pack(module, output)),
        PluginCommand::Keygen { output } => Some(publisher_keys::keygen(output)),
        PluginCommand::Sign { file, key, output } => Some(publisher_keys::sign(file, key, output.as_deref())),
        _ => None,
    }
}

fn pack(module: &std::path::Path, output: &std::path::Path) -> anyhow::Result<()> {
    let module = std::fs::read(module).with_context(|| format!("cannot read {}", module.display()))?;
    let component = adapters::plugins::pack(&module).map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(output, &component).with_context(|| format!("cannot write {}", output.display()))?;
    println!("Wrote {} ({} bytes, sha256 {})", output.display(), component.len(), adapters::plugins::sha256_hex(&component));
    Ok(())
}

async fn plugin_command(ctx: &AppContext, command: PluginCommand) -> anyhow::Result<()> {
    let fail = |e: crate::app::AppError| anyhow::anyhow!("{e}");
    let read = |file: &PathBuf| std::fs::read(file).with_context(|| format!("cannot read {}", file.display()));
    let read_signature = |file: &Option<PathBuf>| -> anyhow::Result<Option<String>> {
        file.as_ref().map(|f| std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))).transpose()
    };
    if command.needs_builtins() {
        plugins::register_builtins(ctx).await.map_err(fail)?;
    }
    match command {
        PluginCommand::Install { file, sha256, signature } => {
            let signature = read_signature(&signature)?;
            let options = InstallOptions { sha256: sha256.as_deref(), signature: signature.as_deref(), replace_publisher: false };
            let view = plugins::install(ctx, Installer::Operator, read(&file)?, options, InstallMode::Install, None).await.map_err(fail)?;
            println!("Installed {} {} (sha256 {}, contract {}).\nPublisher: {}.", view.type_id, view.version, view.sha256, view.contract_version, view.publisher);
            print_warning(&view);
        }
        PluginCommand::Upgrade { file, sha256, signature, replace_publisher } => {
            let signature = read_signature(&signature)?;
            let options = InstallOptions { sha256: sha256.as_deref(), signature: signature.as_deref(), replace_publisher };
            let view = plugins::install(ctx, Installer::Operator, read(&file)?, options, InstallMode::Upgrade, None).await.map_err(fail)?;
            println!("Upgraded {} to {} (sha256 {}, contract {}).\nPublisher: {}.", view.type_id, view.version, view.sha256, view.contract_version, view.publisher);
            print_warning(&view);
        }
        PluginCommand::Rollback { type_id } => {
            let view = plugin_rollback::rollback(ctx, None, &type_id).await.map_err(fail)?;
            println!("Rolled {} back to {} (sha256 {}, publisher {}); its activities run that version now.", view.type_id, view.version, view.sha256, view.publisher);
            print_warning(&view);
        }
        PluginCommand::List => {
            println!("{:<36} {:<10} {:<12} {:<9} {:<9} {:<53} SHA-256", "ID", "VERSION", "STATUS", "SOURCE", "CONTRACT", "PUBLISHER");
            // Every cell escaped: a row stored before type ids were checked (or written into the
            // database by hand) cannot print a newline or a terminal escape and spoof rows.
            let cell = crate::domain::plugin_text::excerpt;
            for p in plugins::list(ctx, None).await.map_err(fail)? {
                let row = [&p.type_id, &p.version, &p.status, &p.source, &p.contract_version, &p.publisher, &p.sha256].map(|s| cell(s));
                println!("{:<36} {:<10} {:<12} {:<9} {:<9} {:<53} {}", row[0], row[1], row[2], row[3], row[4], row[5], row[6]);
            }
        }
        PluginCommand::Disable { type_id } => {
            let view = plugins::set_enabled(ctx, None, &type_id, false).await.map_err(fail)?;
            println!("Disabled {} {}: its activities take no contributions until it is enabled.", view.type_id, view.version);
        }
        PluginCommand::Enable { type_id } => {
            let view = plugins::set_enabled(ctx, None, &type_id, true).await.map_err(fail)?;
            println!("Enabled {} {}.", view.type_id, view.version);
        }
        PluginCommand::Pack { .. } | PluginCommand::Keygen { .. } | PluginCommand::Sign { .. } => unreachable!("handled before the database is opened"),
    }
    Ok(())
}

fn print_warning(view: &plugins::PluginView) {
    if let Some(warning) = &view.warning {
        println!("Warning: {warning}");
    }
}

fn report_demo(outcome: demo::Outcome) {
    match outcome {
        demo::Outcome::Loaded(n) => println!("Loaded {n} demo processes."),
        demo::Outcome::AlreadyThere => println!("The demo processes are already loaded."),
    }
}

/// Fresh one-time links for the demo's people, printed at each start: links are short-lived.
async fn print_demo_sign_in(ctx: &AppContext) -> anyhow::Result<()> {
    for line in demo::sign_in_links(ctx).await? {
        println!("{line}");
    }
    Ok(())
}

async fn serve(settings: Arc<Settings>, db: sea_orm::DatabaseConnection, load_demo: bool) -> anyhow::Result<()> {
    store::migrate(&db).await.context("migrating the database")?;
    let listener = TcpListener::bind(settings.bind).with_context(|| format!("cannot listen on {} (bind)", settings.bind))?;
    let bound = listener.local_addr()?;
    let public_url = settings.public_url_or(bound);
    served_url::record(&settings, &public_url);
    let ctx = context(settings.clone(), db, public_url.clone())?;
    plugins::register_builtins(&ctx).await.map_err(|e| anyhow::anyhow!("registering the built-in activity types: {e}"))?;
    if load_demo {
        let started = std::time::Instant::now();
        report_demo(demo::load(&ctx).await?);
        tracing::info!(seconds = started.elapsed().as_secs_f64(), "demo ready");
        print_demo_sign_in(&ctx).await?;
    }
    crate::app::federation::start(&ctx).await.context("cannot start federation")?;
    actix_web::rt::spawn(crate::app::jobs::run_worker(ctx.clone()));
    actix_web::rt::spawn(crate::app::jobs::run_delivery_worker(ctx.clone()));
    let metrics = http::ops::Metrics { handle: telemetry::init_metrics()? };
    let metrics_server = match settings.metrics.bind {
        Some(addr) => {
            let listener = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr} (metrics.bind)"))?;
            let bound = listener.local_addr()?;
            let server = http::metrics_server(ctx.clone(), metrics.clone(), listener)?;
            // Before `Listening on`: tests read it once the server is up.
            println!("Metrics on http://{bound}/metrics");
            Some(server)
        }
        None => None,
    };
    let server = http::server(ctx, metrics, listener)?;
    // Scripts and tests wait for this exact line to learn the port.
    println!("Listening on http://{bound}");
    tracing::info!(%bound, %public_url, "convene is serving");
    use std::io::Write;
    std::io::stdout().flush()?;
    match metrics_server {
        Some(metrics_server) => {
            futures_util::future::try_join(server, metrics_server).await?;
        }
        None => server.await?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_error_chain_says_each_message_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("Connection Error: {0}")]
        struct Outer(#[source] std::io::Error);
        let inner = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let e = anyhow::Error::new(Outer(inner)).context("migrating the database");
        assert_eq!(super::one_line(&e), "migrating the database: Connection Error: connection refused");
    }
}
