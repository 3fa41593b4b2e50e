//! Reading pages in a worker process that can be stopped: a page whose read overruns its hard
//! limit, or that brings the engine down, fails alone; the worker is replaced at once so that
//! its model loads while the batch goes on.

use super::protocol::{read_frame, write_frame};
use super::{NextPage, PageReading, ReadReply, ReadRequest};
use crate::ocr::OcrConfig;
use crate::page::Stage;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How to start a worker: the program (normally the running `sohoa` itself) and its arguments.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// `PROGRAM ocr-worker --lang L [--tessdata DIR]`.
    pub fn new(program: PathBuf, config: &OcrConfig) -> Self {
        let mut args: Vec<OsString> = vec!["ocr-worker".into(), "--lang".into()];
        args.push(config.lang.clone().into());
        if let Some(dir) = &config.tessdata_dir {
            args.push("--tessdata".into());
            args.push(dir.clone().into_os_string());
        }
        Self { program, args }
    }
}

/// Lines a worker printed last on stderr, kept to explain a crash.
type Tail = Arc<Mutex<VecDeque<String>>>;
const TAIL_LINES: usize = 5;

struct Worker {
    child: Child,
    /// Closed (taken) when the worker is ended.
    stdin: Option<ChildStdin>,
    replies: Receiver<std::io::Result<ReadReply>>,
    tail: Tail,
}

impl Worker {
    fn spawn(command: &WorkerCommand) -> std::io::Result<Worker> {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let stderr = BufReader::new(child.stderr.take().expect("piped"));
        let (send, replies) = mpsc::channel();
        std::thread::spawn(move || loop {
            match read_frame::<ReadReply>(&mut stdout) {
                Ok(Some(reply)) => {
                    if send.send(Ok(reply)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = send.send(Err(e));
                    break;
                }
            }
        });
        let tail: Tail = Arc::default();
        let kept = Arc::clone(&tail);
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Ok(mut t) = kept.lock() {
                    if t.len() == TAIL_LINES {
                        t.pop_front();
                    }
                    t.push_back(line);
                }
            }
        });
        Ok(Worker {
            child,
            stdin: Some(stdin),
            replies,
            tail,
        })
    }

    /// Stops the worker for good and says how it ended.
    fn end(mut self, kill: bool) -> String {
        if kill {
            let _ = self.child.kill();
        }
        drop(self.stdin.take());
        // A worker that crashed has already exited; one that did not is killed.
        let deadline = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => {
                    let _ = self.child.kill();
                    break self.child.wait().ok();
                }
            }
        };
        let last = self
            .tail
            .lock()
            .ok()
            .and_then(|t| t.back().cloned())
            .filter(|l| !l.trim().is_empty());
        let mut why = status.map_or("it could not be waited for".into(), describe);
        if let Some(line) = last {
            why += &format!("; its last message: {}", line.trim());
        }
        why
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a worker process ended, in words.
fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (_, Some(libc::SIGSEGV)) => "the engine crashed (segmentation fault)".into(),
        (_, Some(libc::SIGABRT)) => "the engine aborted (often: out of memory)".into(),
        (_, Some(libc::SIGBUS)) => "the engine crashed (bus error)".into(),
        (_, Some(libc::SIGKILL)) => {
            "the worker was killed (by sohoa, or by the system when memory ran out)".into()
        }
        (_, Some(sig)) => format!("the worker ended on signal {sig}"),
        (Some(code), None) => format!("the worker exited with code {code}"),
        (None, None) => "the worker ended".into(),
    }
}

/// Reads pages through a worker process; see the module doc.
pub struct IsolatedReader {
    command: WorkerCommand,
    worker: Option<Worker>,
    /// The page the worker was last told to decode ahead.
    ahead: Option<NextPage>,
}

impl IsolatedReader {
    /// Starts a worker now, so that its model loads while the batch is being planned.
    pub fn new(command: WorkerCommand) -> Self {
        let worker = Worker::spawn(&command).ok();
        Self {
            command,
            worker,
            ahead: None,
        }
    }

    fn replace_worker(&mut self) {
        self.worker = Worker::spawn(&self.command).ok();
        self.ahead = None;
    }
}

impl PageReading for IsolatedReader {
    fn decoded_ahead(&self) -> Option<&NextPage> {
        self.ahead.as_ref()
    }

    fn read(&mut self, request: &ReadRequest, hard_limit: Duration) -> ReadReply {
        // The worker uses what it decoded ahead for this page, or keeps it when this read is
        // of another page and names no next one.
        if request.next.is_some() || self.ahead.as_ref().is_some_and(|a| a.is_for(request)) {
            self.ahead = request.next.clone();
        }
        let mut worker = match self.worker.take() {
            Some(w) => w,
            None => match Worker::spawn(&self.command) {
                Ok(w) => w,
                Err(e) => {
                    return ReadReply::failed(
                        Stage::Ocr,
                        format!(
                            "cannot start the OCR worker ({}): {e}",
                            self.command.program.display()
                        ),
                    )
                }
            },
        };
        let sent = match worker.stdin.as_mut() {
            Some(stdin) => write_frame(stdin, request),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        };
        if sent.is_err() {
            let why = worker.end(false);
            self.replace_worker();
            return ReadReply::failed(
                Stage::Ocr,
                format!("the OCR worker had stopped before this page ({why})"),
            );
        }
        match worker.replies.recv_timeout(hard_limit) {
            Ok(Ok(reply)) => {
                self.worker = Some(worker);
                reply
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let why = worker.end(false);
                self.replace_worker();
                ReadReply::failed(
                    Stage::Ocr,
                    format!("the OCR engine stopped while reading this page: {why}"),
                )
            }
            Err(RecvTimeoutError::Timeout) => {
                worker.end(true);
                self.replace_worker();
                ReadReply::failed(
                    Stage::Ocr,
                    format!(
                        "reading the page did not finish within its time limit and was stopped \
                         after {:.0} s (a very dense, noisy or non-text page?)",
                        hard_limit.as_secs_f64()
                    ),
                )
            }
        }
    }
}
