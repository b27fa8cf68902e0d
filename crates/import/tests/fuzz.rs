//! Never panic (SPEC §10): detection and every format's parser over mutated copies of every
//! real export in `shared/fixtures/` — bit flips, truncations, deleted and duplicated spans,
//! injected delimiters, quotes, line breaks and non-UTF-8 bytes. Each format also parses
//! every other format's files. Bounded in time (`TRADEBOOK_FUZZ_SECONDS`, default 20 s);
//! the seed is fixed so a failure names the iteration that reproduces it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tradebook_core::ContractTable;
use tradebook_import::formats::{detect, parse_all, strip_bom};
use tradebook_import::{ParseContext, FORMATS};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path.strip_prefix(&root).unwrap().display().to_string(), bytes));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 20, "expected the fixture corpus beside the repository");
    out
}

/// xorshift64*: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INSERTS: &[&[u8]] = &[
    b",",
    b";",
    b"\"",
    b"\n",
    b"\r\n",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"-",
    b"$(",
    b"e9",
    b"",
    b" ",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    // Keep cases small enough to be fast: at most the first 24 KiB.
    let mut data = input[..input.len().min(24 * 1024)].to_vec();
    for _ in 0..1 + rng.below(6) {
        let len = data.len();
        match rng.below(6) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.truncate(rng.below(len + 1)),
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                data.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                let span = data[a..b].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, span);
            }
            _ => {
                let at = rng.below(len + 1);
                let insert = INSERTS[rng.below(INSERTS.len())];
                data.splice(at..at, insert.iter().copied());
            }
        }
    }
    data
}

#[test]
fn detection_and_every_parser_survive_mutated_exports() {
    let budget = Duration::from_secs(
        std::env::var("TRADEBOOK_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20),
    );
    let corpus = fixtures();
    let table = ContractTable::builtin();
    let ctx = ParseContext {
        file_name: "fuzz.csv".into(),
        tz: chrono_tz::America::New_York,
        contracts: &table,
    };
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let started = Instant::now();
    let mut cases = 0u64;
    while started.elapsed() < budget {
        let (name, bytes) = &corpus[rng.below(corpus.len())];
        let data = mutate(&mut rng, bytes);
        let text = String::from_utf8_lossy(&data);
        let head: Vec<&str> = text
            .lines()
            .take(40)
            .enumerate()
            .map(|(i, l)| if i == 0 { strip_bom(l) } else { l })
            .collect();
        let detected = detect(&head);
        // The detected format, and one other chosen at random, parse the mutant.
        let other = FORMATS[rng.below(FORMATS.len())];
        for format in detected.into_iter().chain(std::iter::once(other)) {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                parse_all(format, &mut data.as_slice(), &ctx).map(|p| p.rows)
            }));
            assert!(
                result.is_ok(),
                "case {cases}: {} panicked on a mutant of {name}",
                format.id()
            );
        }
        cases += 1;
    }
    eprintln!(
        "fuzz: {cases} mutated files in {:.1} s, no panic",
        started.elapsed().as_secs_f64()
    );
    assert!(cases > 100, "the fuzz loop ran only {cases} cases");
}
