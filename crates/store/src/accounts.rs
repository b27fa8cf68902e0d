//! Accounts: a brokerage or prop-firm account (SPEC §3).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, OptionalExtension, Row};
use rust_decimal::Decimal;

use crate::codec::{self, parse_dec, parse_ts, parse_tz};
use crate::error::StoreError;
use crate::{Result, Store};

/// A stored account.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// UUID.
    pub id: String,
    /// Unique (case-insensitive) display name.
    pub name: String,
    /// Broker or platform ("Tradovate", "Webull", …).
    pub platform: String,
    pub broker_account_id: Option<String>,
    /// ISO 4217 currency of its P&L.
    pub currency: String,
    /// Zone its exports write times in.
    pub timezone: Tz,
    pub starting_balance: Decimal,
    pub archived: bool,
    /// Never synced with a community (SPEC §7).
    pub private: bool,
    pub created_at: DateTime<Utc>,
}

/// What it takes to create an account.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccount {
    pub name: String,
    pub platform: String,
    pub broker_account_id: Option<String>,
    pub currency: String,
    pub timezone: Tz,
    pub starting_balance: Decimal,
}

impl NewAccount {
    /// An account with defaults: USD, America/New_York, starting balance 0.
    pub fn named(name: impl Into<String>, platform: impl Into<String>) -> NewAccount {
        NewAccount {
            name: name.into(),
            platform: platform.into(),
            broker_account_id: None,
            currency: "USD".into(),
            timezone: chrono_tz::America::New_York,
            starting_balance: Decimal::ZERO,
        }
    }
}

const COLUMNS: &str =
    "id, name, platform, broker_account_id, currency, timezone, starting_balance, archived, created_at, private";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Result<Account>> {
    let tz: String = row.get(5)?;
    let balance: String = row.get(6)?;
    let created: String = row.get(8)?;
    let (id, name, platform, broker_account_id, currency, archived) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(7)?,
    );
    let private = row.get(9)?;
    Ok((|| {
        Ok(Account {
            id,
            name,
            platform,
            broker_account_id,
            currency,
            timezone: parse_tz(&tz)?,
            starting_balance: parse_dec(&balance)?,
            archived,
            private,
            created_at: parse_ts(&created)?,
        })
    })())
}

impl Store {
    /// Creates an account. Errors: [`StoreError::Invalid`] for an empty name or currency,
    /// [`StoreError::Conflict`] when the name is taken.
    pub fn create_account(&mut self, new: &NewAccount) -> Result<Account> {
        self.with_tx(|tx| create_account_tx(tx, new))
    }

    /// All accounts, by name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY name"))?;
        let rows = stmt.query_map([], from_row)?;
        rows.map(|r| r?).collect()
    }

    /// The account with this id. Errors: [`StoreError::NotFound`].
    pub fn account(&self, id: &str) -> Result<Account> {
        self.conn()
            .query_row(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "account",
                id: id.to_string(),
            })?
    }

    /// The account with this name (case-insensitive), if any.
    pub fn account_by_name(&self, name: &str) -> Result<Option<Account>> {
        account_by_name_in(self.conn(), name)
    }
}

impl Store {
    /// Changes an account's name, platform, broker id, currency, zone and starting balance
    /// (the fields of [`NewAccount`]). Its fills and trades stay.
    ///
    /// Errors: [`StoreError::NotFound`]; [`StoreError::Invalid`] / [`StoreError::Conflict`]
    /// as for [`Store::create_account`].
    pub fn update_account(&mut self, id: &str, edit: &NewAccount) -> Result<Account> {
        let current = self.account(id)?;
        let name = edit.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid {
                field: "name",
                message: "an account needs a name".into(),
            });
        }
        let currency = edit.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(StoreError::Invalid {
                field: "currency",
                message: format!("`{}` is not a 3-letter ISO currency code", edit.currency),
            });
        }
        if let Some(other) = self.account_by_name(name)? {
            if other.id != current.id {
                return Err(StoreError::Conflict(format!(
                    "an account named `{name}` already exists"
                )));
            }
        }
        self.with_tx(|tx| {
            tx.execute(
                "UPDATE accounts SET name = ?2, platform = ?3, broker_account_id = ?4, currency = ?5, timezone = ?6, \
                 starting_balance = ?7 WHERE id = ?1",
                params![
                    id,
                    name,
                    edit.platform.trim(),
                    edit.broker_account_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty()),
                    currency,
                    edit.timezone.name(),
                    codec::dec(edit.starting_balance),
                ],
            )?;
            Ok(())
        })?;
        self.account(id)
    }

    /// Archives an account (hidden from pickers; its trades stay in the journal) or brings
    /// it back. Errors: [`StoreError::NotFound`].
    pub fn set_account_archived(&mut self, id: &str, archived: bool) -> Result<Account> {
        self.account(id)?;
        self.with_tx(|tx| {
            tx.execute("UPDATE accounts SET archived = ?2 WHERE id = ?1", params![id, archived])?;
            Ok(())
        })?;
        self.account(id)
    }
}

/// Creates an account inside an open transaction (the importer creates a missing account
/// in the import's own transaction).
pub(crate) fn create_account_tx(tx: &rusqlite::Transaction<'_>, new: &NewAccount) -> Result<Account> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid {
            field: "name",
            message: "an account needs a name".into(),
        });
    }
    let currency = new.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(StoreError::Invalid {
            field: "currency",
            message: format!("`{}` is not a 3-letter ISO currency code", new.currency),
        });
    }
    let taken: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM accounts WHERE name = ?1)", [name], |r| {
        r.get(0)
    })?;
    if taken {
        return Err(StoreError::Conflict(format!(
            "an account named `{name}` already exists"
        )));
    }
    let account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        platform: new.platform.trim().to_string(),
        broker_account_id: new
            .broker_account_id
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        currency,
        timezone: new.timezone,
        starting_balance: new.starting_balance,
        archived: false,
        private: false,
        created_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
    };
    tx.execute(
        &format!("INSERT INTO accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 0)"),
        params![
            account.id,
            account.name,
            account.platform,
            account.broker_account_id,
            account.currency,
            account.timezone.name(),
            codec::dec(account.starting_balance),
            codec::ts(account.created_at),
        ],
    )?;
    Ok(account)
}

/// The account named `name` (case-insensitive) on a connection or inside a transaction.
pub(crate) fn account_by_name_in(conn: &rusqlite::Connection, name: &str) -> Result<Option<Account>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM accounts WHERE name = ?1"),
        [name.trim()],
        from_row,
    )
    .optional()?
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_list_and_conflict() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store
            .create_account(&NewAccount::named("Topstep 50K", "TopstepX"))
            .unwrap();
        assert_eq!(store.account(&a.id).unwrap(), a);
        assert_eq!(store.account_by_name("topstep 50k").unwrap().unwrap().id, a.id);
        assert!(matches!(
            store.create_account(&NewAccount::named("TOPSTEP 50K", "x")),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.create_account(&NewAccount::named("  ", "x")),
            Err(StoreError::Invalid { field: "name", .. })
        ));
        let mut bad = NewAccount::named("B", "x");
        bad.currency = "dollars".into();
        assert!(matches!(
            store.create_account(&bad),
            Err(StoreError::Invalid { field: "currency", .. })
        ));
        assert!(matches!(store.account("nope"), Err(StoreError::NotFound { .. })));
        assert_eq!(store.accounts().unwrap().len(), 1);
    }
}
