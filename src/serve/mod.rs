//! The preview server: serves the output folder as the intranet will, under
//! an optional sub-path, with live reload added to HTML pages.
//!
//! It never serves anything outside the output folder: paths are decoded
//! once, `..` and backslashes are refused, and the resolved file (symlinks
//! followed) must still be inside the folder.

pub mod live;

use std::fs;
use std::io::{self, Cursor, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tiny_http::{Header, Request, Response, Server, StatusCode};

use live::{EventStream, Live};

/// Where the live-reload events are served, under the base path.
pub const EVENTS_PATH: &str = "__unionpress/events";

pub struct Preview {
    pub root: PathBuf,
    /// `/` or `/union/`: always starts and ends with `/`.
    pub base_path: String,
    pub live: Arc<Live>,
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
pub fn bind(ip: IpAddr, port: u16) -> io::Result<(Server, u16)> {
    let mut last = None;
    for p in port..=port.saturating_add(9) {
        match Server::http(SocketAddr::new(ip, p)) {
            Ok(s) => {
                let bound = s.server_addr().to_ip().map_or(p, |a| a.port());
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
    let decoded = crate::output::urls::decode(rest);
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Unionpress"[..], &b"1"[..]).expect("static header")
    })
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

impl Preview {
    fn page(&self, path: &Path, status: u16) -> Response<Cursor<Vec<u8>>> {
        let bytes = fs::read(path).unwrap_or_default();
        let is_html = path.extension().is_some_and(|e| e == "html" || e == "htm");
        let body = if is_html {
            let script = live::script(&format!("{}{EVENTS_PATH}", self.base_path));
            live::inject(&String::from_utf8_lossy(&bytes), &script).into_bytes()
        } else {
            bytes
        };
        Response::from_data(body)
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", &content_type(path)))
            .with_header(header("Cache-Control", "no-store"))
    }

    fn not_found(&self) -> Response<Cursor<Vec<u8>>> {
        let page = self.root.join("404.html");
        if page.is_file() {
            return self.page(&page, 404);
        }
        Response::from_string("404").with_status_code(StatusCode(404))
    }

    /// An event stream, written straight to the socket and flushed event by
    /// event (a response body would sit in tiny_http's chunk buffer). Ends
    /// when the page goes away and a write fails.
    fn stream_events(&self, req: Request) {
        let mut out = req.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\nConnection: close\r\n\r\n";
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

    /// Answers one request.
    pub fn handle(&self, req: Request) {
        let _ = match resolve(&self.root, &self.base_path, req.url()) {
            Target::File(path) => req.respond(self.page(&path, 200)),
            Target::NotFound => req.respond(self.not_found()),
            Target::Redirect(to) => {
                req.respond(Response::empty(302).with_header(header("Location", &to)))
            }
            Target::Events => {
                self.stream_events(req);
                Ok(())
            }
        };
    }

    /// Serves until the process ends, a thread per request (event streams
    /// stay open for as long as a page does).
    pub fn run(self: Arc<Self>, server: Server) {
        for req in server.incoming_requests() {
            let me = self.clone();
            std::thread::spawn(move || me.handle(req));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
