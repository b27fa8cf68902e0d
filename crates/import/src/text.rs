//! Cell parsing shared by the formats: money and numbers as brokers write them, and times.
//!
//! Accepted money/number spellings: `1234.5`, `1,234.50`, `$1,234.56`, `-$3320.05`,
//! `$-3.5`, `($2,010.00)`, `$(10.00)`, `(5)`, `+500`, `.82`, `@33.10`, trailing/leading
//! spaces, and with [`parse_decimal_comma`] the European `25394,00` / `-1,00 $`.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Parses a decimal with a `.` decimal point: strips `$`, `@`, spaces, thousands commas and
/// a leading `+`; `(x)` and a leading `-` (before or after `$`) make it negative.
/// Returns `None` for an empty cell or anything else.
pub fn parse_decimal(cell: &str) -> Option<Decimal> {
    let (negative, body) = strip_sign(cell)?;
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    finish(negative, &cleaned)
}

/// Like [`parse_decimal`] for locales with a decimal comma (`25394,00`, `-1.234,50 €`):
/// `.` is a thousands separator and `,` the decimal point.
pub fn parse_decimal_comma(cell: &str) -> Option<Decimal> {
    let (negative, body) = strip_sign(cell)?;
    let cleaned: String = body
        .chars()
        .filter(|c| *c != '.')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    finish(negative, &cleaned)
}

fn strip_sign(cell: &str) -> Option<(bool, String)> {
    let mut s: String = cell
        .trim()
        .chars()
        .filter(|c| !matches!(c, '$' | '€' | '£' | '@' | ' ' | '\u{a0}'))
        .collect();
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_string();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    if s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
        negative = !negative;
        s = s[1..s.len() - 1].to_string();
    }
    Some((negative, s))
}

fn finish(negative: bool, s: &str) -> Option<Decimal> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let s = if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.to_string()
    };
    let d = Decimal::from_str(&s).ok()?;
    Some(if negative { -d } else { d })
}

/// Interprets a wall-clock time in `tz`. At a DST fold the earlier instant is taken; in a DST
/// gap (a time that does not exist) `None`.
pub fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, _) => Some(a.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// Parses a naive date-time with the first matching `chrono` format of `formats`.
pub fn parse_naive(cell: &str, formats: &[&str]) -> Option<NaiveDateTime> {
    let s = cell.trim();
    formats.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// Parses a date with the first matching format.
pub fn parse_date(cell: &str, formats: &[&str]) -> Option<NaiveDate> {
    let s = cell.trim();
    formats.iter().find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// The normalized raw fields of a record: trimmed cells joined by U+001F.
pub fn row_key(record: &csv::StringRecord) -> String {
    record.iter().map(str::trim).collect::<Vec<_>>().join("\u{1f}")
}

// ---------------------------------------------------------------------------------------------
// CSV records, header columns and row-level cell readers (shared by the format parsers).
//
// Every format reads its file through [`csv_rows`] (flexible record lengths, no header
// handling, a UTF-8 BOM skipped, CRLF/LF, invalid UTF-8 replaced rather than fatal), finds
// its columns by trimmed header name with [`Columns`], and turns a bad cell into a row
// rejection reason that names the column and the value (`Price `abc` is not a number`).

/// Streams the records of a CSV input with their 1-based physical line numbers.
///
/// Built by [`csv_rows`]. Yields `Err` once, on an I/O error, and then ends. The line is
/// where the record's first byte is, counted by a line tracker under the CSV reader: the `csv` crate's own
/// `Position::line` is taken before it skips blank lines and the `\n` of a CRLF, so it
/// points one or more lines too early.
pub struct CsvRows<R: std::io::Read> {
    reader: csv::Reader<LineTracker<std::io::BufReader<R>>>,
    record: csv::ByteRecord,
    done: bool,
}

/// Reads `input` as comma-separated records: every record is returned (blank ones too, see
/// [`is_blank`]), of any length, with a leading UTF-8 BOM removed and cells decoded as
/// UTF-8 with invalid bytes replaced by U+FFFD.
pub fn csv_rows<R: std::io::Read>(input: R) -> CsvRows<R> {
    use std::io::BufRead;
    let mut buffered = std::io::BufReader::new(input);
    if let Ok(start) = buffered.fill_buf() {
        if start.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
    }
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineTracker::new(buffered));
    CsvRows {
        reader,
        record: csv::ByteRecord::new(),
        done: false,
    }
}

impl<R: std::io::Read> Iterator for CsvRows<R> {
    type Item = Result<(u64, csv::StringRecord), std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {
                let position = self.record.position();
                let start = position.map_or(0, csv::Position::byte);
                let fallback = position.map_or(0, csv::Position::line);
                let line = self.reader.get_mut().line_at(start).unwrap_or(fallback);
                let record = csv::StringRecord::from_byte_record_lossy(self.record.clone());
                Some(Ok((line, record)))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(match error.into_kind() {
                    csv::ErrorKind::Io(io) => io,
                    other => std::io::Error::other(format!("{other:?}")),
                }))
            }
        }
    }
}

