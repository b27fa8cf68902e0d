//! Accounts.

use std::sync::Arc;

use tauri::{AppHandle, State};

use super::decimal_field;
use crate::dto::Account;
use crate::error::AppError;
use crate::state::{with_store, AppState};

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, Arc<AppState>>) -> Result<Vec<Account>, AppError> {
    with_store(&state, |store, _| {
        let totals = store.account_totals()?;
        Ok(store
            .accounts()?
            .iter()
            .map(|a| Account::new(a, totals.get(&a.id)))
            .collect())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_account(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    input: crate::dto::NewAccount,
) -> Result<Account, AppError> {
    let new = store_account(input)?;
    let account = with_store(&state, move |store, _| Ok(store.create_account(&new)?)).await?;
    super::changed(&app, "account")?;
    Ok(Account::new(&account, None))
}

fn store_account(input: crate::dto::NewAccount) -> Result<tradebook_store::NewAccount, AppError> {
    Ok(tradebook_store::NewAccount {
        name: input.name,
        platform: input.platform,
        broker_account_id: input.broker_account_id,
        currency: input.currency,
        timezone: input.timezone.trim().parse().map_err(|_| {
            AppError::validation(
                "timezone",
                format!("`{}` is not an IANA time zone (e.g. America/New_York)", input.timezone),
            )
        })?,
        starting_balance: decimal_field("starting_balance", &input.starting_balance)?,
    })
}

/// Changes an account's details (name, platform, currency, zone, starting balance).
#[tauri::command]
#[specta::specta]
pub async fn update_account(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    account_id: String,
    input: crate::dto::NewAccount,
) -> Result<Account, AppError> {
    let edit = store_account(input)?;
    let account = with_store(&state, move |store, _| {
        let account = store.update_account(&account_id, &edit)?;
        with_totals(store, account)
    })
    .await?;
    super::changed(&app, "account")?;
    Ok(account)
}

/// Archives an account or brings it back.
#[tauri::command]
#[specta::specta]
pub async fn archive_account(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    account_id: String,
    archived: bool,
) -> Result<Account, AppError> {
    let account = with_store(&state, move |store, _| {
        let account = store.set_account_archived(&account_id, archived)?;
        with_totals(store, account)
    })
    .await?;
    super::changed(&app, "account")?;
    Ok(account)
}

/// An account as the list shows it, with its trade totals.
fn with_totals(store: &tradebook_store::Store, account: tradebook_store::Account) -> Result<Account, AppError> {
    let totals = store.account_totals()?;
    Ok(Account::new(&account, totals.get(&account.id)))
}

/// The account's cash movements, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_cash_movements(
    state: State<'_, Arc<AppState>>,
    account_id: String,
) -> Result<Vec<crate::dto::CashMovement>, AppError> {
    with_store(&state, move |store, _| {
        Ok(store.cash_movements(&account_id)?.iter().map(Into::into).collect())
    })
    .await
}

/// Records a cash movement typed by the user.
#[tauri::command]
#[specta::specta]
pub async fn add_cash_movement(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    account_id: String,
    input: crate::dto::NewCashMovement,
) -> Result<crate::dto::CashMovement, AppError> {
    let amount = decimal_field("amount", &input.amount)?;
    let added = with_store(&state, move |store, _| {
        let account = store.account(&account_id)?;
        let occurred_at = super::time_field("occurred_at", &input.occurred_at, account.timezone)?;
        let movement = tradebook_store::NewCashMovement {
            kind: input.kind.into(),
            amount,
            currency: None,
            occurred_at,
            source_tz: account.timezone,
            description: input.description,
        };
        Ok(crate::dto::CashMovement::from(
            &store.add_cash_movement(&account_id, &movement)?,
        ))
    })
    .await?;
    super::changed(&app, "cash")?;
    Ok(added)
}

/// The account's balance compared with the balances its broker files state.
#[tauri::command]
#[specta::specta]
pub async fn reconcile_account(
    state: State<'_, Arc<AppState>>,
    account_id: String,
) -> Result<crate::dto::Reconciliation, AppError> {
    with_store(&state, move |store, _| Ok((&store.reconcile(&account_id)?).into())).await
}
