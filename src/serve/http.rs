//! The little HTTP/1.1 the preview server speaks: read one request head
//! under a size cap, and write a response head. Parsing is httparse's (the
//! parser hyper uses); what this module owns is the limits: a head larger
//! than [`MAX_HEAD`] bytes or with more than [`MAX_HEADERS`] fields is refused
//! before it can grow memory, and every response closes its connection.

use std::io::{self, Read, Write};

/// The largest request head read (browsers send 1–4 KiB).
pub const MAX_HEAD: usize = 16 * 1024;
/// The most header fields read.
pub const MAX_HEADERS: usize = 64;

/// A request line and its headers, once read.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request head could be read.
#[derive(Debug)]
pub enum HeadError {
    /// Over [`MAX_HEAD`] bytes or [`MAX_HEADERS`] fields: answer 431.
    TooLarge,
    /// Not HTTP: answer 400.
    Malformed,
    /// The client went away or stayed silent: answer nothing.
    Gone,
}

/// Reads one request head, never holding more than [`MAX_HEAD`] bytes.
/// Bytes after the head (a body) are left unread or ignored.
pub fn read_head(stream: &mut impl Read) -> Result<Head, HeadError> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let room = MAX_HEAD + 1 - buf.len();
        let n = match stream.read(&mut chunk[..room.min(2048)]) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut fields);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Head {
                    method: req.method.unwrap_or_default().to_string(),
                    target: req.path.unwrap_or_default().to_string(),
                    headers: req
                        .headers
                        .iter()
                        .map(|h| {
                            let value = String::from_utf8_lossy(h.value).into_owned();
                            (h.name.to_string(), value)
                        })
                        .collect(),
                });
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(HeadError::TooLarge);
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => return Err(HeadError::TooLarge),
            Err(_) => return Err(HeadError::Malformed),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Writes a status line, the headers, `Content-Length` and the blank line.
/// Every response says `Connection: close` and `nosniff`.
pub fn write_head(
    out: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    length: u64,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {length}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    ));
    out.write_all(head.as_bytes())
}

/// A whole response with a short plain-text body.
pub fn write_text(
    out: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> io::Result<()> {
    let mut all = vec![("Content-Type", "text/plain; charset=utf-8")];
    all.extend_from_slice(headers);
    write_head(out, status, &all, body.len() as u64)?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_head_in_pieces() {
        let raw = b"GET /a%20b?x HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\nbody";
        let head = read_head(&mut &raw[..]).unwrap();
        assert_eq!(
            (head.method.as_str(), head.target.as_str()),
            ("GET", "/a%20b?x")
        );
        assert_eq!(head.header("range"), Some("bytes=0-1"));
    }

    /// A client sending a header that never ends.
    struct Endless {
        sent: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let start = b"GET / HTTP/1.1\r\nX: ";
            for (i, slot) in buf.iter_mut().enumerate() {
                *slot = start.get(self.sent + i).copied().unwrap_or(b'a');
            }
            self.sent += buf.len();
            Ok(buf.len())
        }
    }

    #[test]
    fn refuses_a_head_that_never_ends_without_reading_it_all() {
        let mut client = Endless { sent: 0 };
        assert!(matches!(read_head(&mut client), Err(HeadError::TooLarge)));
        assert!(client.sent <= MAX_HEAD + 1, "read {} bytes", client.sent);
    }

    #[test]
    fn too_many_fields_and_garbage() {
        let mut many = String::from("GET / HTTP/1.1\r\n");
        for i in 0..100 {
            many.push_str(&format!("X-{i}: 1\r\n"));
        }
        many.push_str("\r\n");
        assert!(matches!(
            read_head(&mut many.as_bytes()),
            Err(HeadError::TooLarge)
        ));
        assert!(matches!(
            read_head(&mut &b"\x16\x03\x01 hello\r\n\r\n"[..]),
            Err(HeadError::Malformed)
        ));
        assert!(matches!(
            read_head(&mut &b"GET / HT"[..]),
            Err(HeadError::Gone)
        ));
    }
}