/// A reader that notes where each line with content starts (its byte offset and 1-based
/// line number), for the records read through it. Only the starts not yet claimed by a
/// record are kept, so memory stays bounded by the CSV reader's read-ahead.
struct LineTracker<R> {
    inner: R,
    offset: u64,
    line: u64,
    after_terminator: bool,
    starts: std::collections::VecDeque<(u64, u64)>,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> LineTracker<R> {
        LineTracker {
            inner,
            offset: 0,
            line: 1,
            after_terminator: true,
            starts: std::collections::VecDeque::new(),
        }
    }

    /// Line of the first content byte at or after `offset` (a record's start as the CSV
    /// reader reports it, before it skips line terminators); forgets earlier starts.
    fn line_at(&mut self, offset: u64) -> Option<u64> {
        while self.starts.front().is_some_and(|(start, _)| *start < offset) {
            self.starts.pop_front();
        }
        self.starts.front().map(|(_, line)| *line)
    }
}

impl<R: std::io::Read> std::io::Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &byte in buf.iter().take(n) {
            let terminator = byte == b'\n' || byte == b'\r';
            if !terminator && self.after_terminator {
                self.starts.push_back((self.offset, self.line));
            }
            if byte == b'\n' {
                self.line += 1;
            }
            self.after_terminator = terminator;
            self.offset += 1;
        }
        Ok(n)
    }
}

/// Whether every cell of the record is empty or spaces (a blank line, or a spreadsheet's
/// `,,,,,,` padding row).
pub fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// The cells of one line of CSV text (for detection from the head lines of a file), trimmed,
/// with a BOM removed from the first.
pub fn split_csv_line(line: &str) -> Vec<String> {
    match csv_rows(line.as_bytes()).next() {
        Some(Ok((_, record))) => Columns::from_record(&record).names,
        _ => Vec::new(),
    }
}

/// The columns of a header row, found by trimmed name (so reordered or added columns do not
/// matter). Look-ups try the exact name first, then ignore ASCII case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    names: Vec<String>,
}

impl Columns {
    /// The columns of a header record (cells trimmed, BOM removed from the first).
    pub fn from_record(record: &csv::StringRecord) -> Columns {
        let names = record
            .iter()
            .map(|cell| cell.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        Columns { names }
    }

    /// Position of the column `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n == name)
            .or_else(|| self.names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    }

    /// Whether the header has the column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// The first of `names` the header has.
    pub fn pick<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|n| self.has(n))
    }

    /// The trimmed cell of column `name` in `record`; `""` when the header has no such column
    /// or the record is shorter.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index(name).and_then(|i| record.get(i)).map_or("", str::trim)
    }

    /// Whether `record` repeats this header (a header row in the middle of concatenated
    /// exports).
    pub fn is_header(&self, record: &csv::StringRecord) -> bool {
        Columns::from_record(record) == *self
    }

    /// The first required column missing from the header: each entry of `required` lists
    /// alternative names, any one of which satisfies it.
    pub fn missing(&self, required: &[&[&str]]) -> Option<String> {
        required
            .iter()
            .find(|alts| self.pick(alts).is_none())
            .map(|alts| alts.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" or "))
    }
}

/// A required number cell: the value, or a reason naming the column and the value
/// (`Price `abc` is not a number`, `Price is empty`).
pub fn number_cell(column: &str, value: &str) -> Result<Decimal, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{column} is empty"));
    }
    parse_decimal(value).ok_or_else(|| format!("{column} `{value}` is not a number"))
}

