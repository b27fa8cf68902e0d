//! What the trader adds to the journal: trade annotations (notes, setup, planned stop,
//! tags, mistakes, screenshots), a note per trading day, settings, and the user's futures
//! contracts. Annotations are keyed by trade id (the opening fill's id), so they survive
//! recomputation and re-imports (see `migrations/V3__annotations_journal_settings.sql`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use tradebook_core::{ContractSpec, ContractTable};

use crate::codec::{self, parse_date, parse_dec, parse_ts, parse_tz};
use crate::{Result, Store, StoreError};

/// Folder of screenshot files, beside the journal file.
const SCREENSHOTS: &str = "screenshots";

/// File extensions accepted as screenshots.
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// Everything the trader wrote about one trade.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    pub trade_id: String,
    /// Markdown.
    pub notes: String,
    /// Setup / playbook name.
    pub setup: Option<String>,
    /// Planned stop price: initial risk = |entry − stop| × quantity × multiplier.
    pub planned_stop: Option<Decimal>,
    /// Tags, sorted, case-insensitively unique.
    pub tags: Vec<String>,
    /// Mistakes made ("moved stop", "oversized"), sorted.
    pub mistakes: Vec<String>,
    pub screenshots: Vec<Screenshot>,
    /// `None` when nothing was ever written.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A screenshot file attached to a trade, stored in the data folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Screenshot {
    pub id: String,
    pub trade_id: String,
    /// The original file name.
    pub file_name: String,
    /// Path relative to the data folder (`screenshots/<id>.png`).
    pub stored_as: String,
    pub added_at: DateTime<Utc>,
}

/// The trader's edit of an annotation: notes, setup, stop, tags and mistakes replaced whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnnotationEdit {
    pub notes: String,
    pub setup: Option<String>,
    pub planned_stop: Option<Decimal>,
    pub tags: Vec<String>,
    pub mistakes: Vec<String>,
}

/// A note for one trading day.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalNote {
    pub day: NaiveDate,
    /// Markdown.
    pub notes: String,
    pub updated_at: DateTime<Utc>,
}

/// Trims, drops empties and case-insensitive duplicates, sorts.
fn clean_labels(labels: &[String], field: &'static str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = label.trim();
        if label.is_empty() {
            continue;
        }
        if label.chars().count() > 64 {
            return Err(StoreError::Invalid {
                field,
                message: format!("`{label}` is longer than 64 characters"),
            });
        }
        if !out.iter().any(|l| l.eq_ignore_ascii_case(label)) {
            out.push(label.to_string());
        }
    }
    out.sort_by_key(|l| l.to_lowercase());
    Ok(out)
}

