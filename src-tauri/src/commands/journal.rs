//! Annotations (notes, setup, stop, tags, mistakes, screenshots) and the daily journal.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, State};
use tradebook_store::Store;

use super::{date_field, decimal_field};
use crate::dto::{Annotation, AnnotationEdit, JournalNote, Labels, TagCount};
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

/// Adds (or with `remove`, removes) a tag on many trades at once. Returns the trades changed.
#[tauri::command]
#[specta::specta]
pub async fn tag_trades(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    trade_ids: Vec<String>,
    tag: String,
    remove: bool,
) -> Result<u32, AppError> {
    let n = with_store(&state, move |store, _| {
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

/// The folder screenshots are copied into (beside the journal file).
pub(crate) fn screenshots_dir(state: &AppState) -> PathBuf {
    state
        .db_path
        .parent()
        .map_or_else(|| PathBuf::from("screenshots"), |p| p.join("screenshots"))
}

const IMAGE_TYPES: &[(&str, &str)] = &[
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
    let ext = src
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| IMAGE_TYPES.iter().any(|(x, _)| x == e))
        .ok_or_else(|| AppError::validation("path", "choose a PNG, JPEG, GIF or WebP image"))?;
    if !src.is_file() {
        return Err(AppError::validation("path", format!("{} is not a file", src.display())));
    }
    let annotation = with_store(&state, move |store, state| {
        store.trade(&trade_id)?;
        let dir = screenshots_dir(state);
        std::fs::create_dir_all(&dir).map_err(|e| AppError::Io {
            message: format!("cannot create {}: {e}", dir.display()),
        })?;
        let id = uuid::Uuid::now_v7().to_string();
        let stored_as = format!("screenshots/{id}.{ext}");
        let dest = dir.join(format!("{id}.{ext}"));
        std::fs::copy(&src, &dest).map_err(|e| AppError::Io {
            message: format!("cannot copy {} into the data folder: {e}", src.display()),
        })?;
        let file_name = src
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if let Err(e) = store.add_screenshot(&trade_id, &id, &file_name, &stored_as) {
            let _ = std::fs::remove_file(&dest);
            return Err(e.into());
        }
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
    with_store(&state, move |_store, state| {
        let dir = screenshots_dir(state);
        let entry = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .find(|e| e.path().file_stem().and_then(|s| s.to_str()) == Some(screenshot_id.as_str()))
            .ok_or_else(|| AppError::NotFound {
                message: format!("the screenshot file {screenshot_id} is missing from {}", dir.display()),
            })?;
        let path = entry.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = IMAGE_TYPES
            .iter()
            .find(|(x, _)| *x == ext)
            .map_or("application/octet-stream", |(_, m)| m);
        let bytes = std::fs::read(&path).map_err(|e| AppError::Io {
            message: format!("cannot read {}: {e}", path.display()),
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
    with_store(&state, move |store, state| {
        let stored = store.remove_screenshot(&screenshot_id)?;
        if let Some(dir) = state.db_path.parent() {
            // The record is gone; a file that cannot be removed is only wasted space.
            let _ = std::fs::remove_file(dir.join(stored));
        }
        Ok(())
    })
    .await?;
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
