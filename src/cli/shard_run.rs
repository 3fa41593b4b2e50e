//! `sohoa run SCANS --out OUT --shard K/N`: one shard of a province's books, beside other shards
//! writing the same OUT. Page results go into OUT exactly as a single run writes them; the
//! shard's own report goes to `OUT/shards/shard-K-of-N.json`; the outputs are left to
//! `sohoa emit OUT`, run once after the last shard.

use super::config::{missing_books, read_batch};
use super::run::RunArgs;
use super::Exit;
use crate::ingest::{Book, Scan};
use crate::pipeline::{RunConfig, Selection};
use crate::shard::lock::{BookLocks, Take};
use crate::shard::report::{resource_use, ShardBook, ShardReport};
use crate::shard::Shard;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub fn execute(
    args: &RunArgs,
    shard: Shard,
    config: RunConfig,
    scan: Scan,
) -> anyhow::Result<Exit> {
    let what = format!("sohoa run --shard {shard}");
    let _shared = crate::outdir::OutLock::acquire_shared(&args.out, &what)?;
    missing_books(&args.out, &scan)?;
    let started = Instant::now();
    let mut report = ShardReport {
        shard: shard.to_string(),
        started: crate::clock::now_utc(),
        jobs: config.jobs,
        ..ShardReport::default()
    };
    let locks = BookLocks::new(
        &args.out,
        &what,
        Duration::from_secs(args.stale_lock_after.max(1)),
    )?;
    report.process = locks.holder().describe();
    let say = |line: String| {
        if !args.common.quiet && !args.common.json {
            eprintln!("{line}");
        }
    };

    // Take the shard's books; a book held elsewhere is waited for only as long as it takes to
    // tell a live holder from a dead one.
    let mut taken: Vec<Book> = Vec::new();
    let mut watches = Vec::new();
    for book in scan.books.iter().filter(|b| shard.owns(&b.id)) {
        let take = locks.try_take(&book.id)?;
        if let Take::Watch(w) = take {
            watches.push((book, w));
            continue;
        }
        settle_book(book, take, &mut taken, &mut report);
    }
    for (book, watch) in watches {
        say(format!(
            "book {}: locked by {}; waiting {} s to see whether that process is alive",
            book.id,
            watch
                .holder()
                .map_or("a process on another machine".into(), |h| h.describe()),
            locks.stale_after().as_secs()
        ));
        let take = locks.settle(&watch)?;
        settle_book(book, take, &mut taken, &mut report);
    }
    for (id, error) in scan.failed.iter().filter(|(id, _)| shard.owns(id)) {
        report.books.push(ShardBook {
            id: id.clone(),
            pages: 0,
            lock: format!("cannot be processed: {error}"),
            done: false,
        });
    }
    report.books.sort_by(|a, b| natord::compare(&a.id, &b.id));

    let mine = Scan {
        root: scan.root.clone(),
        books: taken,
        failed: Vec::new(),
    };
    let lost: Mutex<BTreeSet<String>> = Mutex::default();
    let may_write = |key: &crate::page::PageKey| {
        let ours = locks.holds(&key.book_id);
        if !ours {
            if let Ok(mut l) = lost.lock() {
                l.insert(key.book_id.clone());
            }
        }
        ours
    };
    let (results, stats, _steps) =
        read_batch(&config, &mine, &Selection::All, &args.common, &may_write)?;
    for book in &mine.books {
        locks.release(&book.id);
    }
    let lost = lost.into_inner().unwrap_or_default();
    for b in report.books.iter_mut().filter(|b| lost.contains(&b.id)) {
        b.done = false;
        b.lock = "taken over by another process while this one read it (this process was \
                  paused or cut off for longer than --stale-lock-after)"
            .into();
    }

    report.finished = crate::clock::now_utc();
    report.seconds = started.elapsed().as_secs_f64();
    let (cpu, memory, worker_memory) = resource_use();
    report.cpu_seconds = cpu;
    report.peak_memory_mb = memory;
    report.peak_worker_memory_mb = worker_memory;
    report.count_pages(&results, &stats.processed, &stats.not_written);
    let path = report.save(&args.out, shard).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot write the shard's report: {e}",
            ShardReport::path(&args.out, shard).display()
        )
    })?;
    if args.common.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !args.common.quiet {
        print!("{}", report.summary());
        println!(
            "Shard report in {}; run `sohoa emit {}` once every shard is done.",
            path.display(),
            args.out.display()
        );
    }
    let unfinished = report.books.iter().any(|b| !b.done);
    Ok(if unfinished || report.pages.failed > 0 {
        Exit::PagesFailed
    } else {
        Exit::Ok
    })
}

/// Records what became of a book's lock, keeping the book if this shard now holds it.
fn settle_book(book: &Book, take: Take, taken: &mut Vec<Book>, report: &mut ShardReport) {
    let (lock, mine) = match take {
        Take::Taken => ("taken".to_string(), true),
        Take::TakenOver(h) => (
            format!("taken over from {} (that process had ended)", h.describe()),
            true,
        ),
        Take::Held(h) => (held_by(&h.describe()), false),
        Take::Watch(w) => (
            held_by(
                &w.holder()
                    .map_or("another process".into(), |h| h.describe()),
            ),
            false,
        ),
    };
    report.books.push(ShardBook {
        id: book.id.clone(),
        pages: book.pages.len(),
        lock,
        done: mine,
    });
    if mine {
        taken.push(book.clone());
    }
}

fn held_by(holder: &str) -> String {
    format!("held by {holder}; not read by this shard (run it again once that process has ended)")
}
