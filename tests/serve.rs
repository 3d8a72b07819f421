//! The preview server against hostile or heavy clients: the real binary on
//! port 0, spoken to over raw sockets. Large files are streamed (the
//! server's memory, read from /proc, stays flat), ranges are byte-exact,
//! a header that never ends is cut off, other methods get 405, HTML
//! carries its security headers, and connections are capped.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;

/// `unionpress serve --port 0` on a site; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unionpress"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&site.root)
            .arg("--output")
            .arg(&site.out)
            .args(["--now", common::NOW])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start unionpress serve");
        let stdout = child.stdout.take().unwrap();
        // Killed on drop from here on, also when it never starts.
        let mut server = Server { child, port: 0 };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            if let Some(i) = line.find("http://127.0.0.1:") {
                server.port = line[i + 17..].split('/').next().unwrap().parse().unwrap();
                return server;
            }
        }
        panic!("serve did not print its address in 30 s");
    }

    /// The server's resident memory in KiB, from /proc.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status")
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s
    }

    /// Sends `request` (the blank line added) and returns status, head, body.
    fn ask(&self, request: &str) -> (u16, String, Vec<u8>) {
        let mut s = self.connect();
        write!(s, "{request}\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        split(&raw)
    }

    fn get(&self, path: &str, extra: &str) -> (u16, String, Vec<u8>) {
        self.ask(&format!("GET {path} HTTP/1.1\r\nHost: x\r\n{extra}"))
    }
}

fn split(raw: &[u8]) -> (u16, String, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Bytes that differ at every offset, so a range off by one shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect()
}

fn site_with_attachment(bytes: &[u8]) -> Site {
    let site = Site::new();
    site.page(
        "notices/tz/index.md",
        "title: 带视频的通知\ndate: 2026-02-01",
        "[视频](会议.mp4)",
    );
    site.file("content/notices/tz/会议.mp4", bytes);
    site
}

const VIDEO: &str = "/notices/tz/%E4%BC%9A%E8%AE%AE.mp4";

#[test]
fn ranges_are_answered_byte_for_byte() {
    let data = pattern(100_000);
    let site = site_with_attachment(&data);
    let server = Server::start(&site);

    let (status, head, body) = server.get(VIDEO, "");
    assert_eq!(status, 200);
    assert_eq!(body, data);
    assert_eq!(header(&head, "Accept-Ranges"), Some("bytes"), "{head}");
    // A policy on a PDF or video would apply to the browser's own viewer.
    assert_eq!(header(&head, "Content-Security-Policy"), None, "{head}");
    assert_eq!(header(&head, "X-Content-Type-Options"), Some("nosniff"));

    for (range, start, end) in [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-", 1000, 99_999),
        ("bytes=-500", 99_500, 99_999),
        ("bytes=99999-99999", 99_999, 99_999),
        ("bytes=5000-4999999", 5000, 99_999),
    ] {
        let (status, head, body) = server.get(VIDEO, &format!("Range: {range}\r\n"));
        assert_eq!(status, 206, "{range}: {head}");
        assert_eq!(
            header(&head, "Content-Range"),
            Some(format!("bytes {start}-{end}/100000").as_str()),
            "{range}"
        );
        assert_eq!(
            header(&head, "Content-Length"),
            Some((end - start + 1).to_string().as_str())
        );
        assert!(body == data[start..=end], "{range}: wrong bytes");
    }

    let (status, head, body) = server.get(VIDEO, "Range: bytes=100000-\r\n");
    assert_eq!(status, 416, "{head}");
    assert_eq!(header(&head, "Content-Range"), Some("bytes */100000"));
    assert!(body.is_empty());

    // Several ranges at once: the whole file is a correct answer.
    let (status, _, body) = server.get(VIDEO, "Range: bytes=0-1,10-11\r\n");
    assert_eq!((status, body.len()), (200, data.len()));

    // HEAD: the same head, no body.
    let (status, head, body) = server.ask(&format!("HEAD {VIDEO} HTTP/1.1\r\nHost: x\r\n"));
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Content-Length"), Some("100000"), "{head}");
    assert!(body.is_empty(), "HEAD sent {} bytes of body", body.len());
    let (status, head, body) = server.ask("HEAD / HTTP/1.1\r\nHost: x\r\n");
    assert_eq!(status, 200);
    assert!(
        header(&head, "Content-Length").is_some_and(|l| l != "0"),
        "{head}"
    );
    assert!(body.is_empty());
}

