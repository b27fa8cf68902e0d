//! PostgreSQL: the connection pool, the embedded migrations (run as the owner role) and the
//! grants that let the non-owner application role use the tables.
//!
//! Invariant: the server's pool connects as a role that does not own the tables, so the
//! FORCEd row-level security policies apply to every query it makes.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Errors of setting the database up.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL does not parse.
    #[error("invalid database URL: {0}")]
    Url(tokio_postgres::Error),
    /// Connecting or a statement failed.
    #[error("database: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migration(#[from] refinery::Error),
    /// The pool could not be built.
    #[error("pool: {0}")]
    Pool(String),
    /// The app role name is not a plain identifier.
    #[error("invalid role name {0:?}")]
    Role(String),
}

/// A pool of connections to `url` (the application role in production).
pub fn pool(url: &str, max_size: usize) -> Result<Pool, DbError> {
    let pg: tokio_postgres::Config = url.parse().map_err(DbError::Url)?;
    let manager = Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .build()
        .map_err(|e| DbError::Pool(e.to_string()))
}

/// Runs the pending migrations as the owner at `owner_url`, then grants `app_role` the
/// data privileges (no DDL, no ownership) on every table, sequence and function.
pub async fn migrate(owner_url: &str, app_role: Option<&str>) -> Result<(), DbError> {
    let (mut client, connection) = tokio_postgres::connect(owner_url, NoTls).await?;
    let task = tokio::spawn(connection);
    embedded::migrations::runner().run_async(&mut client).await?;
    if let Some(role) = app_role {
        if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(DbError::Role(role.to_string()));
        }
        client
            .batch_execute(&format!(
                "GRANT USAGE ON SCHEMA public TO {role};
                 GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
                 REVOKE ALL ON refinery_schema_history FROM {role};
                 GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};"
            ))
            .await?;
    }
    drop(client);
    let _ = task.await;
    Ok(())
}
