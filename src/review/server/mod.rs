//! The review page of `sohoa review`: a small web server on this machine (loopback unless told
//! otherwise) serving one page, built for speed at the keyboard, and the JSON API under `/api/`
//! that the page uses and other tools may drive (README, "Finishing a book").
//!
//! Everything a person decides goes through [`Session::decide`], the same normalisation,
//! validation and journal as every other tool. The session lives on one thread of its own (the
//! thread that called [`serve`]); requests hand it their work and wait for the answer, so
//! decisions are serialised, and a request is answered only once the journal has committed its
//! action (a server killed at any moment loses no acknowledged action). Several servers may work on one
//! output folder at once (two blind keyers, an arbiter): each reads the journal again when
//! another has written to it, and a decision made on a stale view is refused as a conflict.
//!
//! Nothing from a request reaches the file system: page images are found through the run's own
//! pages by book and page number, and an image whose real path lies outside the scans folder is
//! refused. Every value reaches the page as JSON text, put in the page with `textContent`.

mod api;
mod assets;
mod clerical;
mod http;
pub mod images;
mod views;

use super::session::Session;
use http::ApiError;
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};

/// The port tried first when `--listen` is not given (then the next ones, if it is taken).
pub const DEFAULT_PORT: u16 = 8723;
/// How many ports after the default are tried.
const PORTS_TRIED: u16 = 20;

/// In what capacity a person works: what the page shows them and what they may record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Checks doubtful fields and entries, keys single-keyed fields, reviews duplicates.
    Reviewer,
    /// Keys fields from the image, blind: never shown what was read or what the other keyer
    /// typed.
    Keyer,
    /// Decides the fields two blind keyers disagree on, seeing both.
    Arbiter,
    /// Decides possible duplicates (same person or not).
    Clerk,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reviewer => "reviewer",
            Role::Keyer => "keyer",
            Role::Arbiter => "arbiter",
            Role::Clerk => "clerk",
        }
    }
}

/// How a review server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Who decides (journalled with every action).
    pub reviewer: String,
    pub role: Role,
    /// Blind double keying: keyers key in pass 1 or 2.
    pub double: bool,
    /// The keyer's pass when fixed on the command line; else chosen in the page.
    pub pass: Option<u8>,
    /// Where to listen; `None`: loopback, the default port or the next free one.
    pub listen: Option<SocketAddr>,
    /// Pages whose decoded image is kept in memory (each a few tens of MB at most).
    pub cached_pages: usize,
}

impl ServerConfig {
    pub fn new(reviewer: impl Into<String>, role: Role) -> Self {
        ServerConfig {
            reviewer: reviewer.into(),
            role,
            double: false,
            pass: None,
            listen: None,
            cached_pages: 6,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {message}")]
    Listen { addr: String, message: String },
    #[error("the review server stopped: {0}")]
    Serve(String),
    #[error("{0}")]
    Setup(String),
}

/// Work for the session's thread.
type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// How requests reach the session: it stays on its own thread (the batch steps it holds are
/// not made to move between threads), and each request sends it a job and awaits the answer.
pub(crate) struct SessionHandle {
    jobs: Mutex<mpsc::Sender<Job>>,
}

impl SessionHandle {
    /// Runs `work` on the session, read again first if another tool wrote to the journal.
    pub async fn with<R, F>(&self, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Session) -> Result<R, ApiError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |s: &mut Session| {
            let answer = match s.refresh_if_changed() {
                Ok(_) => work(s),
                Err(e) => Err(ApiError::internal(format!(
                    "cannot read the journal again: {e}"
                ))),
            };
            let _ = tx.send(answer);
        });
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| ApiError::internal("the review session has stopped"))?;
        rx.await
            .unwrap_or_else(|_| Err(ApiError::internal("the request failed inside the session")))
    }
}