fn labels(conn: &rusqlite::Connection, sql: &str, trade_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([trade_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// The annotation of a trade (an empty one when nothing was written). The trade need
    /// not exist: an annotation outlives an undo and waits for the re-import.
    pub fn annotation(&self, trade_id: &str) -> Result<Annotation> {
        let conn = self.conn();
        let row: Option<(String, Option<String>, Option<String>, String)> = conn
            .query_row(
                "SELECT notes, setup, planned_stop, updated_at FROM annotations WHERE trade_id = ?1",
                [trade_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let mut annotation = Annotation {
            trade_id: trade_id.to_string(),
            ..Default::default()
        };
        if let Some((notes, setup, stop, updated_at)) = row {
            annotation.notes = notes;
            annotation.setup = setup;
            annotation.planned_stop = stop.as_deref().map(parse_dec).transpose()?;
            annotation.updated_at = Some(parse_ts(&updated_at)?);
        }
        annotation.tags = labels(
            conn,
            "SELECT tag FROM trade_tags WHERE trade_id = ?1 ORDER BY tag",
            trade_id,
        )?;
        annotation.mistakes = labels(
            conn,
            "SELECT mistake FROM trade_mistakes WHERE trade_id = ?1 ORDER BY mistake",
            trade_id,
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT id, trade_id, file_name, stored_as, added_at FROM screenshots WHERE trade_id = ?1 \
             ORDER BY added_at, id",
        )?;
        let shots = stmt.query_map([trade_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?;
        for shot in shots {
            let (id, trade_id, file_name, stored_as, added_at) = shot?;
            annotation.screenshots.push(Screenshot {
                id,
                trade_id,
                file_name,
                stored_as,
                added_at: parse_ts(&added_at)?,
            });
        }
        Ok(annotation)
    }

    /// Replaces a trade's notes, setup, planned stop, tags and mistakes in one transaction.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown trade; [`StoreError::Invalid`] for a
    /// non-positive stop or a label over 64 characters.
    pub fn annotate(&mut self, trade_id: &str, edit: &AnnotationEdit) -> Result<Annotation> {
        self.trade(trade_id)?;
        if let Some(stop) = edit.planned_stop {
            if stop <= Decimal::ZERO {
                return Err(StoreError::Invalid {
                    field: "planned_stop",
                    message: "the planned stop is a price and must be above 0".into(),
                });
            }
        }
        let tags = clean_labels(&edit.tags, "tags")?;
        let mistakes = clean_labels(&edit.mistakes, "mistakes")?;
        let setup = edit.setup.as_deref().map(str::trim).filter(|s| !s.is_empty());
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO annotations (trade_id, notes, setup, planned_stop, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (trade_id) DO UPDATE SET notes = excluded.notes, setup = excluded.setup, \
                 planned_stop = excluded.planned_stop, updated_at = excluded.updated_at",
                params![trade_id, edit.notes, setup, edit.planned_stop.map(codec::dec), codec::now()],
            )?;
            tx.execute("DELETE FROM trade_tags WHERE trade_id = ?1", [trade_id])?;
            for tag in &tags {
                tx.execute("INSERT INTO trade_tags (trade_id, tag) VALUES (?1, ?2)", params![trade_id, tag])?;
            }
            tx.execute("DELETE FROM trade_mistakes WHERE trade_id = ?1", [trade_id])?;
            for mistake in &mistakes {
                tx.execute(
                    "INSERT INTO trade_mistakes (trade_id, mistake) VALUES (?1, ?2)",
                    params![trade_id, mistake],
                )?;
            }
            Ok(())
        })?;
        self.annotation(trade_id)
    }

    /// Adds `tag` to every trade in `trade_ids` (bulk tagging), in one transaction.
    /// Returns how many trades gained it.
    pub fn add_tag(&mut self, trade_ids: &[String], tag: &str) -> Result<usize> {
        let tag = clean_labels(&[tag.to_string()], "tag")?;
        let Some(tag) = tag.first() else {
            return Err(StoreError::Invalid {
                field: "tag",
                message: "a tag needs at least one character".into(),
            });
        };
        self.with_tx(|tx| {
            let mut added = 0;
            let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO trade_tags (trade_id, tag) VALUES (?1, ?2)")?;
            for id in trade_ids {
                added += stmt.execute(params![id, tag])?;
            }
            Ok(added)
        })
    }

    /// Removes `tag` from every trade in `trade_ids`. Returns how many lost it.
    pub fn remove_tag(&mut self, trade_ids: &[String], tag: &str) -> Result<usize> {
        self.with_tx(|tx| {
            let mut removed = 0;
            let mut stmt = tx.prepare_cached("DELETE FROM trade_tags WHERE trade_id = ?1 AND tag = ?2")?;
            for id in trade_ids {
                removed += stmt.execute(params![id, tag.trim()])?;
            }
            Ok(removed)
        })
    }

    /// Every tag in use with its trade count, by name.
    pub fn tags(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT tag, COUNT(*) FROM trade_tags GROUP BY tag ORDER BY tag")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every setup in use, by name.
    pub fn setups(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT DISTINCT setup FROM annotations WHERE setup IS NOT NULL ORDER BY setup")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The folder screenshots are copied into: `screenshots/` beside the journal file.
    /// Errors: [`StoreError::Invalid`] for an in-memory journal, which has no folder.
    pub fn screenshots_dir(&self) -> Result<PathBuf> {
        self.data_dir().map(|d| d.join(SCREENSHOTS))
    }

    fn data_dir(&self) -> Result<PathBuf> {
        self.path()
            .map(|p| p.parent().map(Path::to_path_buf).unwrap_or_default())
            .ok_or(StoreError::Invalid {
                field: "screenshot",
                message: "an in-memory journal has no data folder for screenshots".into(),
            })
    }

    /// Copies the image at `src` (PNG, JPEG, GIF or WebP) into [`Store::screenshots_dir`] as
    /// `<uuid>.<ext>` and attaches it to the trade. A failure leaves no file behind.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown trade; [`StoreError::Invalid`]
    /// (`field: "path"`) for a missing file or one that is not an image type.
    pub fn attach_screenshot(&mut self, trade_id: &str, src: &Path) -> Result<Screenshot> {
        let invalid = |message: String| StoreError::Invalid { field: "path", message };
        let ext = src
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .filter(|e| IMAGE_EXTENSIONS.contains(&e.as_str()))
            .ok_or_else(|| invalid("choose a PNG, JPEG, GIF or WebP image".into()))?;
        if !src.is_file() {
            return Err(invalid(format!("{} is not a file", src.display())));
        }
        self.trade(trade_id)?;
        let dir = self.screenshots_dir()?;
        std::fs::create_dir_all(&dir).map_err(|e| invalid(format!("cannot create {}: {e}", dir.display())))?;
        let id = uuid::Uuid::now_v7().to_string();
        let stored_as = format!("{SCREENSHOTS}/{id}.{ext}");
        let dest = dir.join(format!("{id}.{ext}"));
        std::fs::copy(src, &dest)
            .map_err(|e| invalid(format!("cannot copy {} into the data folder: {e}", src.display())))?;
        let shot = Screenshot {
            id,
            trade_id: trade_id.to_string(),
            file_name: src
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            stored_as,
            added_at: Utc::now(),
        };
        let recorded =
            self.with_tx(|tx| {
                tx.execute(
                "INSERT INTO screenshots (id, trade_id, file_name, stored_as, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![shot.id, shot.trade_id, shot.file_name, shot.stored_as, codec::ts(shot.added_at)],
            )?;
                Ok(())
            });
        if let Err(e) = recorded {
            let _ = std::fs::remove_file(&dest);
            return Err(e);
        }
        Ok(shot)
    }

    /// Where a screenshot's file is. Errors: [`StoreError::NotFound`].
    pub fn screenshot_file(&self, id: &str) -> Result<PathBuf> {
        let stored: String = self
            .conn()
            .query_row("SELECT stored_as FROM screenshots WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "screenshot",
                id: id.to_string(),
            })?;
        Ok(self.data_dir()?.join(stored))
    }

    /// Detaches a screenshot and removes its file (a file already gone is no error).
    /// Errors: [`StoreError::NotFound`].
    pub fn remove_screenshot(&mut self, id: &str) -> Result<()> {
        let file = self.screenshot_file(id)?;
        self.with_tx(|tx| {
            tx.execute("DELETE FROM screenshots WHERE id = ?1", [id])?;
            Ok(())
        })?;
        // The record is gone; a file that cannot be removed is only wasted space.
        let _ = std::fs::remove_file(file);
        Ok(())
    }

    /// The note of a trading day, if written.
    pub fn journal_note(&self, day: NaiveDate) -> Result<Option<JournalNote>> {
        self.conn()
            .query_row(
                "SELECT notes, updated_at FROM journal_notes WHERE day = ?1",
                [codec::date(day)],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .map(|(notes, at)| {
                Ok(JournalNote {
                    day,
                    notes,
                    updated_at: parse_ts(&at)?,
                })
            })
            .transpose()
    }

    /// Journal notes from `from` to `to` (inclusive), oldest first.
    pub fn journal_notes(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<JournalNote>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT day, notes, updated_at FROM journal_notes WHERE day BETWEEN ?1 AND ?2 ORDER BY day",
        )?;
        let rows = stmt.query_map([codec::date(from), codec::date(to)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        rows.map(|row| {
            let (day, notes, at) = row?;
            Ok(JournalNote {
                day: parse_date(&day)?,
                notes,
                updated_at: parse_ts(&at)?,
            })
        })
        .collect()
    }

    /// Writes the note of a trading day; an empty (blank) note deletes it.
    pub fn set_journal_note(&mut self, day: NaiveDate, notes: &str) -> Result<Option<JournalNote>> {
        let blank = notes.trim().is_empty();
        self.with_tx(|tx| {
            if blank {
                tx.execute("DELETE FROM journal_notes WHERE day = ?1", [codec::date(day)])?;
            } else {
                tx.execute(
                    "INSERT INTO journal_notes (day, notes, updated_at) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (day) DO UPDATE SET notes = excluded.notes, updated_at = excluded.updated_at",
                    params![codec::date(day), notes, codec::now()],
                )?;
            }
            Ok(())
        })?;
        self.journal_note(day)
    }

    /// A setting's stored value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Stores a setting (`None` removes it).
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        self.with_tx(|tx| {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, v],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
            Ok(())
        })
    }

    /// The user's contracts (added roots and overrides of built-in ones), by root.
    pub fn user_contracts(&self) -> Result<Vec<ContractSpec>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT root, name, point_value, tick_size, exchange_tz, currency FROM contracts ORDER BY root",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        rows.map(|row| {
            let (root, name, point_value, tick_size, tz, currency) = row?;
            Ok(ContractSpec {
                root,
                name,
                point_value: parse_dec(&point_value)?,
                tick_size: parse_dec(&tick_size)?,
                exchange_tz: parse_tz(&tz)?,
                currency,
            })
        })
        .collect()
    }

    /// Every contract of the table imports use, by root, each with whether it is the user's
    /// (added, or a built-in root with other values) rather than built in.
    pub fn contracts(&self) -> Result<Vec<(ContractSpec, bool)>> {
        let user = self.user_contracts()?;
        let mut list: Vec<(ContractSpec, bool)> = ContractTable::builtin()
            .iter()
            .filter(|b| !user.iter().any(|u| u.root.eq_ignore_ascii_case(&b.root)))
            .map(|b| (b.clone(), false))
            .chain(user.iter().map(|u| (u.clone(), true)))
            .collect();
        list.sort_by(|a, b| a.0.root.cmp(&b.0.root));
        Ok(list)
    }

    /// The contract table imports use: the built-in contracts with the user's on top.
    pub fn contract_table(&self) -> Result<ContractTable> {
        let mut table = ContractTable::builtin();
        for spec in self.user_contracts()? {
            table.insert(spec);
        }
        Ok(table)
    }

    /// Adds or replaces a user contract. Trades already imported keep the point value they
    /// were imported with (it is stored on each fill as its multiplier).
    ///
    /// Errors: [`StoreError::Invalid`] for an empty or non-alphanumeric root, or a point
    /// value / tick size that is not positive.
    pub fn save_contract(&mut self, spec: &ContractSpec) -> Result<()> {
        let root = spec.root.trim().to_ascii_uppercase();
        if root.is_empty() || root.len() > 6 || !root.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(StoreError::Invalid {
                field: "root",
                message: format!(
                    "`{}` is not a futures root (1–6 letters or digits, like ES or 6E)",
                    spec.root
                ),
            });
        }
        for (field, value) in [("point_value", spec.point_value), ("tick_size", spec.tick_size)] {
            if value <= Decimal::ZERO {
                return Err(StoreError::Invalid {
                    field,
                    message: format!("must be above 0, got {value}"),
                });
            }
        }
        self.with_tx(|tx| {
            tx.execute(
                "INSERT INTO contracts (root, name, point_value, tick_size, exchange_tz, currency) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (root) DO UPDATE SET name = excluded.name, \
                 point_value = excluded.point_value, tick_size = excluded.tick_size, \
                 exchange_tz = excluded.exchange_tz, currency = excluded.currency",
                params![
                    root,
                    spec.name.trim(),
                    codec::dec(spec.point_value),
                    codec::dec(spec.tick_size),
                    spec.exchange_tz.name(),
                    spec.currency.trim().to_ascii_uppercase(),
                ],
            )?;
            Ok(())
        })
    }

    /// Removes a user contract (a built-in root falls back to its built-in values).
    pub fn delete_contract(&mut self, root: &str) -> Result<bool> {
        self.with_tx(|tx| Ok(tx.execute("DELETE FROM contracts WHERE root = ?1", [root.trim()])? > 0))
    }
}

/// Settings key of [`JournalSettings::timezone`].
const TIMEZONE_KEY: &str = "timezone";
/// Settings key of [`JournalSettings::break_even_band`].
const BREAK_EVEN_BAND_KEY: &str = "break_even_band";

/// The journal's settings that change what it reports. Every reader (the app, the CLI)
/// goes through [`Store::journal_settings`], so the same journal gives the same figures
/// everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalSettings {
    /// The trader's display zone (IANA). Default `America/New_York`.
    pub timezone: chrono_tz::Tz,
    /// Closed trades with |net P&L| ≤ this amount (account currency) are scratches, neither
    /// wins nor losses, in win rate, profit factor and streaks (SPEC §4). Default 0; never
    /// negative.
    pub break_even_band: Decimal,
}