/// A required quantity cell that must be greater than zero.
pub fn quantity_cell(column: &str, value: &str) -> Result<Decimal, String> {
    let quantity = number_cell(column, value)?;
    if quantity <= Decimal::ZERO {
        return Err(format!("{column} `{}` is not a positive quantity", value.trim()));
    }
    Ok(quantity)
}

/// A fee cell: empty means zero; a negative amount is refused (fees are stored as a
/// non-negative cost, so a sign would be ambiguous).
pub fn fee_cell(column: &str, value: &str) -> Result<Decimal, String> {
    if value.trim().is_empty() {
        return Ok(Decimal::ZERO);
    }
    let fee = number_cell(column, value)?;
    if fee < Decimal::ZERO {
        return Err(format!(
            "{column} `{}` is negative; fees must be a cost ≥ 0",
            value.trim()
        ));
    }
    Ok(fee)
}

/// A wall-clock time cell interpreted in `tz` with [`local_to_utc`]; the reason names the
/// column and value when the cell matches none of `formats` or the time does not exist in
/// `tz` (a DST gap).
pub fn local_time_cell(
    column: &str,
    value: &str,
    formats: &[&str],
    tz: Tz,
) -> Result<(NaiveDateTime, DateTime<Utc>), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{column} is empty"));
    }
    let naive = parse_naive(value, formats).ok_or_else(|| format!("{column} `{value}` is not a date and time"))?;
    let utc = local_to_utc(naive, tz).ok_or_else(|| {
        format!(
            "{column} `{value}` does not exist in {} (skipped by a daylight-saving change)",
            tz.name()
        )
    })?;
    Ok((naive, utc))
}

/// The OCC option symbol `ROOT` + `YYMMDD` + `C`/`P` + strike × 1000 in eight digits
/// (`SPY220930C00364000`), or `None` when the strike has more than three decimals or does
/// not fit in eight digits.
pub fn occ_symbol(
    root: &str,
    expiry: NaiveDate,
    right: tradebook_core::OptionRight,
    strike: Decimal,
) -> Option<String> {
    let thousandths = strike.checked_mul(Decimal::ONE_THOUSAND)?;
    if strike < Decimal::ZERO || thousandths.fract() != Decimal::ZERO {
        return None;
    }
    let digits = thousandths.trunc().normalize().to_string();
    if digits.len() > 8 {
        return None;
    }
    let letter = match right {
        tradebook_core::OptionRight::Call => 'C',
        tradebook_core::OptionRight::Put => 'P',
    };
    Some(format!(
        "{}{}{letter}{digits:0>8}",
        root.trim(),
        expiry.format("%y%m%d")
    ))
}

/// Reads an OCC option symbol, padded (`SPY   220930C00364000`) or not: root, expiry,
/// right and strike (the strike field is thousandths of a dollar).
pub fn parse_occ_symbol(symbol: &str) -> Option<(String, NaiveDate, tradebook_core::OptionRight, Decimal)> {
    let s = symbol.trim();
    if !s.is_ascii() || s.len() < 16 {
        return None;
    }
    let n = s.len();
    let (root, date) = (s.get(..n - 15)?.trim(), s.get(n - 15..n - 9)?);
    let (right, strike) = (s.get(n - 9..n - 8)?, s.get(n - 8..)?);
    if root.is_empty()
        || !root
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
        || !date.bytes().all(|b| b.is_ascii_digit())
        || !strike.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let right = match right {
        "C" => tradebook_core::OptionRight::Call,
        "P" => tradebook_core::OptionRight::Put,
        _ => return None,
    };
    let expiry = NaiveDate::parse_from_str(date, "%y%m%d").ok()?;
    let strike = Decimal::from_str(strike).ok()? / Decimal::ONE_THOUSAND;
    Some((root.to_string(), expiry, right, strike.normalize()))
}

