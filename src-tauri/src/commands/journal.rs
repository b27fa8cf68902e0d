//! Annotations (notes, setup, stop, tags, mistakes, screenshots) and the daily journal.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, State};
use tradebook_store::Store;

use super::{date_field, decimal_field};
use crate::dto::{Annotation, AnnotationEdit, JournalNote, Labels, TagCount, TradeSelection};
use crate::error::AppError;
use crate::state::{with_store, AppState};

#[tauri::command]
#[specta::specta]
pub async fn save_annotation(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    trade_id: String,
    edit: AnnotationEdit,
) -> Result<Annotation, AppError> {
    let planned_stop = edit
        .planned_stop
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| decimal_field("planned_stop", s))
        .transpose()?;
    let edit = tradebook_store::AnnotationEdit {
        notes: edit.notes,
        setup: edit.setup,
        planned_stop,
        tags: edit.tags,
        mistakes: edit.mistakes,
    };
    let saved = with_store(&state, move |store, _| Ok(store.annotate(&trade_id, &edit)?)).await?;
    super::changed(&app, "annotation")?;
    Ok(Annotation::from(&saved))
}

/// Adds (or with `remove`, removes) a tag on the selected trades at once, in one
/// transaction. Returns the trades changed.
#[tauri::command]
#[specta::specta]
pub async fn tag_trades(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    selection: TradeSelection,
    tag: String,
    remove: bool,
) -> Result<u32, AppError> {
    let n = with_store(&state, move |store, _| {
        let trade_ids = super::trades::selected_ids(store, selection)?;
        Ok(if remove {
            store.remove_tag(&trade_ids, &tag)?
        } else {
            store.add_tag(&trade_ids, &tag)?
        })
    })
    .await?;
    super::changed(&app, "tags")?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

#[tauri::command]
#[specta::specta]
pub async fn list_labels(state: State<'_, Arc<AppState>>) -> Result<Labels, AppError> {
    with_store(&state, |store, _| {
        Ok(Labels {
            tags: store
                .tags()?
                .into_iter()
                .map(|(tag, n)| TagCount {
                    tag,
                    trades: u32::try_from(n).unwrap_or(u32::MAX),
                })
                .collect(),
            setups: store.setups()?,
        })
    })
    .await
}

/// MIME types of the screenshot files (`tradebook_store::IMAGE_EXTENSIONS`), for `data:` URLs.
const MIME_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];

/// Copies an image file into the data folder and attaches it to a trade.
#[tauri::command]
#[specta::specta]
pub async fn add_screenshot(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    trade_id: String,
    path: String,
) -> Result<Annotation, AppError> {
    let src = PathBuf::from(path.trim());
    let annotation = with_store(&state, move |store, _| {
        store.attach_screenshot(&trade_id, &src)?;
        Ok(store.annotation(&trade_id)?)
    })
    .await?;
    super::changed(&app, "annotation")?;
    Ok(Annotation::from(&annotation))
}

/// A screenshot as a `data:` URL the page can show (the CSP allows no file access).
#[tauri::command]
#[specta::specta]
pub async fn screenshot_data(state: State<'_, Arc<AppState>>, screenshot_id: String) -> Result<String, AppError> {
    with_store(&state, move |store, _| {
        let path = store.screenshot_file(&screenshot_id)?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = MIME_TYPES
            .iter()
            .find(|(x, _)| *x == ext)
            .map_or("application/octet-stream", |(_, m)| m);
        let bytes = std::fs::read(&path).map_err(|e| AppError::NotFound {
            message: format!("the screenshot file {} cannot be read: {e}", path.display()),
        })?;
        use base64::Engine;
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_screenshot(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    screenshot_id: String,
) -> Result<(), AppError> {
    with_store(&state, move |store, _| Ok(store.remove_screenshot(&screenshot_id)?)).await?;
    super::changed(&app, "annotation")
}

fn note_dto(n: tradebook_store::JournalNote) -> JournalNote {
    JournalNote {
        day: n.day.to_string(),
        notes: n.notes,
        updated_at: Some(n.updated_at.to_rfc3339()),
    }
}

/// Journal notes between two days (inclusive).
#[tauri::command]
#[specta::specta]
pub async fn list_journal_notes(
    state: State<'_, Arc<AppState>>,
    from: String,
    to: String,
) -> Result<Vec<JournalNote>, AppError> {
    let from = date_field("from", Some(&from))?.ok_or_else(|| AppError::validation("from", "enter a date"))?;
    let to = date_field("to", Some(&to))?.ok_or_else(|| AppError::validation("to", "enter a date"))?;
    with_store(&state, move |store: &mut Store, _| {
        Ok(store.journal_notes(from, to)?.into_iter().map(note_dto).collect())
    })
    .await
}

/// Writes a day's note; blank notes delete it (returns `null` then).
#[tauri::command]
#[specta::specta]
pub async fn save_journal_note(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    day: String,
    notes: String,
) -> Result<Option<JournalNote>, AppError> {
    let day = date_field("day", Some(&day))?.ok_or_else(|| AppError::validation("day", "choose a day"))?;
    let saved = with_store(&state, move |store, _| Ok(store.set_journal_note(day, &notes)?)).await?;
    super::changed(&app, "journal")?;
    Ok(saved.map(note_dto))
}