impl Default for JournalSettings {
    fn default() -> JournalSettings {
        JournalSettings {
            timezone: chrono_tz::America::New_York,
            break_even_band: Decimal::ZERO,
        }
    }
}

impl JournalSettings {
    /// Checks the values a user can type.
    ///
    /// Errors: [`StoreError::Invalid`] (`break_even_band`) for a negative band.
    pub fn validate(&self) -> Result<()> {
        if self.break_even_band < Decimal::ZERO {
            return Err(StoreError::Invalid {
                field: "break_even_band",
                message: "the band is an amount of 0 or more".into(),
            });
        }
        Ok(())
    }
}

impl Store {
    /// The journal's settings; unset ones have their defaults.
    ///
    /// Errors: [`StoreError::Corrupt`] when a stored value does not parse (it is never
    /// replaced by the default silently).
    pub fn journal_settings(&self) -> Result<JournalSettings> {
        let defaults = JournalSettings::default();
        let timezone = match self.setting(TIMEZONE_KEY)? {
            Some(v) => parse_tz(&v)?,
            None => defaults.timezone,
        };
        let break_even_band = match self.setting(BREAK_EVEN_BAND_KEY)? {
            Some(v) => Decimal::from_str(v.trim()).map_err(|_| StoreError::Corrupt {
                what: "break-even band setting",
                value: v.clone(),
            })?,
            None => defaults.break_even_band,
        };
        Ok(JournalSettings {
            timezone,
            break_even_band,
        })
    }

