//! Helpers for the review tests: one small real run per test binary (synth + run on two pages,
//! read once, copied per test so that each has its own journal), the review server started as
//! the `sohoa` binary, and a plain HTTP/1.1 client for its API.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

#[path = "../e2e/util.rs"]
mod util;
pub use util::{sohoa, sohoa_output};

/// Changes an entry of a stored page result (as if the run had read it so) and stores it again.
pub fn edit_stored_entry(
    out: &Path,
    book: &str,
    page: u32,
    entry: u32,
    edit: impl FnOnce(&mut sohoa::page::Entry),
) {
    let store = sohoa::store::PageStore::open(out).unwrap();
    let key = sohoa::page::PageKey {
        book_id: book.into(),
        page,
    };
    let mut result = store.load(&key).unwrap().unwrap();
    let sohoa::page::PageOutcome::Done { entries } = &mut result.outcome else {
        panic!("page {page} was not read");
    };
    edit(entries.iter_mut().find(|e| e.index == entry).unwrap());
    store.save(&result).unwrap();
}

/// The run every test starts from: `scans` (left as is) and `out` (copied per test).
pub struct BaseRun {
    pub scans: PathBuf,
    pub out: PathBuf,
    pub truth: PathBuf,
}

/// Synth one book of two pages and read it, once per test binary (about 8 s).
pub fn base_run() -> &'static BaseRun {
    static RUN: OnceLock<BaseRun> = OnceLock::new();
    RUN.get_or_init(|| {
        // Kept for the life of the test binary.
        let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
        let set = dir.path().join("set");
        let scans = util::synth(&set, 1, 2, "clean", 7);
        let out = dir.path().join("out");
        let o = util::run(&scans, &out, &[]);
        assert!(
            o.status.code().is_some_and(|c| c == 0 || c == 3),
            "the run failed: {}",
            util::stderr(&o)
        );
        // The tests need names in doubt; how sure the engine was of these two depends on the
        // Tesseract build, so they are made doubtful as a low-confidence reading would be.
        in_doubt(&out, 1, 2, &["nksHoTen", "meHoTen"]);
        BaseRun {
            scans,
            out,
            truth: set.join("truth.csv"),
        }
    })
}

/// Gives fields of a stored entry a low confidence and the finding validation gives it.
pub fn in_doubt(out: &Path, page: u32, entry: u32, fields: &[&str]) {
    use sohoa::page::{EntryStatus, PageOutcome};
    let store = sohoa::store::PageStore::open(out).unwrap();
    let scan =
        sohoa::ingest::discover(&sohoa::pipeline::RunManifest::load(out).unwrap().scans).unwrap();
    let key = scan.books[0].pages[page as usize - 1].key.clone();
    let mut result = store.load(&key).unwrap().expect("the page was read");
    let PageOutcome::Done { entries } = &mut result.outcome else {
        panic!("page {page} was not read");
    };
    let e = entries
        .iter_mut()
        .find(|e| e.index == entry)
        .expect("the entry was found");
    for field in fields {
        let f = e.fields.get_mut(*field).expect("the field was read");
        f.confidence = f.confidence.min(0.6);
        let named = |x: &sohoa::page::Finding| x.field.as_deref() == Some(*field);
        if !e.findings.iter().any(named) {
            let detail = format!("{:.2}", f.confidence);
            e.findings
                .push(sohoa::validate::messages::LOW_CONFIDENCE.finding(field, &detail));
        }
    }
    if e.status == EntryStatus::Auto {
        e.status = EntryStatus::Review;
    }
    store.save(&result).unwrap();
}

/// A test's own copy of the run's output folder.
pub struct RunCopy {
    pub dir: tempfile::TempDir,
    pub out: PathBuf,
}

pub fn copy_run() -> RunCopy {
    let base = base_run();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    copy_dir(&base.out, &out);
    RunCopy { dir, out }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else if e.file_name() != sohoa::outdir::LOCK_FILE {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A review server, stopped (killed) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// `sohoa review OUT` with `args`, on a free loopback port unless `args` says where.
    pub fn start(out: &Path, args: &[&str]) -> Server {
        let mut cmd = sohoa();
        cmd.arg("review").arg(out).args(args);
        if !args.contains(&"--listen") {
            cmd.args(["--listen", "127.0.0.1:0"]);
        }
        Server::spawn(cmd)
    }

    pub fn spawn(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sohoa starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Review page: http://") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("the review server did not start: {err}");
            }
        };
        Server {
            child,
            addr: addr.parse().expect("the server prints ADDR:PORT"),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, None, &[])
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> Reply {
        request(
            self.addr,
            "POST",
            path,
            Some(body.to_string().as_bytes()),
            &[("Content-Type", "application/json")],
        )
    }

    /// Ctrl-C: the server stops and writes the outputs again. Waits for it to end.
    pub fn interrupt(mut self) {
        // SAFETY: a signal to our own child process, by its id.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "the server ended with {status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the review server did not stop on Ctrl-C");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer of the server.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    headers: &[(&str, &str)],
) -> Reply {
    try_request(addr, method, path, body, headers).expect("the server answers")
}

pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
    headers: &[(&str, &str)],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.unwrap_or(b"");
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no complete answer"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// The journal's actions, read as another tool would.
pub fn journal_actions(out: &Path) -> Vec<sohoa::journal::Action> {
    sohoa::journal::Journal::open(out)
        .unwrap()
        .actions()
        .unwrap()
}

/// Items of a queue.
pub fn queue(server: &Server, query: &str) -> Vec<serde_json::Value> {
    let r = server.get(&format!("/api/queue?{query}"));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().unwrap().clone()
}

/// The first value of column `key` in the import workbook of `dir` (OUT/import or a book's
/// delivery folder), as all rows' values.
pub fn xlsx_values(dir: &Path, key: &str) -> Vec<String> {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let file = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap_or_else(|| panic!("no workbook in {}", dir.display()));
    let mut wb: Xlsx<_> = open_workbook(&file).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header = rows.next().unwrap();
    let col = header
        .iter()
        .position(|h| h.to_string().split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no column {key} in {}", file.display()));
    rows.map(|r| match &r[col] {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    })
    .collect()
}

/// Every cell of every workbook under `dir` (for "is this value delivered anywhere").
pub fn workbook_text(dir: &Path) -> String {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut text = String::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "xlsx") {
            let mut wb: Xlsx<_> = open_workbook(e.path()).unwrap();
            for name in wb.sheet_names() {
                if let Ok(range) = wb.worksheet_range(&name) {
                    for row in range.rows() {
                        for c in row {
                            text.push_str(&c.to_string());
                            text.push('\n');
                        }
                    }
                }
            }
        }
    }
    text
}