/// Drives a format whose file is one table: the first non-blank record is the header, which
/// must have every `required` column (each entry lists alternative names) or the whole file
/// is [`crate::ImportError::Malformed`]; blank records and repeats of the header produce no
/// outcome; every other record goes to `row`, whose outcome goes to `sink` in file order.
pub fn parse_table(
    input: &mut dyn std::io::Read,
    ctx: &crate::ParseContext<'_>,
    required: &[&[&str]],
    sink: &mut dyn FnMut(crate::RowOutcome) -> Result<(), crate::ImportError>,
    row: &mut dyn FnMut(&Columns, u64, &csv::StringRecord) -> crate::RowOutcome,
) -> Result<(), crate::ImportError> {
    let mut columns: Option<Columns> = None;
    for next in csv_rows(input) {
        let (line, record) = next.map_err(|source| crate::ImportError::Io {
            file: ctx.file_name.clone(),
            source,
        })?;
        if is_blank(&record) {
            continue;
        }
        match &columns {
            None => {
                let header = Columns::from_record(&record);
                if let Some(missing) = header.missing(required) {
                    return Err(crate::ImportError::Malformed {
                        file: ctx.file_name.clone(),
                        line,
                        message: format!("the header has no column {missing}"),
                    });
                }
                columns = Some(header);
            }
            Some(header) if header.is_header(&record) => {}
            Some(header) => sink(row(header, line, &record))?,
        }
    }
    Ok(())
}

/// A deterministic pseudo-random generator (xorshift) for the never-panic tests.
#[cfg(test)]
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `len` pseudo-random bytes from `seed`, biased towards CSV punctuation and digits.
#[cfg(test)]
pub(crate) fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut next = xorshift(seed);
    (0..len)
        .map(|_| match next() % 4 {
            0 => {
                const PUNCTUATION: &[u8] = b",\"\r\n /:$()+-.@";
                PUNCTUATION[(next() % PUNCTUATION.len() as u64) as usize]
            }
            1 => b'0' + (next() % 10) as u8,
            _ => (next() & 0xff) as u8,
        })
        .collect()
}

/// `sample` with bytes replaced, dropped, doubled and CSV punctuation inserted, driven by
/// `seed` (for the never-panic tests).
#[cfg(test)]
pub(crate) fn noise(sample: &[u8], seed: u64) -> Vec<u8> {
    let mut next = xorshift(seed);
    let mut out = Vec::with_capacity(sample.len() + 16);
    for &b in sample {
        match next() % 16 {
            0 => out.push((next() & 0xff) as u8),
            1 => {}
            2 => out.extend_from_slice(&[b, b]),
            3 => {
                const INSERTED: &[u8] = b",\"\r\n \xff/";
                out.push(INSERTED[(next() % INSERTED.len() as u64) as usize]);
            }
            _ => out.push(b),
        }
    }
    out
}

/// Files made from a header line and one valid data row by putting, in turn, every hostile
/// value (overflowing numbers, dates at the ends of chrono's range, stray quotes) into every
/// cell of the row, for the never-panic tests.
#[cfg(test)]
pub(crate) fn hostile_files(header: &str, row: &str) -> Vec<String> {
    const HOSTILE: &[&str] = &[
        "",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "99999999999999999999999999999999",
        "0.0000000000000000000000000001",
        "(79228162514264337593543950335)",
        "$",
        "(",
        "1e400",
        "999 319",
        "4294967295 317",
        "12/31/262143 23:59:59",
        "12/31/262142 23:59:59 +14:00",
        "01/01/-262143 00:00:00 -14:00",
        "01/01/-262144 00:00:00",
        "12/31/262142 23:59:59 EDT",
        "9999-12-31 23:59:59.999999999Z",
        "262142-12-31 23:59:59Z",
        "+262143-01-01T00:00:00Z",
        "1/1/99 99:99:99",
        "/ZZZZ99999 1/0 X",
        "/NQM22 1/0.0000000000000000000000000001",
        "SPY999999C99999999",
        "\u{feff}\"",
    ];
    let cells: Vec<String> = match csv_rows(row.as_bytes()).next() {
        Some(Ok((_, record))) => record.iter().map(str::to_string).collect(),
        _ => return Vec::new(),
    };
    let quote = |c: &str| format!("\"{}\"", c.replace('"', "\"\""));
    let mut files = Vec::new();
    for i in 0..cells.len() {
        for value in HOSTILE {
            let mut changed = cells.clone();
            changed[i] = (*value).to_string();
            let line: Vec<String> = changed.iter().map(|c| quote(c)).collect();
            files.push(format!("{header}\n{}\n", line.join(",")));
        }
    }
    files
}

