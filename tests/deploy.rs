//! The cluster recipes of `deploy/` (issue 22): the Slurm array script run as Slurm runs it (the
//! array variables set, one process per task, then the emit task), and the Kubernetes manifest
//! validated against the Kubernetes schema.

#[path = "e2e/util.rs"]
mod util;

use std::path::Path;
use std::process::Command;
use util::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the array script as task `k` of an array `0-(n-1)` would run.
fn array_task(scans: &Path, out: &Path, k: u32, n: u32) -> Command {
    let mut c = Command::new(repo().join("deploy/slurm/sohoa-array.sh"));
    c.args([scans, out])
        .env("SOHOA", env!("CARGO_BIN_EXE_sohoa"))
        .env("SOHOA_SCHEMAS", schemas_dir())
        .env("SLURM_ARRAY_JOB_ID", "4242")
        .env("SLURM_ARRAY_TASK_ID", (k + 10).to_string())
        .env("SLURM_ARRAY_TASK_MIN", "10")
        .env("SLURM_ARRAY_TASK_MAX", (n + 9).to_string())
        .env("SLURM_ARRAY_TASK_COUNT", n.to_string())
        .env("SLURM_CPUS_PER_TASK", "1");
    c
}

#[test]
fn the_slurm_array_script_runs_one_shard_per_task_and_the_emit_task_writes_the_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    let scans = synth(&set, 3, 1, "clean", 104);
    let out = dir.path().join("out");
    // The tasks of an array run at once.
    let tasks: Vec<_> = (0..3)
        .map(|k| {
            array_task(&scans, &out, k, 3)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let tasks: Vec<_> = tasks
        .into_iter()
        .map(|t| t.wait_with_output().unwrap())
        .collect();
    for (k, o) in tasks.iter().enumerate() {
        assert_eq!(o.status.code(), Some(0), "task {k}: {}", stderr(o));
        assert!(
            stdout(o).contains(&format!("shard {k}/3")),
            "task {k}: {}",
            stdout(o)
        );
        assert!(out.join(format!("shards/shard-{k}-of-3.json")).is_file());
    }
    // Not an array task: a clear refusal, nothing run.
    let o = array_task(&scans, &out, 0, 3)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("sbatch --array"), "{}", stderr(&o));

    // The emit task, after the array.
    let o = Command::new(repo().join("deploy/slurm/sohoa-array.sh"))
        .args(["--emit", out.to_str().unwrap()])
        .env("SOHOA", env!("CARGO_BIN_EXE_sohoa"))
        .env("SOHOA_SCHEMAS", schemas_dir())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&out).len(), truth_rows(&set));
    assert!(out.join("import/KS.xlsx").is_file());
}

#[test]
fn the_kubernetes_manifest_validates_against_the_kubernetes_schema() {
    // scripts/check-kubernetes.sh installs kubernetes-validate (PyPI, pinned) in target/ once.
    let o = Command::new(repo().join("scripts/check-kubernetes.sh"))
        .arg(repo().join("deploy/kubernetes/sohoa-job.yaml"))
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{text}");
    for resource in [
        "persistentvolumeclaim/sohoa-data",
        "job/sohoa-shards",
        "job/sohoa-emit",
    ] {
        assert!(
            text.contains(&format!("passed for resource {resource}")),
            "{text}"
        );
    }
    // The same check refuses a manifest with a wrong field: it is not a check that cannot fail.
    let manifest =
        std::fs::read_to_string(repo().join("deploy/kubernetes/sohoa-job.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        manifest.replace("parallelism: 16", "parallelism: sixteen"),
    )
    .unwrap();
    let o = Command::new(repo().join("scripts/check-kubernetes.sh"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!o.status.success(), "{}", stdout(&o));
}

#[test]
fn the_kubernetes_job_gives_each_pod_its_shard_of_n() {
    // N appears twice in the manifest (the Job's completions and the pods' SHARDS): they agree,
    // and each pod passes the shard as `sohoa run` parses it.
    let manifest =
        std::fs::read_to_string(repo().join("deploy/kubernetes/sohoa-job.yaml")).unwrap();
    let lines: Vec<&str> = manifest.lines().map(str::trim).collect();
    let completions = lines
        .iter()
        .find_map(|l| l.strip_prefix("completions:"))
        .expect("completions")
        .trim();
    let shards = lines
        .iter()
        .position(|l| *l == "- name: SHARDS")
        .and_then(|i| lines[i + 1].strip_prefix("value:"))
        .expect("the SHARDS variable")
        .trim()
        .trim_matches('"');
    assert_eq!(completions, shards);
    assert!(manifest.contains("completionMode: Indexed"));
    assert!(manifest.contains("--shard \"$JOB_COMPLETION_INDEX/$SHARDS\""));
    let shard: sohoa::shard::Shard = format!("{}/{shards}", shards.parse::<u32>().unwrap() - 1)
        .parse()
        .unwrap();
    assert_eq!(shard.index + 1, shard.count);
}

#[test]
fn the_slurm_recipe_runs_on_a_real_single_node_slurm() {
    // scripts/test-slurm.sh starts slurmctld, slurmd and munge in a temporary folder, submits
    // deploy/slurm/submit.sh (an array of 3 shards, then emit) and stops them.
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    let scans = synth(&set, 3, 1, "clean", 104);
    let out = dir.path().join("out");
    let o = Command::new(repo().join("scripts/test-slurm.sh"))
        .args([
            env!("CARGO_BIN_EXE_sohoa").as_ref(),
            scans.as_os_str(),
            out.as_os_str(),
        ])
        .arg("3")
        .env("SOHOA_SCHEMAS", schemas_dir())
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&o), stderr(&o));
    if o.status.code() == Some(77) {
        // Not root: the array script run with Slurm's variables (the test above) stands in.
        eprintln!("{text}");
        return;
    }
    assert!(o.status.success(), "{text}");
    for k in 0..3 {
        assert!(text.contains(&format!("sohoa shard {k}/3 of")), "{text}");
        assert!(
            out.join(format!("shards/shard-{k}-of-3.json")).is_file(),
            "{text}"
        );
    }
    assert!(
        text.contains("Outputs rebuilt in"),
        "the emit job ran after the array: {text}"
    );
    assert_eq!(records(&out).len(), truth_rows(&set));
}
