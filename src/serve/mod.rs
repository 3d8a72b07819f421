//! The preview server: serves the output folder as the intranet will, under
//! an optional sub-path, with live reload added to HTML pages.
//!
//! It never serves anything outside the output folder: paths are decoded
//! once, `..` and backslashes are refused, and the resolved file (symlinks
//! followed) must still be inside the folder.
//!
//! It is built to stay small whatever a client does: files are streamed
//! (the kernel copies them to the socket), a request head is capped at
//! [`http::MAX_HEAD`] bytes, at most [`MAX_CONNECTIONS`] are open at once,
//! and only GET and HEAD are answered. HTML pages carry a
//! Content-Security-Policy that lets the live-reload script and the page's
//! own inline scripts run by a nonce and nothing load from outside the
//! site, so a page that would break the self-contained promise on the
//! intranet breaks in the preview.

pub mod http;
pub mod live;
pub mod range;

use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::i18n::{self, Lang};
use crate::site::generated;
use http::{Head, HeadError};
use live::{EventStream, Live};
use range::Answer;

/// Where the live-reload events are served, under the base path.
pub const EVENTS_PATH: &str = "__unionpress/events";

/// Connections served at once; more are answered 503 and closed. Each open
/// preview tab holds one for its event stream.
pub const MAX_CONNECTIONS: usize = 64;

/// HTML pages up to this size get the live-reload script (read whole to
/// add it); larger ones are streamed as they are.
const MAX_INJECT: u64 = 16 * 1024 * 1024;

pub struct Preview {
    pub root: PathBuf,
    /// `/` or `/union/`: always starts and ends with `/`.
    pub base_path: String,
    pub live: Arc<Live>,
    /// For the messages the terminal shows.
    pub lang: Lang,
}

/// `union`, `/union`, `/union/` → `/union/`; empty → `/`.
pub fn normalize_base(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Binds to `port` or, if it is taken, the next free one of the ten after
/// (`0` lets the system choose). Returns the port actually bound.
pub fn bind(ip: IpAddr, port: u16) -> io::Result<(TcpListener, u16)> {
    let mut last = None;
    for p in port..=port.saturating_add(9) {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(s) => {
                let bound = s.local_addr().map_or(p, |a| a.port());
                return Ok((s, bound));
            }
            Err(e) => last = Some(e),
        }
    }
    let msg = last.map(|e| e.to_string()).unwrap_or_default();
    Err(io::Error::new(io::ErrorKind::AddrInUse, msg))
}

/// What a request asks for, once checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// Outside the base path: send the browser to it.
    Redirect(String),
    Events,
    NotFound,
}

/// Maps a request URL to a file of the output folder, refusing any way out.
pub fn resolve(root: &Path, base: &str, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix(base) else {
        let bare = base.trim_end_matches('/');
        return if path == bare || path == "/" || path.is_empty() {
            Target::Redirect(base.to_string())
        } else {
            Target::NotFound
        };
    };
    if rest == EVENTS_PATH {
        return Target::Events;
    }
    let decoded = crate::urls::decode(rest);
    let mut file = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Target::NotFound,
            s if s.contains('\\') || s.contains('\0') || s.contains(':') => {
                return Target::NotFound;
            }
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // Symlinks may point anywhere; what they resolve to must stay inside.
    match (file.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) && real.is_file() => Target::File(real),
        _ => Target::NotFound,
    }
}

fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    if essence.starts_with("text/")
        || essence == "application/javascript"
        || essence.ends_with("+xml")
        || essence == "application/json"
    {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// The policy for HTML pages: scripts only from the site or with this
/// page's nonce (the live-reload script), nothing fetched from elsewhere.
/// Inline styles stay allowed: editors' tables and the theme may use them.
/// `object-src 'self'`, not `'none'`: Chrome shows an embedded PDF through
/// an `<embed>` that `'none'` would block (crbug.com/271452).
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'self'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'self'"
    )
}