/// Runs `format` over every prefix of `sample`, 100 noisy copies of it, 100 random byte
/// strings, and the [`hostile_files`] of each `(header, row)`; the test fails if any run
/// panics (errors and rejected rows are fine).
#[cfg(test)]
pub(crate) fn assert_never_panics(format: &dyn crate::formats::Format, sample: &[u8], rows: &[(&str, &str)]) {
    let table = tradebook_core::ContractTable::builtin();
    for tz in [chrono_tz::America::New_York, chrono_tz::Pacific::Kiritimati] {
        let ctx = crate::ParseContext {
            file_name: "x.csv".into(),
            tz,
            contracts: &table,
        };
        let run = |bytes: &[u8]| {
            let _ = crate::formats::parse_all(format, &mut &bytes[..], &ctx);
            let text = String::from_utf8_lossy(bytes);
            let head: Vec<&str> = text.lines().take(40).collect();
            let _ = format.detect(&head);
        };
        for end in 0..=sample.len() {
            run(&sample[..end]);
        }
        for seed in 0..100 {
            run(&noise(sample, seed));
            run(&random_bytes(seed, 64 + (seed as usize % 7) * 300));
        }
        for (header, row) in rows {
            for file in hostile_files(header, row) {
                run(file.as_bytes());
            }
        }
    }
}

/// Every fixture file, as a path relative to `shared/fixtures/`.
#[cfg(test)]
pub(crate) fn fixture_files() -> Vec<String> {
    let root = crate::formats::testing::fixture("");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = format!(
                "{}/{}",
                dir.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            );
            files.push(name);
        }
    }
    files.sort();
    files
}

/// Asserts that `format` recognises exactly the fixtures in `own` among all fixtures.
#[cfg(test)]
pub(crate) fn assert_detects_only(format: &dyn crate::formats::Format, own: &[&str]) {
    let files = fixture_files();
    assert!(files.len() > 20, "fixtures not found: {files:?}");
    for rel in files {
        let lines = crate::formats::testing::head(&rel);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            format.detect(&refs),
            own.contains(&rel.as_str()),
            "{} on {rel}",
            format.id()
        );
        if own.contains(&rel.as_str()) {
            assert_eq!(
                crate::formats::detect(&refs).map(|f| f.id()),
                Some(format.id()),
                "{rel}"
            );
        }
    }
}

