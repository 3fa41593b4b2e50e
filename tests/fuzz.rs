//! A bounded fuzzing pass over everything sohoa reads (`sohoa::fuzz`): each target's corpus in
//! `fuzz/corpus/<target>/` is replayed, then mutated at random (bytes flipped, cut, repeated,
//! spliced, interesting values planted) for a fixed time. No input may panic or hang.
//!
//! `SOHOA_FUZZ_SECONDS` sets the time per target (default 5); `SOHOA_FUZZ_SEED` the seed
//! (default: a new one each run, printed, so a failure can be replayed). A failing input is
//! written to `target/fuzz-failures/` and named in the failure. The coverage-guided targets for
//! long runs are in `fuzz/` (`cargo fuzz run <target>`, see `fuzz/README.md`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Longer than any real input of these kinds takes to read; more is a hang.
const SLOW: Duration = Duration::from_secs(10);

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = sohoa::fuzz::corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

const INTERESTING: &[&[u8]] = &[
    b"\x00",
    b"\xff\xff\xff\xff",
    b"\x7f\xff\xff\xff",
    b"\x80\x00\x00\x00",
    b"4294967295",
    b"-1",
    b"99999999999999999999",
    b"\"",
    b"=",
    b"\n",
    b"\r\n",
    b",",
    b"[[",
    b"\xef\xbb\xbf",
    "\u{0301}".as_bytes(),
    "Nguyễn".as_bytes(),
];

fn mutate(rng: &mut ChaCha8Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        let len = data.len();
        match rng.gen_range(0..7) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] = rng.gen();
            }
            2 if len > 0 => {
                let at = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - at).min(64));
                data.drain(at..at + n);
            }
            3 if len > 0 => {
                let at = rng.gen_range(0..len);
                let n = rng.gen_range(1..=(len - at).min(256));
                let piece = data[at..at + n].to_vec();
                let to = rng.gen_range(0..=len);
                data.splice(
                    to..to,
                    piece.iter().cycle().take(n * rng.gen_range(1..=8)).copied(),
                );
            }
            4 if len > 0 => data.truncate(rng.gen_range(0..len)),
            5 => {
                let value = INTERESTING[rng.gen_range(0..INTERESTING.len())];
                let to = rng.gen_range(0..=len);
                data.splice(to..to, value.iter().copied());
            }
            _ => {
                let other = &others[rng.gen_range(0..others.len())];
                if !other.is_empty() {
                    let from = rng.gen_range(0..other.len());
                    let to = rng.gen_range(0..=len);
                    data.truncate(to);
                    data.extend_from_slice(&other[from..]);
                }
            }
        }
    }
    data
}

/// Runs one input; on a panic or a hang, saves it and says so, naming it.
fn check(target: &str, input: &[u8]) -> Result<(), String> {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| sohoa::fuzz::run(target, input)));
    let took = started.elapsed();
    if outcome.is_err() || took > SLOW {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let hash = sohoa::schema::hex(&<sha2::Sha256 as sha2::Digest>::digest(input));
        let path = dir.join(format!("{target}-{}", &hash[..16]));
        std::fs::write(&path, input).unwrap();
        let what = if outcome.is_err() { "panicked" } else { "hung" };
        return Err(format!(
            "fuzz target {target} {what} ({took:?}) on {}; replay with \
             sohoa::fuzz::run(\"{target}\", &std::fs::read(path)?)",
            path.display()
        ));
    }
    Ok(())
}

#[test]
fn every_reader_survives_its_corpus_and_random_mutations_of_it() {
    let seconds: u64 = std::env::var("SOHOA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("SOHOA_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("fuzz: {seconds} s per target, SOHOA_FUZZ_SEED={seed}");
    // Panics are expected to be caught here; keep their messages out of the log.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut tried = Vec::new();
    let mut failure = None;
    'targets: for target in sohoa::fuzz::TARGETS {
        let seeds = corpus(target);
        for input in &seeds {
            if let Err(e) = check(target, input) {
                failure = Some(e);
                break 'targets;
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ target.len() as u64);
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut n = 0u64;
        while Instant::now() < until {
            let base = &seeds[rng.gen_range(0..seeds.len())];
            let input = mutate(&mut rng, base, &seeds);
            if let Err(e) = check(target, &input) {
                failure = Some(e);
                break 'targets;
            }
            n += 1;
        }
        tried.push(format!("{target}: {} corpus + {n} mutated", seeds.len()));
    }
    std::panic::set_hook(hook);
    if let Some(e) = failure {
        panic!("{e} (SOHOA_FUZZ_SEED={seed})");
    }
    eprintln!("fuzz: {}", tried.join("; "));
}