#[test]
fn a_large_file_is_streamed_not_held_in_memory() {
    let site = Site::new();
    let server = Server::start(&site);
    // A sparse file: large to the server, free on the disk.
    const SIZE: u64 = 192 * 1024 * 1024;
    let file = std::fs::File::create(site.out.join("big.bin")).unwrap();
    file.set_len(SIZE).unwrap();
    drop(file);
    let before = server.rss_kib();

    // Ten clients ask for it and read only the first megabyte, so whatever
    // the server prepared for them is still held.
    let mut clients: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut s = server.connect();
            write!(s, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut first = vec![0u8; 1024 * 1024];
            s.read_exact(&mut first).unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let during = server.rss_kib();
    eprintln!("server RSS {before} KiB before, {during} KiB while sending to ten clients");
    assert!(
        during < before + 48 * 1024,
        "server memory grew from {before} KiB to {during} KiB while sending a {} MiB file to ten clients",
        SIZE >> 20
    );

    // And the whole file does arrive (the head was in the first megabyte).
    let rest = std::io::copy(&mut clients[0], &mut std::io::sink()).unwrap();
    let total = rest + 1024 * 1024;
    assert!(
        (SIZE..SIZE + 4096).contains(&total),
        "got {total} bytes for a file of {SIZE}"
    );
}

#[test]
fn a_header_that_never_ends_is_cut_off() {
    let site = Site::new();
    let server = Server::start(&site);
    let before = server.rss_kib();
    let mut s = server.connect();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let reader = s.try_clone().unwrap();
    // Up to 1 GiB of one header line; the server must stop it long before.
    write!(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Long: ").unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0u64;
    let mut refused = false;
    while sent < 1 << 30 {
        if s.write_all(&chunk).is_err() {
            refused = true;
            break;
        }
        sent += chunk.len() as u64;
        if sent > 64 << 20 {
            break;
        }
    }
    let during = server.rss_kib();
    assert!(
        refused,
        "the server took {} MiB of one header without refusing it",
        sent >> 20
    );
    assert!(
        during < before + 16 * 1024,
        "server memory grew from {before} KiB to {during} KiB"
    );
    // If the answer got through before the connection closed, it is 431.
    let mut raw = Vec::new();
    let mut reader = reader;
    let _ = reader.read_to_end(&mut raw);
    if !raw.is_empty() {
        assert!(
            raw.starts_with(b"HTTP/1.1 431"),
            "{}",
            String::from_utf8_lossy(&raw)
        );
    }

    // A head within the limit but with a hundred fields: 431 as well.
    let many: String = (0..100).map(|i| format!("X-{i}: 1\r\n")).collect();
    let (status, _, _) = server.get("/", &many);
    assert_eq!(status, 431);
    // The server is still there.
    assert_eq!(server.get("/", "").0, 200);
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::new();
    let server = Server::start(&site);
    for method in [
        "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND",
    ] {
        let (status, head, _) = server.ask(&format!(
            "{method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        ));
        assert_eq!(status, 405, "{method}: {head}");
        assert_eq!(header(&head, "Allow"), Some("GET, HEAD"), "{method}");
    }
    let (status, _, _) = server.ask("\x16\x03\x01\x02\x00\x01\x00\x01\x7f\x03\x03\r\n");
    assert_eq!(status, 400, "TLS hello or other garbage");
}

#[test]
fn pages_carry_security_headers_the_live_reload_script_satisfies() {
    let site = Site::new();
    site.page("notices/a.md", "title: 甲\ndate: 2026-02-01", "正文");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/notices/a/", "");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "X-Content-Type-Options"), Some("nosniff"));
    let csp = header(&head, "Content-Security-Policy").expect("a CSP on HTML");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("object-src 'self'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a script nonce");
    assert!(nonce.len() >= 16, "{nonce}");
    let html = String::from_utf8_lossy(&body);
    assert!(
        html.contains(&format!("<script nonce=\"{nonce}\">")),
        "the live-reload script lacks the page's nonce"
    );
    let scripts = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(!scripts.contains("unsafe"), "{scripts}");
    // A new nonce for every response.
    let (_, head2, _) = server.get("/notices/a/", "");
    assert_ne!(header(&head2, "Content-Security-Policy"), Some(csp));

    for path in ["/style.css", "/no/such/page/"] {
        let (_, head, _) = server.get(path, "");
        assert_eq!(
            header(&head, "X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
    }
}

#[test]
fn connections_beyond_the_cap_are_turned_away_then_served_again() {
    let site = Site::new();
    let server = Server::start(&site);
    // Clients that connect and say nothing hold their places.
    let idle: Vec<TcpStream> = (0..64).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let (status, head, _) = server.get("/", "");
    assert_eq!(status, 503, "{head}");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, _) = server.get("/", "");
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "never served again");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An address with nothing behind it is answered with status 404 and the
/// not-found page the build wrote (with its way back to the sections), not
/// a bare "404".
#[test]
fn a_missing_address_gets_the_sites_not_found_page() {
    let site = Site::new();
    let server = Server::start(&site);
    let (status, head, body) = server.get("/notices/nothing-here/", "");
    assert_eq!(status, 404, "{head}");
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("<h1>页面不存在</h1>"), "{body}");
    assert!(body.contains("not-found-sections"), "{body}");
    assert!(
        site.out.join("404.html").is_file(),
        "the page served is the one the build wrote"
    );
}