#[cfg(test)]
mod csv_rows_tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u64, Vec<String>)> {
        csv_rows(input)
            .map(|r| {
                let (line, record) = r.unwrap();
                (line, record.iter().map(str::to_string).collect())
            })
            .collect()
    }

    #[test]
    fn physical_lines_with_crlf_blank_lines_bom_and_quoted_newlines() {
        let got = lines(b"\xEF\xBB\xBFa,b\r\n1,2\r\n\r\n\r\n3,\"x\r\ny\"\r\n,,\r\n4\n\n5");
        let want: Vec<(u64, Vec<String>)> = vec![
            (1, vec!["a".into(), "b".into()]),
            (2, vec!["1".into(), "2".into()]),
            (5, vec!["3".into(), "x\r\ny".into()]),
            (7, vec!["".into(), "".into(), "".into()]),
            (8, vec!["4".into()]),
            (10, vec!["5".into()]),
        ];
        assert_eq!(got, want);
        assert!(is_blank(&csv::StringRecord::from(vec!["", " ", ""])));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let got = lines(b"a,\xff\nb,c\n");
        assert_eq!(got[0].1[1], "\u{fffd}");
        assert_eq!(got[1], (2, vec!["b".to_string(), "c".to_string()]));
    }

    #[test]
    fn occ_symbols() {
        let d = NaiveDate::from_ymd_opt(2022, 9, 30).unwrap();
        let call = tradebook_core::OptionRight::Call;
        assert_eq!(
            occ_symbol("SPY", d, call, Decimal::from(364)).unwrap(),
            "SPY220930C00364000"
        );
        assert_eq!(
            occ_symbol("ATOS", d, tradebook_core::OptionRight::Put, Decimal::new(15, 1)).unwrap(),
            "ATOS220930P00001500"
        );
        assert_eq!(occ_symbol("X", d, call, Decimal::new(12345, 4)), None);
        assert_eq!(occ_symbol("X", d, call, Decimal::from(100_000)), None);
        assert_eq!(
            parse_occ_symbol("SPY220930C00364000"),
            Some(("SPY".to_string(), d, call, Decimal::from(364)))
        );
        assert_eq!(
            parse_occ_symbol("SPXW  220930P03950500").map(|o| (o.0, o.3)),
            Some(("SPXW".to_string(), Decimal::new(39505, 1)))
        );
        for bad in [
            "",
            "SPY",
            "SPY220930X00364000",
            "SPY221330C00364000",
            "220930C00364000",
            "SPY220930C0036400a",
        ] {
            assert_eq!(parse_occ_symbol(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_spellings() {
        let cases = [
            ("1234.5", Some(dec!(1234.5))),
            ("\"1,234.50\"", None),
            ("1,234.50", Some(dec!(1234.50))),
            ("$1,234.56", Some(dec!(1234.56))),
            ("-$3320.05", Some(dec!(-3320.05))),
            ("$-3.5", Some(dec!(-3.5))),
            ("($2,010.00)", Some(dec!(-2010.00))),
            ("$(10.00)", Some(dec!(-10.00))),
            ("+500", Some(dec!(500))),
            (".82", Some(dec!(0.82))),
            ("@33.10", Some(dec!(33.10))),
            (" $0.51 ", Some(dec!(0.51))),
            ("", None),
            ("--", None),
            ("abc", None),
            ("1e5", None),
        ];
        for (input, want) in cases {
            assert_eq!(parse_decimal(input), want, "{input:?}");
        }
        assert_eq!(parse_decimal_comma("25394,00"), Some(dec!(25394.00)));
        assert_eq!(parse_decimal_comma("-1,00 $"), Some(dec!(-1.00)));
        assert_eq!(parse_decimal_comma("-1.234,50"), Some(dec!(-1234.50)));
    }

    #[test]
    fn local_times() {
        let ny = chrono_tz::America::New_York;
        let t = parse_naive("02/11/2026 15:34:46", &["%m/%d/%Y %H:%M:%S"]).unwrap();
        assert_eq!(local_to_utc(t, ny).unwrap().to_rfc3339(), "2026-02-11T20:34:46+00:00");
        let gap = parse_naive("03/08/2026 02:30:00", &["%m/%d/%Y %H:%M:%S"]).unwrap();
        assert_eq!(local_to_utc(gap, ny), None);
    }
}

/// Like [`csv_rows`] with another field delimiter: `b';'` for exports written in a locale whose
/// list separator is a semicolon (NinjaTrader grids on a European Windows). Same line numbers,
/// BOM handling and lossy UTF-8 decoding.
pub fn csv_rows_with_delimiter<R: std::io::Read>(input: R, delimiter: u8) -> CsvRows<R> {
    use std::io::BufRead;
    let mut buffered = std::io::BufReader::new(input);
    if let Ok(start) = buffered.fill_buf() {
        if start.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
    }
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(LineTracker::new(buffered));
    CsvRows {
        reader,
        record: csv::ByteRecord::new(),
        done: false,
    }
}

// ---------------------------------------------------------------------------------------------
// Date-only exports, preambles and equity option contracts (shared by the Schwab, TD
// Ameritrade, Fidelity, E*TRADE and Robinhood formats).

/// Hour of day (in the account zone) given to a fill whose source writes a date but no time:
/// 16:00, the US market close. Midnight would put a day's trades before the previous day's
/// late entries in other files; within a day the file's order is kept (see
/// [`crate::formats::Format::newest_first`]).
pub const DATE_ONLY_HOUR: u32 = 16;

/// A US date `M/D/YYYY` or `M/D/YY` (one- or two-digit month and day; a two-digit year is
/// 2000–2068 or 1969–1999, as chrono's `%y`). `None` for anything else.
pub fn us_date(cell: &str) -> Option<NaiveDate> {
    let s = cell.trim();
    let year = s.rsplit('/').next()?;
    let format = match year.len() {
        4 => "%m/%d/%Y",
        2 => "%m/%d/%y",
        _ => return None,
    };
    if s.split('/').count() != 3 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, format).ok()
}

/// A date-only cell ([`us_date`]) as the instant [`DATE_ONLY_HOUR`]:00 of that day in `tz`;
/// the reason names the column and the value.
pub fn us_date_cell(column: &str, value: &str, tz: Tz) -> Result<(NaiveDate, DateTime<Utc>), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{column} is empty"));
    }
    let date = us_date(value).ok_or_else(|| format!("{column} `{value}` is not a date (M/D/YYYY)"))?;
    let at = date
        .and_hms_opt(DATE_ONLY_HOUR, 0, 0)
        .and_then(|naive| local_to_utc(naive, tz))
        .ok_or_else(|| format!("{column} `{value}` has no {DATE_ONLY_HOUR}:00 in {}", tz.name()))?;
    Ok((date, at))
}

