//! Tenancy: communities are tenants, and no tenant query can be built without one.
//!
//! A [`TenantScope`] names the caller's community. It has no public constructor: it comes
//! from an authenticated membership ([`load_member`], used by the `Require<R>` extractor), from
//! a platform operator acting on a community ([`TenantScope::for_operator`]) or from a user
//! redeeming an invitation of that community ([`TenantScope::for_joining`]). The only way to
//! get a database transaction for tenant data is [`TenantScope::begin`], which sets
//! `app.community_id` for that transaction, so PostgreSQL's row-level security (FORCEd, the
//! server connecting as a non-owner role) hides every other community's rows even if a query
//! forgot its `community_id = $1`. The repository functions take a [`TenantTx`] and filter by
//! [`TenantTx::community_id`] as well: the two layers back each other up.

use std::ops::Deref;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::auth::{AuthUser, Operator};
use crate::error::ApiError;
pub use tradebook_api::Role;

/// The community a request acts in. See the module docs for how one is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantScope {
    community_id: Uuid,
}

impl TenantScope {
    /// The community.
    pub fn community_id(&self) -> Uuid {
        self.community_id
    }

    /// An operator acting on a community (creating it, suspending it).
    pub fn for_operator(_operator: &Operator, community_id: Uuid) -> TenantScope {
        TenantScope { community_id }
    }

    /// A signed-in user redeeming an invitation code of `community_id`: enough to read the
    /// invitation and write the new membership, nothing else is exposed to the user.
    pub(crate) fn for_joining(_user: &AuthUser, community_id: Uuid) -> TenantScope {
        TenantScope { community_id }
    }

    /// Starts a transaction in which only this community's rows are visible.
    pub async fn begin<'a>(&self, conn: &'a mut deadpool_postgres::Object) -> Result<TenantTx<'a>, ApiError> {
        let tx = conn.transaction().await?;
        let stmt = tx
            .prepare_cached("SELECT set_config('app.community_id', $1, true)")
            .await?;
        tx.execute(&stmt, &[&self.community_id.to_string()]).await?;
        Ok(TenantTx {
            tx,
            community_id: self.community_id,
        })
    }
}

/// A transaction bound to one community (`app.community_id` is set for its lifetime).
pub struct TenantTx<'a> {
    tx: deadpool_postgres::Transaction<'a>,
    community_id: Uuid,
}

impl TenantTx<'_> {
    /// The community every query in this transaction must filter by.
    pub fn community_id(&self) -> Uuid {
        self.community_id
    }

    /// Commits.
    pub async fn commit(self) -> Result<(), ApiError> {
        self.tx.commit().await?;
        Ok(())
    }

    // The four query methods shadow the transaction's own (reached through `Deref`) so that
    // every tenant statement is prepared once per connection (deadpool's statement cache)
    // instead of parsed and described on every call.

    /// Runs a query (prepared statement cached per connection).
    pub async fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, tokio_postgres::Error> {
        let stmt = self.tx.prepare_cached(sql).await?;
        self.tx.query(&stmt, params).await
    }

    /// Runs a query returning exactly one row.
    pub async fn query_one(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, tokio_postgres::Error> {
        let stmt = self.tx.prepare_cached(sql).await?;
        self.tx.query_one(&stmt, params).await
    }

    /// Runs a query returning at most one row.
    pub async fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, tokio_postgres::Error> {
        let stmt = self.tx.prepare_cached(sql).await?;
        self.tx.query_opt(&stmt, params).await
    }

    /// Runs a statement, returning the number of rows it changed.
    pub async fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, tokio_postgres::Error> {
        let stmt = self.tx.prepare_cached(sql).await?;
        self.tx.execute(&stmt, params).await
    }
}

impl<'a> Deref for TenantTx<'a> {
    type Target = deadpool_postgres::Transaction<'a>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

/// An authenticated member of the community in the request path.
#[derive(Debug, Clone)]
pub struct Member {
    /// The signed-in user.
    pub user: AuthUser,
    /// Their role in the community.
    pub role: Role,
    /// The community, as a scope for tenant transactions.
    pub scope: TenantScope,
}

impl Member {
    /// The member's user id.
    pub fn user_id(&self) -> Uuid {
        self.user.id
    }
}

/// Loads the membership of `user_id` in `community_id` in one statement (`app_member`, which
/// sets the tenant for that statement's transaction): 401 when the user no longer exists, 404
/// when the community does not exist or the user is not a member (the existence of other
/// tenants is not revealed), 403 when the community is suspended.
pub async fn load_member(
    db: &deadpool_postgres::Pool,
    user_id: Uuid,
    ip: Option<String>,
    community_id: Uuid,
) -> Result<Member, ApiError> {
    let conn = db.get().await?;
    let record = crate::repo::auth::member(&conn, community_id, user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("unknown user".into()))?;
    let user = AuthUser {
        id: user_id,
        email: record.user.email,
        name: record.user.name,
        is_operator: record.user.is_operator,
        ip,
    };
    let (Some(status), Some(role)) = (record.status, record.role) else {
        return Err(ApiError::NotFound);
    };
    if status != "active" {
        return Err(ApiError::CommunitySuspended);
    }
    let role = Role::parse(&role).ok_or_else(|| ApiError::internal("unknown role in database"))?;
    Ok(Member {
        user,
        role,
        scope: TenantScope { community_id },
    })
}
