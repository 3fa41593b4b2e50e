//! Shards (issue 22): several `sohoa run --shard K/N` processes on one OUT, one of them killed
//! and restarted, then `sohoa emit`, give the outputs of one unsharded run.

use crate::util::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn shard(scans: &Path, out: &Path, k: u32) -> Child {
    sohoa()
        .args([
            "run",
            scans.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--shard", &format!("{k}/3"), "--jobs", "1", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child, what: &str) {
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{what}: {}", stderr(&o));
}

fn stored_pages(out: &Path, books: &[&str]) -> usize {
    books
        .iter()
        .filter_map(|b| std::fs::read_dir(out.join("pages").join(b)).ok())
        .flat_map(|d| d.filter_map(|e| e.ok()))
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count()
}

fn shard_report(out: &Path, k: u32) -> serde_json::Value {
    let path = out.join(format!("shards/shard-{k}-of-3.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Files under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn three_shards_one_killed_and_restarted_then_emit_equal_one_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    // Seed 104's books fall into shards 0 (two books), 1 and 2 (one each): see shard::bucket.
    let scans = synth(&set, 4, 2, "clean", 104);
    let shard0 = ["ks-2000-q02-tannhut", "ks-2023-q01-phuvang"];
    let all_pages: BTreeSet<String> = ["ks-1983-q01-vietthuan", "ks-2014-q01-xuanlai"]
        .iter()
        .chain(&shard0)
        .flat_map(|b| [format!("{b}:1"), format!("{b}:2")])
        .collect();

    let single = dir.path().join("single");
    let o = run(&scans, &single, &["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Three shards at once; shard 0 is killed once it has stored a page.
    let out = dir.path().join("sharded");
    let mut first = shard(&scans, &out, 0);
    let mut others = [shard(&scans, &out, 1), shard(&scans, &out, 2)];
    let started = Instant::now();
    while stored_pages(&out, &shard0) == 0 {
        assert!(first.try_wait().unwrap().is_none(), "shard 0 ended early");
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "no page stored"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let done_before_kill = stored_pages(&out, &shard0);
    assert!(
        out.join("shards/locks/ks-2000-q02-tannhut.lock").exists(),
        "a killed shard leaves its locks"
    );
    // While other shards share the folder, a command that needs it alone is refused.
    let mut running = || others.iter_mut().any(|c| c.try_wait().unwrap().is_none());
    if running() {
        let busy = sohoa_output(&["emit", out.to_str().unwrap()]);
        if running() {
            assert_eq!(busy.status.code(), Some(1), "{}", stderr(&busy));
            assert!(stderr(&busy).contains("another sohoa"), "{}", stderr(&busy));
        }
    }
    let restarted = shard(&scans, &out, 0);
    for (k, child) in others.into_iter().enumerate() {
        finish(child, &format!("shard {}", k + 1));
    }
    finish(restarted, "shard 0 restarted");

    // The restart took the dead process's books over and redid only what it had not stored.
    let r0 = shard_report(&out, 0);
    for book in r0["books"].as_array().unwrap() {
        let lock = book["lock"].as_str().unwrap();
        assert!(
            lock.starts_with("taken over from sohoa run --shard 0/3"),
            "{lock}"
        );
    }
    assert_eq!(
        r0["pages"]["reused"].as_u64().unwrap() as usize,
        done_before_kill
    );
    // Every page read by exactly one of the final shards or stored before the kill.
    let mut read: Vec<String> = (0..3)
        .flat_map(|k| strings(&shard_report(&out, k)["pages_read"]))
        .collect();
    assert_eq!(read.len() + done_before_kill, all_pages.len(), "{read:?}");
    read.sort();
    read.dedup();
    assert_eq!(
        read.len() + done_before_kill,
        all_pages.len(),
        "a page read twice"
    );
    assert!(read.iter().all(|p| all_pages.contains(p)), "{read:?}");
    assert_eq!(
        files(&out.join("shards/locks")),
        Vec::<String>::new(),
        "every lock released"
    );

    let o = sohoa_output(&["emit", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for sub in ["records", "import"] {
        let names = files(&single.join(sub));
        assert!(!names.is_empty());
        assert_eq!(names, files(&out.join(sub)), "{sub}");
        for name in names {
            assert!(
                std::fs::read(single.join(sub).join(&name)).unwrap()
                    == std::fs::read(out.join(sub).join(&name)).unwrap(),
                "{sub}/{name} differs between the sharded and the single run"
            );
        }
    }
    // The reports agree but for what each command itself did (pages read now, throughput).
    let (mut a, mut b) = (report(&single), report(&out));
    for r in [&mut a, &mut b] {
        let r = r.as_object_mut().unwrap();
        r.remove("throughput");
        r.remove("pages");
    }
    assert_eq!(a, b);

    // Registry matching runs once, over every shard's books: the single run's import file
    // loaded as the registry makes each of its entries a duplicate, whichever shard read it.
    let registry = single.join("import/KS.csv");
    let loaded = csv::Reader::from_path(&registry).unwrap().records().count();
    assert!(loaded > 0);
    let o = sohoa_output(&[
        "emit",
        out.to_str().unwrap(),
        "--existing",
        registry.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rep = report(&out);
    assert_eq!(
        rep["findings"]["DEDUP-EXISTING"].as_u64(),
        Some(loaded as u64),
        "{rep}"
    );
    let manifest = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(
        manifest.contains("KS.csv"),
        "recorded for the next commands: {manifest}"
    );

    // A book whose results are gone is named with its shard by emit.
    std::fs::remove_dir_all(out.join("pages/ks-2014-q01-xuanlai")).unwrap();
    let o = sohoa_output(&["emit", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("book ks-2014-q01-xuanlai: missing: no page result yet (shard 1/3)"),
        "{}",
        stderr(&o)
    );
}