    /// Saves the journal's settings in one transaction and returns them as stored.
    ///
    /// Errors: [`StoreError::Invalid`] from [`JournalSettings::validate`].
    pub fn save_journal_settings(&mut self, settings: &JournalSettings) -> Result<JournalSettings> {
        settings.validate()?;
        self.with_tx(|tx| {
            for (key, value) in [
                (TIMEZONE_KEY, settings.timezone.name().to_string()),
                (BREAK_EVEN_BAND_KEY, tradebook_core::decimal_string(settings.break_even_band)),
            ] {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, value],
                )?;
            }
            Ok(())
        })?;
        self.journal_settings()
    }

    /// [`Store::stats`] with the journal's own break-even band: what the app's dashboard
    /// and `tradebook stats` show.
    pub fn journal_stats(&self, query: &crate::TradeQuery) -> Result<tradebook_core::Stats> {
        self.stats(query, self.journal_settings()?.break_even_band)
    }

    /// [`Store::breakdowns`] with the journal's own break-even band (Reports).
    pub fn journal_breakdowns(&self, query: &crate::TradeQuery) -> Result<crate::Breakdowns> {
        self.breakdowns(query, self.journal_settings()?.break_even_band)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewAccount;
    use chrono::TimeZone;
    use rust_decimal_macros::dec;
    use tradebook_core::{Fill, Instrument, Side};

    fn trade_id(store: &mut Store) -> String {
        let acct = store.create_account(&NewAccount::named("M", "Manual")).unwrap();
        let fill = |id: &str, side, price, minute| Fill {
            id: id.into(),
            account_id: acct.id.clone(),
            instrument: Instrument::stock("AAPL"),
            side,
            quantity: dec!(10),
            price,
            fees: dec!(0),
            executed_at: Utc.with_ymd_and_hms(2025, 3, 3, 15, minute, 0).unwrap(),
            source_tz: chrono_tz::America::New_York,
            seq: 0,
            position_effect: None,
        };
        store
            .add_manual_fills(&[fill("o", Side::Buy, dec!(100), 0), fill("c", Side::Sell, dec!(101), 1)])
            .unwrap()
            .remove(0)
    }

    #[test]
    fn annotations_survive_recomputation_and_labels_are_cleaned() {
        let mut store = Store::open_in_memory().unwrap();
        let id = trade_id(&mut store);
        let saved = store
            .annotate(
                &id,
                &AnnotationEdit {
                    notes: "**Good** entry".into(),
                    setup: Some(" ORB ".into()),
                    planned_stop: Some(dec!(99.5)),
                    tags: vec!["a+".into(), "A+".into(), " ".into(), "breakout".into()],
                    mistakes: vec!["late exit".into()],
                },
            )
            .unwrap();
        assert_eq!(saved.tags, ["a+", "breakout"]);
        assert_eq!(saved.setup.as_deref(), Some("ORB"));
        // Recompute the position (a manual fill far later): the trade keeps its id and notes.
        let acct = store.accounts().unwrap()[0].id.clone();
        let mut later = store.fills(Some(&acct)).unwrap()[0].fill.clone();
        later.id = "later".into();
        later.executed_at += chrono::Duration::days(1);
        store.add_manual_fills(&[later]).unwrap();
        let again = store.annotation(&id).unwrap();
        assert_eq!(again.notes, "**Good** entry");
        assert_eq!(again.planned_stop, Some(dec!(99.5)));
        assert_eq!(
            store.tags().unwrap(),
            [("a+".to_string(), 1), ("breakout".to_string(), 1)]
        );
        assert!(matches!(
            store.annotate(
                &id,
                &AnnotationEdit {
                    planned_stop: Some(dec!(0)),
                    ..Default::default()
                }
            ),
            Err(StoreError::Invalid {
                field: "planned_stop",
                ..
            })
        ));
        assert!(matches!(
            store.annotate("nope", &AnnotationEdit::default()),
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(store.add_tag(&[id.clone(), id.clone()], "review").unwrap(), 1);
        assert_eq!(store.remove_tag(std::slice::from_ref(&id), "review").unwrap(), 1);
    }

    #[test]
    fn journal_settings_default_round_trip_and_refuse_bad_values() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.journal_settings().unwrap(), JournalSettings::default());
        let chosen = JournalSettings {
            timezone: chrono_tz::Europe::London,
            break_even_band: Decimal::new(250, 2),
        };
        assert_eq!(store.save_journal_settings(&chosen).unwrap(), chosen);
        assert_eq!(store.journal_settings().unwrap(), chosen);
        let negative = JournalSettings {
            break_even_band: Decimal::new(-1, 0),
            ..chosen.clone()
        };
        assert!(matches!(
            store.save_journal_settings(&negative),
            Err(StoreError::Invalid {
                field: "break_even_band",
                ..
            })
        ));
        assert_eq!(
            store.journal_settings().unwrap(),
            chosen,
            "a refused save changes nothing"
        );
        store.set_setting("break_even_band", Some("two dollars")).unwrap();
        assert!(matches!(store.journal_settings(), Err(StoreError::Corrupt { .. })));
    }

    #[test]
    fn journal_notes_settings_and_contracts() {
        let mut store = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        assert!(store.journal_note(day).unwrap().is_none());
        store.set_journal_note(day, "Patient day").unwrap();
        assert_eq!(store.journal_notes(day, day).unwrap()[0].notes, "Patient day");
        assert!(store.set_journal_note(day, "  ").unwrap().is_none(), "blank deletes");

        store.set_setting("break_even_band", Some("2.5")).unwrap();
        assert_eq!(store.journal_settings().unwrap().break_even_band, dec!(2.5));

        let mut spec = ContractTable::builtin().get("ES").unwrap().clone();
        spec.root = "xyz".into();
        spec.point_value = dec!(7);
        store.save_contract(&spec).unwrap();
        assert_eq!(store.contract_table().unwrap().get("XYZ").unwrap().point_value, dec!(7));
        spec.root = "bad root".into();
        assert!(matches!(
            store.save_contract(&spec),
            Err(StoreError::Invalid { field: "root", .. })
        ));
        assert!(store.delete_contract("XYZ").unwrap());
        assert!(store.contract_table().unwrap().get("XYZ").is_none());
    }

    #[test]
    fn editing_and_deleting_fills_recomputes_the_trade() {
        let mut store = Store::open_in_memory().unwrap();
        let id = trade_id(&mut store);
        let trade = |store: &Store| store.trade(&id).unwrap().trade;
        assert_eq!(trade(&store).net_pnl, dec!(10)); // (101 − 100) × 10
        let exit = store.trade_fills(&id).unwrap()[1].fill.clone();
        let edit = crate::FillEdit {
            side: exit.side,
            quantity: exit.quantity,
            price: dec!(103),
            fees: dec!(1.5),
            executed_at: exit.executed_at,
        };
        store.update_fill(&exit.id, &edit).unwrap();
        assert_eq!(trade(&store).net_pnl, dec!(28.5)); // (103 − 100) × 10 − 1.5
        let bad = crate::FillEdit {
            quantity: dec!(0),
            ..edit
        };
        assert!(matches!(
            store.update_fill(&exit.id, &bad),
            Err(StoreError::Invalid { field: "quantity", .. })
        ));
        assert_eq!(store.delete_fills(std::slice::from_ref(&exit.id)).unwrap(), 1);
        assert_eq!(trade(&store).status, tradebook_core::TradeStatus::Open);
        assert_eq!(store.delete_trades(std::slice::from_ref(&id)).unwrap(), 1);
        assert!(store.trades(&crate::TradeQuery::default()).unwrap().is_empty());
        assert_eq!(store.fill_count().unwrap(), 0);
    }

    #[test]
    fn backup_and_restore_replace_the_whole_journal() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("journal.db")).unwrap();
        let id = trade_id(&mut store);
        store
            .annotate(
                &id,
                &AnnotationEdit {
                    notes: "kept".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let backup = dir.path().join("backup.db");
        assert!(store.backup_to(&backup).unwrap() > 0);
        store.delete_trades(std::slice::from_ref(&id)).unwrap();
        store
            .set_journal_note(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(), "after")
            .unwrap();

        store.restore_from(&backup).unwrap();
        assert_eq!(store.fill_count().unwrap(), 2);
        assert_eq!(store.annotation(&id).unwrap().notes, "kept");
        assert!(store
            .journal_note(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap())
            .unwrap()
            .is_none());
        assert_eq!(store.integrity_check().unwrap(), "ok");

        // A file that is not a journal changes nothing.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, "not a database at all, just text long enough for a header").unwrap();
        assert!(matches!(
            store.restore_from(&junk),
            Err(StoreError::Invalid { field: "backup", .. })
        ));
        assert!(matches!(
            store.restore_from(&dir.path().join("missing.db")),
            Err(StoreError::Invalid { field: "backup", .. })
        ));
        assert_eq!(store.fill_count().unwrap(), 2);
        assert!(matches!(
            store.backup_to(&dir.path().join("no/such/folder/b.db")),
            Err(StoreError::Invalid { field: "backup", .. })
        ));
    }

    /// The statistics cache never serves a stale figure: a change through this connection,
    /// through another one (the CLI beside the app) or a restore is seen at once.
    #[test]
    fn statistics_follow_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        let mut app = Store::open(&path).unwrap();
        let all = crate::TradeQuery::default();
        let id = trade_id(&mut app);
        assert_eq!(app.stats(&all, dec!(0)).unwrap().net_pnl, dec!(10));
        let backup = dir.path().join("b.db");
        app.backup_to(&backup).unwrap();

        app.annotate(
            &id,
            &AnnotationEdit {
                planned_stop: Some(dec!(99)),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(app.stats(&all, dec!(0)).unwrap().avg_r, Some(dec!(1))); // 10 ÷ (1 × 10)

        let mut cli = Store::open(&path).unwrap();
        cli.delete_trades(std::slice::from_ref(&id)).unwrap();
        assert_eq!(app.stats(&all, dec!(0)).unwrap().trades, 0);

        app.restore_from(&backup).unwrap();
        assert_eq!(app.stats(&all, dec!(0)).unwrap().trades, 1);
    }

    /// A limited list (the dashboard's recent trades) is the latest activity first, where
    /// the full list keeps open trades on top.
    #[test]
    fn a_limited_list_is_the_latest_activity() {
        let mut store = Store::open_in_memory().unwrap();
        let closed_early = trade_id(&mut store);
        let acct = store.accounts().unwrap()[0].id.clone();
        let base = store.fills(Some(&acct)).unwrap()[0].fill.clone();
        let at = |days: i64, id: &str, symbol: &str, side| Fill {
            id: id.into(),
            instrument: Instrument::stock(symbol),
            side,
            executed_at: base.executed_at + chrono::Duration::days(days),
            ..base.clone()
        };
        store.add_manual_fills(&[at(1, "open-1", "MSFT", Side::Buy)]).unwrap();
        store
            .add_manual_fills(&[at(2, "in-2", "NVDA", Side::Buy), at(3, "out-3", "NVDA", Side::Sell)])
            .unwrap();
        let ids = |limit| -> Vec<String> {
            let q = crate::TradeQuery {
                limit,
                ..Default::default()
            };
            store.trades(&q).unwrap().into_iter().map(|r| r.trade.id).collect()
        };
        assert_eq!(ids(None), ["open-1", "in-2", closed_early.as_str()]);
        assert_eq!(ids(Some(2)), ["in-2", "open-1"]);
    }

    #[test]
    fn screenshots_are_copied_beside_the_journal_and_removed_with_their_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("journal.db")).unwrap();
        let id = trade_id(&mut store);
        let src = dir.path().join("Chart.PNG");
        std::fs::write(&src, b"png bytes").unwrap();
        let shot = store.attach_screenshot(&id, &src).unwrap();
        let file = store.screenshot_file(&shot.id).unwrap();
        assert_eq!(file, dir.path().join(&shot.stored_as));
        assert_eq!(std::fs::read(&file).unwrap(), b"png bytes");
        assert_eq!(store.annotation(&id).unwrap().screenshots[0].file_name, "Chart.PNG");

        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "x").unwrap();
        assert!(matches!(
            store.attach_screenshot(&id, &text),
            Err(StoreError::Invalid { field: "path", .. })
        ));
        store.remove_screenshot(&shot.id).unwrap();
        assert!(!file.exists());
        assert!(matches!(
            store.screenshot_file(&shot.id),
            Err(StoreError::NotFound { .. })
        ));
    }
}