/// Whether `symbol` can be a stock ticker (or a CUSIP): non-empty ASCII letters and digits,
/// with `.`, `/` or `-` for share classes (`BRK.B`, `BRK/B`, `BF-B`).
pub fn is_ticker(symbol: &str) -> bool {
    !symbol.is_empty()
        && symbol
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
}

/// A standard equity or index option (multiplier 100) keyed by its OCC symbol; `None` when
/// the strike cannot be written in an OCC symbol ([`occ_symbol`]).
pub fn equity_option(
    root: &str,
    expiry: NaiveDate,
    right: tradebook_core::OptionRight,
    strike: Decimal,
) -> Option<tradebook_core::Instrument> {
    let strike = strike.normalize();
    let occ = occ_symbol(root, expiry, right, strike)?;
    Some(tradebook_core::Instrument::option(
        occ,
        root.trim(),
        expiry,
        strike,
        right,
        Decimal::ONE_HUNDRED,
    ))
}

/// Like [`parse_table`] for files with a preamble (title lines, account names, totals) before
/// the header: records before the first one for which `is_header` holds produce no outcome.
/// A file without such a record is [`crate::ImportError::Malformed`], as is a header
/// missing a `required` column.
pub fn parse_table_after_preamble(
    input: &mut dyn std::io::Read,
    ctx: &crate::ParseContext<'_>,
    is_header: &dyn Fn(&Columns) -> bool,
    required: &[&[&str]],
    sink: &mut dyn FnMut(crate::RowOutcome) -> Result<(), crate::ImportError>,
    row: &mut dyn FnMut(&Columns, u64, &csv::StringRecord) -> crate::RowOutcome,
) -> Result<(), crate::ImportError> {
    let mut columns: Option<Columns> = None;
    let mut last_line = 0;
    for next in csv_rows(input) {
        let (line, record) = next.map_err(|source| crate::ImportError::Io {
            file: ctx.file_name.clone(),
            source,
        })?;
        last_line = line;
        if is_blank(&record) {
            continue;
        }
        match &columns {
            None => {
                let header = Columns::from_record(&record);
                if !is_header(&header) {
                    continue;
                }
                if let Some(missing) = header.missing(required) {
                    return Err(crate::ImportError::Malformed {
                        file: ctx.file_name.clone(),
                        line,
                        message: format!("the header has no column {missing}"),
                    });
                }
                columns = Some(header);
            }
            Some(header) if header.is_header(&record) => {}
            Some(header) => sink(row(header, line, &record))?,
        }
    }
    if columns.is_none() {
        return Err(crate::ImportError::Malformed {
            file: ctx.file_name.clone(),
            line: last_line.max(1),
            message: "no header row found".to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod date_only_tests {
    use super::*;

    #[test]
    fn us_dates_with_two_and_four_digit_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(us_date("7/31/2023"), d(2023, 7, 31));
        assert_eq!(us_date("07/09/2025"), d(2025, 7, 9));
        assert_eq!(us_date(" 11/28/23 "), d(2023, 11, 28));
        assert_eq!(us_date("12/31/99"), d(1999, 12, 31));
        for bad in [
            "",
            "7/31",
            "7/31/023",
            "13/01/2023",
            "2023-07-31",
            "1/1/-2023",
            "a/b/cd",
        ] {
            assert_eq!(us_date(bad), None, "{bad}");
        }
        let ny = chrono_tz::America::New_York;
        let (date, at) = us_date_cell("Date", "07/09/2025", ny).unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2025, 7, 9).unwrap());
        assert_eq!(at.to_rfc3339(), "2025-07-09T20:00:00+00:00");
        assert_eq!(
            us_date_cell("Date", "x", ny).unwrap_err(),
            "Date `x` is not a date (M/D/YYYY)"
        );
        assert_eq!(us_date_cell("Date", " ", ny).unwrap_err(), "Date is empty");
    }

    #[test]
    fn equity_options_are_keyed_by_occ_symbol() {
        let expiry = NaiveDate::from_ymd_opt(2026, 7, 17).unwrap();
        let call = tradebook_core::OptionRight::Call;
        let o = equity_option("INTC", expiry, call, Decimal::new(115_000, 3)).unwrap();
        assert_eq!(o.symbol, "INTC260717C00115000");
        assert_eq!(o.strike, Some(Decimal::from(115)));
        assert_eq!(o.multiplier, Decimal::ONE_HUNDRED);
        assert_eq!(equity_option("X", expiry, call, Decimal::new(1, 4)), None);
    }
}

/// The first non-empty line of `head` (a file's first lines), BOM removed and trimmed: the
/// header of single-table formats.
pub fn first_line<'a>(head: &[&'a str]) -> Option<&'a str> {
    head.iter()
        .map(|l| crate::formats::strip_bom(l).trim())
        .find(|l| !l.is_empty())
}

