//! `tradebook-server`: runs the community tenant API, or migrates its database.
//!
//! ```text
//! tradebook-server migrate --database-url postgres://owner@host/db [--app-role tradebook_app]
//! tradebook-server [serve] --database-url postgres://tradebook_app@host/db [--listen 127.0.0.1:8080]
//!                  [--migrate-database-url postgres://owner@host/db] [--dev]
//! ```
//! Every flag has an environment variable (`DATABASE_URL`, `TRADEBOOK_LISTEN`,
//! `TRADEBOOK_MIGRATE_DATABASE_URL`, `TRADEBOOK_APP_ROLE`); the token secret comes only from
//! `TRADEBOOK_JWT_SECRET` (at least 32 bytes), and the server refuses to start without it
//! unless `--dev` (which uses a random per-process secret). Rate limits:
//! `TRADEBOOK_RATE_PER_IP_PER_MINUTE` (600), `TRADEBOOK_RATE_PER_USER_PER_MINUTE` (300).

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rand::RngCore;
use tradebook_server::{db, serve, AppState, Config};

#[derive(Parser)]
#[command(name = "tradebook-server", about = "Tradebook community tenant API", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve(ServeArgs),
    /// Run the migrations as the owner role and grant the app role its privileges.
    Migrate {
        /// Owner connection URL.
        #[arg(long, env = "TRADEBOOK_MIGRATE_DATABASE_URL")]
        database_url: String,
        /// The non-owner role the server connects as.
        #[arg(long, env = "TRADEBOOK_APP_ROLE", default_value = "tradebook_app")]
        app_role: String,
    },
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Application (non-owner) role connection URL.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "TRADEBOOK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Owner URL: when given, migrations run at start-up.
    #[arg(long, env = "TRADEBOOK_MIGRATE_DATABASE_URL")]
    migrate_database_url: Option<String>,
    /// The non-owner role to grant privileges to after migrating.
    #[arg(long, env = "TRADEBOOK_APP_ROLE", default_value = "tradebook_app")]
    app_role: String,
    /// Development mode: allows a missing TRADEBOOK_JWT_SECRET (random per process).
    #[arg(long)]
    dev: bool,
    /// Requests per minute allowed per client IP.
    #[arg(long, env = "TRADEBOOK_RATE_PER_IP_PER_MINUTE", default_value_t = 600)]
    rate_per_ip_per_minute: u32,
    /// Requests per minute allowed per signed-in user.
    #[arg(long, env = "TRADEBOOK_RATE_PER_USER_PER_MINUTE", default_value_t = 300)]
    rate_per_user_per_minute: u32,
    /// Connections in the pool.
    #[arg(long, env = "TRADEBOOK_DB_POOL_SIZE", default_value_t = 16)]
    pool_size: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "tradebook_server=info,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Migrate { database_url, app_role }) => db::migrate(&database_url, Some(&app_role))
            .await
            .map_err(|e| e.to_string()),
        Some(Command::Serve(args)) => run(args).await,
        None => run(cli.serve).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: ServeArgs) -> Result<(), String> {
    let secret = match std::env::var("TRADEBOOK_JWT_SECRET") {
        Ok(s) if s.len() >= 32 => s.into_bytes(),
        Ok(_) => return Err("TRADEBOOK_JWT_SECRET must be at least 32 bytes".into()),
        Err(_) if args.dev => {
            tracing::warn!("--dev: using a random token secret; tokens die with this process");
            let mut s = vec![0u8; 32];
            rand::thread_rng().fill_bytes(&mut s);
            s
        }
        Err(_) => return Err("TRADEBOOK_JWT_SECRET is not set (use --dev for a throwaway secret)".into()),
    };
    let database_url = args.database_url.ok_or("--database-url or DATABASE_URL is required")?;
    if let Some(owner) = &args.migrate_database_url {
        db::migrate(owner, Some(&args.app_role))
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!("migrations applied");
    }
    let pool = db::pool(&database_url, args.pool_size).map_err(|e| e.to_string())?;
    let mut config = Config::new(secret);
    config.rate_per_ip_per_minute = args.rate_per_ip_per_minute;
    config.rate_per_user_per_minute = args.rate_per_user_per_minute;
    let state = AppState::new(config, pool);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    tracing::info!(addr = %listener.local_addr().map_err(|e| e.to_string())?, "tradebook-server listening");
    serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