/// How long the session waits without a request before it writes the run's outputs again.
const IDLE_BEFORE_WRITING: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs jobs on the session until every sender is gone. A job that panics is answered as an
/// internal error (its sender is dropped) and the session is rebuilt from the journal, which
/// holds only committed actions. When requests pause, and when the server stops, the run's
/// outputs (records, import files, report) are written again if the journal moved on since
/// they last were.
fn run_session(mut session: Session, jobs: mpsc::Receiver<Job>) {
    // Unknown at the start (a server killed earlier may have left them behind): written at the
    // first pause if the journal holds anything.
    let mut written: Option<i64> = None;
    loop {
        match jobs.recv_timeout(IDLE_BEFORE_WRITING) {
            Ok(job) => {
                let done =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut session)));
                if done.is_err() {
                    let _ = session.refresh();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = session.refresh_if_changed();
                write_outputs_if_moved(&session, &mut written);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let _ = session.refresh_if_changed();
                write_outputs_if_moved(&session, &mut written);
                return;
            }
        }
    }
}

fn write_outputs_if_moved(session: &Session, written: &mut Option<i64>) {
    let last = session.actions.last().map(|a| a.id);
    if last == *written {
        return;
    }
    // Another command writing the folder (a run, a package) goes first; tried again later.
    let Ok(_lock) = crate::outdir::OutLock::acquire(&session.out, "sohoa review") else {
        return;
    };
    match session.write_outputs() {
        Ok(_) => *written = last,
        Err(e) => eprintln!("warning: the outputs could not be written again: {e}"),
    }
}

/// What every request handler shares.
pub(crate) struct App {
    session: SessionHandle,
    images: images::PageImages,
    config: ServerConfig,
    /// The scans folder as the file system resolves it: no page image outside it is served.
    scans_root: PathBuf,
    registry_rows: Mutex<clerical::RowCache>,
    /// The address the server listens on (for the Host check).
    addr: SocketAddr,
}

/// Runs the review server until Ctrl-C. `ready` is told the address once it listens (the CLI
/// prints the URL). The session stays on the calling thread; the server runs on others.
pub fn serve(
    session: Session,
    config: ServerConfig,
    ready: impl FnOnce(SocketAddr) + Send + 'static,
) -> Result<(), ServerError> {
    let scans_root = std::fs::canonicalize(&session.scan.root).map_err(|e| {
        ServerError::Setup(format!(
            "{}: the scans folder of the run cannot be opened: {e}",
            session.scan.root.display()
        ))
    })?;
    let (tx, rx) = mpsc::channel::<Job>();
    let server = std::thread::Builder::new()
        .name("review-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| {
                    ServerError::Setup(format!("cannot start the server's threads: {e}"))
                })?;
            runtime.block_on(async move {
                let listener = bind(config.listen).await?;
                let addr = listener
                    .local_addr()
                    .map_err(|e| ServerError::Setup(e.to_string()))?;
                let app = Arc::new(App {
                    session: SessionHandle {
                        jobs: Mutex::new(tx),
                    },
                    images: images::PageImages::new(config.cached_pages),
                    config,
                    scans_root,
                    registry_rows: Mutex::new(clerical::RowCache::default()),
                    addr,
                });
                ready(addr);
                axum::serve(listener, api::router(app))
                    .with_graceful_shutdown(async {
                        let _ = tokio::signal::ctrl_c().await;
                    })
                    .await
                    .map_err(|e| ServerError::Serve(e.to_string()))
            })
        })
        .map_err(|e| ServerError::Setup(format!("cannot start the server's thread: {e}")))?;
    // Ends when the server has stopped and dropped its sender.
    run_session(session, rx);
    server
        .join()
        .unwrap_or_else(|_| Err(ServerError::Serve("the server's thread panicked".into())))
}

async fn bind(listen: Option<SocketAddr>) -> Result<tokio::net::TcpListener, ServerError> {
    let failed = |addr: &SocketAddr, e: std::io::Error| ServerError::Listen {
        addr: addr.to_string(),
        message: if e.kind() == std::io::ErrorKind::AddrInUse {
            "the port is in use (another sohoa review?); give another with --listen".into()
        } else {
            e.to_string()
        },
    };
    if let Some(addr) = listen {
        return tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| failed(&addr, e));
    }
    let mut last = None;
    for port in DEFAULT_PORT..DEFAULT_PORT + PORTS_TRIED {
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(failed(&addr, e)),
        }
    }
    Err(last.expect("at least one port tried"))
}

/// The page's address for a listening address (a wildcard address is shown as this machine).
pub fn page_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}