/// The cells of [`first_line`], split as CSV.
pub fn header_cells(head: &[&str]) -> Option<Vec<String>> {
    first_line(head).map(split_csv_line)
}

/// Whether `cells` contain every column of `names`.
pub fn has_columns<S: AsRef<str>>(cells: &[S], names: &[&str]) -> bool {
    names.iter().all(|name| cells.iter().any(|c| c.as_ref() == *name))
}

/// Whether the first non-empty line of `head` (BOM removed) is a header with every column of
/// `names` (for the `detect` of single-table formats).
pub fn head_has_columns(head: &[&str], names: &[&str]) -> bool {
    header_cells(head).is_some_and(|cells| has_columns(&cells, names))
}

/// The sum of signed amount cells, each named by its column (`("Comm", "-1.5")`); empty cells
/// count 0. The reason names the column and value of a cell that is not a number or makes
/// the sum overflow.
pub fn sum_cells(cells: &[(&str, &str)]) -> Result<Decimal, String> {
    let mut total = Decimal::ZERO;
    for (column, value) in cells {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let amount = number_cell(column, value)?;
        total = total
            .checked_add(amount)
            .ok_or_else(|| format!("{column} `{value}` is out of range"))?;
    }
    Ok(total)
}

/// A cash movement outcome of `record` at `line` (see [`crate::RowOutcome::Cash`]): money
/// in (> 0) or out of the account in its currency, at `occurred_at`, described by the
/// broker's own words. A movement of 0 moves nothing: the row is skipped, named by
/// `description`.
pub fn cash_outcome(
    line: u64,
    kind: tradebook_store::CashKind,
    amount: Decimal,
    occurred_at: DateTime<Utc>,
    tz: Tz,
    description: &str,
    record: &csv::StringRecord,
) -> crate::RowOutcome {
    if amount.is_zero() {
        return crate::RowOutcome::Skipped {
            line,
            reason: format!("`{}` of 0", description.trim()),
        };
    }
    crate::RowOutcome::Cash {
        line,
        movement: tradebook_store::NewCashMovement {
            kind,
            amount: amount.normalize(),
            currency: None,
            occurred_at,
            source_tz: tz,
            description: description.split_whitespace().collect::<Vec<_>>().join(" "),
        },
        row_key: row_key(record),
    }
}

/// `outcome`, or a rejection of `line` with the reason it failed with.
pub fn or_rejected(line: u64, outcome: Result<crate::RowOutcome, String>) -> crate::RowOutcome {
    outcome.unwrap_or_else(|reason| crate::RowOutcome::Rejected { line, reason })
}
