//! Data access: every SQL statement the server runs against its data, one module per domain.
//! The HTTP handlers parse a request, call these functions and map their errors; they hold no
//! SQL.
//!
//! Rules every module follows:
//! - Columns are read by **name** ([`col`], [`count`]); a computed column gets an alias in the
//!   SQL (`count(*) AS trades`). A row that becomes a struct is read by that struct's one
//!   [`FromRow`] impl.
//! - Tenant data is reached only through a [`TenantTx`](crate::tenancy::TenantTx): those
//!   functions take one and filter by its `community_id()`, so a tenant query cannot be built
//!   without the caller's community (row-level security backs the filter up). Non-tenant
//!   statements (users and sessions, the platform operator's queries) take the client or
//!   transaction their caller already holds.
//! - Errors are [`ApiError`]s: a database error converts as everywhere in the server
//!   (`From<tokio_postgres::Error>`: unique violation → 409, out-of-range value → 422, else
//!   500), and a column that is missing or does not decode is an [`ApiError::Internal`]
//!   naming the column. The one exception is documented in [`sync`].

pub mod audit;
pub mod auth;
pub mod community;
pub mod flags;
pub mod members;
pub mod platform;
pub mod providers;
pub mod sync;
pub mod trader;
pub mod trades;

use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

use crate::error::ApiError;

/// A value read from one database row, its columns by name.
pub trait FromRow: Sized {
    /// Reads `row`. Errors: [`ApiError::Internal`] when a column is missing or of another type.
    fn from_row(row: &Row) -> Result<Self, ApiError>;
}

/// The column `name` of `row`. Errors: [`ApiError::Internal`] naming the column when it is
/// missing or does not decode as `T`.
pub fn col<'a, T: FromSql<'a>>(row: &'a Row, name: &str) -> Result<T, ApiError> {
    row.try_get(name)
        .map_err(|e| ApiError::internal(format!("column {name}: {e}")))
}

/// The `count(*)` column `name` of `row` as a `u64`. Errors: [`ApiError::Internal`] when the
/// column is missing, not a `bigint`, or negative (a count never is).
pub fn count(row: &Row, name: &str) -> Result<u64, ApiError> {
    let n: i64 = col(row, name)?;
    if n < 0 {
        return Err(ApiError::internal(format!("column {name}: negative count {n}")));
    }
    Ok(n as u64)
}

/// Every row of `rows` read with [`FromRow::from_row`]. Errors: the first row's that fails.
pub fn from_rows<T: FromRow>(rows: &[Row]) -> Result<Vec<T>, ApiError> {
    rows.iter().map(T::from_row).collect()
}

/// The nullable text column `name` of `row` through `parse`; NULL is `None`. Errors: as
/// [`enum_col`] for a value `parse` refuses.
pub fn opt_enum_col<T>(row: &Row, name: &str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, ApiError> {
    let text: Option<&str> = col(row, name)?;
    text.map(|t| parse(t).ok_or_else(|| ApiError::internal(format!("column {name}: unknown value `{t}`"))))
        .transpose()
}

/// The text column `name` of `row` as one of the contract's enums, read with its `parse`
/// (`Role::parse`, `AssetClass::parse`, ...). Errors: [`ApiError::Internal`] naming the
/// column and the value when the stored text is not one of the enum's (never a default).
pub fn enum_col<T>(row: &Row, name: &str, parse: fn(&str) -> Option<T>) -> Result<T, ApiError> {
    let text: &str = col(row, name)?;
    parse(text).ok_or_else(|| ApiError::internal(format!("column {name}: unknown value `{text}`")))
}