/// A fresh, unguessable nonce per page (std's randomly keyed hasher).
fn nonce() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut out = String::new();
    for part in 0..2u8 {
        let mut h = std::hash::RandomState::new().build_hasher();
        h.write_usize(n);
        h.write_u8(part);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The time a request head may take to arrive, however it is trickled.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads from a socket until a moment, whatever the pace of the bytes.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// Frees its place among the open connections when the connection ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sends what is left of an error response before closing: stop writing,
/// then read and drop what the client still sends for a moment, so it
/// reads the answer instead of a reset connection.
fn close_gently(stream: &mut TcpStream) {
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
    let mut sink = [0u8; 8192];
    let mut left: usize = 1024 * 1024;
    while left > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

impl Preview {
    /// Sends a file of the output: HTML with the live-reload script and its
    /// policy (always whole: a range of a page the script changed would be
    /// a range of nothing on disk), anything else streamed, whole or the
    /// one range asked for.
    fn send_file(
        &self,
        out: &mut TcpStream,
        path: &Path,
        status: u16,
        req: &Head,
        head_only: bool,
    ) -> io::Result<()> {
        let opened = File::open(path).and_then(|f| {
            let len = f.metadata()?.len();
            Ok((f, len))
        });
        let (mut file, len) = match opened {
            Ok(x) => x,
            Err(e) => return self.unreadable(out, path, &e),
        };
        let ctype = content_type(path);
        if is_html(path) && len <= MAX_INJECT {
            let nonce = nonce();
            let csp = content_security_policy(&nonce);
            let mut bytes = Vec::with_capacity(len as usize);
            if let Err(e) = file.read_to_end(&mut bytes) {
                return self.unreadable(out, path, &e);
            }
            let events = format!("{}{EVENTS_PATH}", self.base_path);
            let script = live::script(&events, &nonce);
            let page = live::sign_inline_scripts(&String::from_utf8_lossy(&bytes), &nonce);
            let body = live::inject(&page, &script);
            let headers = [
                ("Content-Type", ctype.as_str()),
                ("Cache-Control", "no-store"),
                ("Content-Security-Policy", csp.as_str()),
            ];
            http::write_head(out, status, &headers, body.len() as u64)?;
            if !head_only {
                out.write_all(body.as_bytes())?;
            }
            return out.flush();
        }
        let asked = if status == 200 {
            range::answer(req.header("Range"), len)
        } else {
            Answer::Whole
        };
        let whole = format!("bytes */{len}");
        // No Content-Security-Policy here: on a PDF, Chrome applies it to its
        // own viewer page, whose inline styles and `<embed>` it then blocks.
        let mut headers = vec![
            ("Content-Type", ctype.as_str()),
            ("Cache-Control", "no-store"),
            ("Accept-Ranges", "bytes"),
        ];
        let (status, start, count, content_range) = match asked {
            Answer::Whole => (status, 0, len, None),
            Answer::Part { start, end } => (
                206,
                start,
                end - start + 1,
                Some(format!("bytes {start}-{end}/{len}")),
            ),
            Answer::Unsatisfiable => {
                let headers = [("Accept-Ranges", "bytes"), ("Content-Range", &whole)];
                http::write_head(out, 416, &headers, 0)?;
                return out.flush();
            }
        };
        if let Some(r) = &content_range {
            headers.push(("Content-Range", r));
        }
        http::write_head(out, status, &headers, count)?;
        if !head_only && count > 0 {
            file.seek(SeekFrom::Start(start))?;
            // A `Take<File>` to a socket: std hands this to sendfile, so the
            // file never passes through this process's memory.
            let sent = io::copy(&mut file.take(count), out)?;
            if sent < count {
                // The file shrank while being sent: the client must not take
                // a short body for the whole file.
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank"));
            }
        }
        out.flush()
    }

    /// A file that resolved but cannot be read: 500 with the reason, and
    /// the same words in the terminal.
    fn unreadable(&self, out: &mut TcpStream, path: &Path, e: &io::Error) -> io::Result<()> {
        let text = i18n::serve_read_failed(self.lang, &path.display().to_string(), &e.to_string());
        eprintln!("{text}");
        http::write_text(out, 500, &[], &format!("{text}\n"))
    }

    /// The site's own not-found page, where the build writes it.
    fn not_found(&self, out: &mut TcpStream, req: &Head, head_only: bool) -> io::Result<()> {
        let page = self.root.join(generated::NOT_FOUND);
        if page.is_file() {
            return self.send_file(out, &page, 404, req, head_only);
        }
        http::write_text(out, 404, &[], "404\n")
    }

    /// An event stream, written straight to the socket and flushed event by
    /// event. Ends when the page goes away and a write fails.
    fn stream_events(&self, out: &mut TcpStream) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                    Connection: close\r\n\r\n";
        if out
            .write_all(head.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
        let mut events = EventStream::new(self.live.clone());
        loop {
            let chunk = events.next_chunk();
            if out.write_all(&chunk).and_then(|_| out.flush()).is_err() {
                return;
            }
        }
    }

    /// Answers the one request of a connection, then closes it.
    pub fn handle(&self, stream: TcpStream) {
        self.handle_within(stream, HEAD_TIMEOUT);
    }

    /// [`Self::handle`], with the time the request head may take to arrive.
    fn handle_within(&self, mut stream: TcpStream, head_timeout: Duration) {
        // A client that trickles its request, or stops reading the answer,
        // is dropped rather than holding one of the places for ever.
        let _ = stream.set_write_timeout(Some(Duration::from_secs(60)));
        let mut reader = Deadline {
            stream: &stream,
            until: Instant::now() + head_timeout,
        };
        let read = http::read_head(&mut reader);
        let _ = stream.set_read_timeout(Some(HEAD_TIMEOUT));
        let req = match read {
            Ok(h) => h,
            Err(HeadError::TooLarge) => {
                let _ = http::write_text(&mut stream, 431, &[], "request header too large\n");
                return close_gently(&mut stream);
            }
            Err(HeadError::Malformed) => {
                let _ = http::write_text(&mut stream, 400, &[], "bad request\n");
                return close_gently(&mut stream);
            }
            Err(HeadError::Gone) => return,
        };
        let head_only = match req.method.as_str() {
            "GET" => false,
            "HEAD" => true,
            _ => {
                let allow = [("Allow", "GET, HEAD")];
                let _ = http::write_text(&mut stream, 405, &allow, "method not allowed\n");
                return close_gently(&mut stream);
            }
        };
        let _ = match resolve(&self.root, &self.base_path, &req.target) {
            Target::File(path) => self.send_file(&mut stream, &path, 200, &req, head_only),
            Target::NotFound => self.not_found(&mut stream, &req, head_only),
            Target::Redirect(to) => http::write_head(&mut stream, 302, &[("Location", &to)], 0),
            Target::Events if head_only => http::write_head(
                &mut stream,
                200,
                &[("Content-Type", "text/event-stream; charset=utf-8")],
                0,
            ),
            Target::Events => {
                self.stream_events(&mut stream);
                Ok(())
            }
        };
    }

    /// Serves until the process ends, a thread per connection (event
    /// streams stay open for as long as a page does), at most
    /// [`MAX_CONNECTIONS`] at once.
    pub fn run(self: Arc<Self>, listener: TcpListener) {
        let open = Arc::new(AtomicUsize::new(0));
        let turn_away = turn_away_thread();
        for stream in listener.incoming() {
            let stream = match stream {
                Ok(s) => s,
                Err(_) => {
                    // Out of file descriptors, most likely: let some close.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                // Full queue: closed without a word.
                let _ = turn_away.try_send(stream);
                continue;
            }
            let slot = Slot(open.clone());
            let me = self.clone();
            let _ = std::thread::Builder::new()
                .name("preview".into())
                .spawn(move || {
                    let _slot = slot;
                    me.handle(stream);
                });
        }
    }
}

/// One thread that answers connections over the cap with 503, one at a
/// time and briefly, so they cost neither a thread each nor a reset
/// connection the browser would report as an error.
fn turn_away_thread() -> std::sync::mpsc::SyncSender<TcpStream> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<TcpStream>(16);
    let _ = std::thread::Builder::new()
        .name("preview-busy".into())
        .spawn(move || {
            for mut stream in rx {
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
                let _ = http::read_head(&mut stream);
                let _ = http::write_text(&mut stream, 503, &[("Retry-After", "1")], "busy\n");
                let _ = stream.flush();
                let _ = stream.shutdown(std::net::Shutdown::Write);
            }
        });
    tx
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("notices/通知")).unwrap();
        fs::write(dir.path().join("index.html"), "home").unwrap();
        fs::write(dir.path().join("notices/通知/index.html"), "n").unwrap();
        dir
    }

    #[test]
    fn serves_files_and_folders_under_the_base_path() {
        let d = site();
        let root = d.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&root, "/union/", "/union/"),
            Target::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/union/", "/union/notices/%E9%80%9A%E7%9F%A5/"),
            Target::File(root.join("notices/通知/index.html"))
        );
        assert_eq!(
            resolve(&root, "/union/", "/union"),
            Target::Redirect("/union/".into())
        );
        assert_eq!(resolve(&root, "/union/", "/other/x"), Target::NotFound);
        assert_eq!(resolve(&root, "/", "/__unionpress/events"), Target::Events);
    }

    #[test]
    fn refuses_every_way_out() {
        let d = site();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), d.path().join("link.txt"))
            .unwrap();
        let root = d.path();
        for url in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/notices/..%2F..%2Fetc/passwd",
            "/link.txt",
            "/..\\secret.txt",
            "/nope.html",
        ] {
            assert_eq!(resolve(root, "/", url), Target::NotFound, "{url}");
        }
    }

    /// Runs `send_file` for `path` on a real socket and returns what the
    /// client read.
    fn sent(path: &Path) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let preview = Preview {
            root: PathBuf::from("/nonexistent"),
            base_path: "/".into(),
            live: Live::new(),
            lang: Lang::Zh,
        };
        let req = http::read_head(&mut &b"GET / HTTP/1.1\r\n\r\n"[..]).unwrap();
        let _ = preview.send_file(&mut server, path, 200, &req, false);
        drop(server);
        let mut raw = String::new();
        client.read_to_string(&mut raw).unwrap();
        raw
    }

    #[test]
    fn a_file_that_cannot_be_read_is_a_500_not_an_empty_page() {
        let d = tempfile::tempdir().unwrap();
        for path in [d.path().join("gone.pdf"), d.path().join("gone.html")] {
            let raw = sent(&path);
            assert!(raw.starts_with("HTTP/1.1 500 "), "{raw}");
            assert!(raw.contains("gone."), "the answer names the file: {raw}");
        }
        fs::write(d.path().join("a.pdf"), "%PDF").unwrap();
        assert!(sent(&d.path().join("a.pdf")).ends_with("\r\n\r\n%PDF"));
    }

    #[test]
    fn a_trickled_request_head_is_cut_off_at_its_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let preview = Preview {
            root: PathBuf::from("/nonexistent"),
            base_path: "/".into(),
            live: Live::new(),
            lang: Lang::Zh,
        };
        let served = std::thread::spawn(move || {
            preview.handle_within(server, Duration::from_millis(300));
        });
        // One byte of header every 50 ms, for up to 5 s: each read is quick,
        // the whole head never comes.
        client.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").unwrap();
        let mut cut_off = false;
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(50));
            if served.is_finished() {
                cut_off = true;
                break;
            }
            if client.write_all(b"a").is_err() {
                cut_off = true;
                break;
            }
        }
        assert!(cut_off, "the server kept waiting for a trickled head");
        served.join().unwrap();
    }

    #[test]
    fn content_types_for_what_unions_publish() {
        assert_eq!(
            content_type(Path::new("a.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("议程.pdf")), "application/pdf");
        assert_eq!(
            content_type(Path::new("回执.docx")),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(
            content_type(Path::new("表.xlsx")),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(content_type(Path::new("a.jpg")), "image/jpeg");
    }

    #[test]
    fn base_paths_are_normalized() {
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("union"), "/union/");
        assert_eq!(normalize_base("/union/"), "/union/");
    }
}
