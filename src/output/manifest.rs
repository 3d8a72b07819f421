//! The output's record of ownership: `.unionpress-output`, a small text
//! file in the output folder listing every file the last build wrote, one
//! `/`-separated relative path a line. A build removes or replaces only
//! files listed there; everything else in the folder belongs to someone
//! else and is left alone. A folder without this file, and not empty, is
//! not ours to write into (see [`super::guard`]).
//!
//! Format, version 1: the first line is `unionpress-output 1`; lines
//! starting with `#` are comments; every other line is a path with `%`,
//! line breaks and a leading `#` percent-encoded.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use percent_encoding::percent_decode_str;

/// The manifest's file name inside the output folder.
pub const FILE: &str = ".unionpress-output";
const HEADER: &str = "unionpress-output 1";
const NOTE: &str = "# 本文件夹由 unionpress 生成。下列文件由构建写入，重新构建时会被替换或删除；\
其他文件不会被改动。请勿删除本文件。\n\
# Written by unionpress: the files listed below are replaced or removed by the next build; \
anything else in this folder is left alone. Do not delete this file.\n";

pub(super) fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    encode_into(&mut out, path);
    out
}

/// [`encode`], onto `out`.
fn encode_into(out: &mut String, path: &str) {
    // Looked for byte by byte: a `char` pattern decodes every character of
    // the (mostly Chinese) names, tens of thousands on every save.
    let plain = !(path.bytes()).any(|b| matches!(b, b'%' | b'\n' | b'\r'));
    if !path.starts_with('#') && plain {
        out.push_str(path);
        return;
    }
    for (i, c) in path.char_indices() {
        match c {
            '%' => out.push_str("%25"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            '#' if i == 0 => out.push_str("%23"),
            c => out.push(c),
        }
    }
}

fn invalid(dir: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {what}", dir.join(FILE).display()),
    )
}

/// The files listed in `dir`'s manifest; `None` when there is none. A
/// manifest that is not ours (wrong first line, a path that could leave
/// the folder) is an error: nothing may be removed on its word.
pub fn read(dir: &Path) -> io::Result<Option<BTreeSet<String>>> {
    read_as(dir)
}

/// [`read`], into any collection: a build looks up every file of the site
/// in the list, so it takes a hashed set, which spares ordering 17,807
/// paths by comparing them at 10,000 pages.
pub fn read_as<C: Default + Extend<String>>(dir: &Path) -> io::Result<Option<C>> {
    Ok(match read_bytes(dir)? {
        Some(text) => Some(parse(dir, &text)?),
        None => None,
    })
}

/// `dir`'s manifest as it is on disk, unchecked; `None` when there is none.
pub fn read_bytes(dir: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(dir.join(FILE)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The files `text` (the manifest of `dir`) lists, as [`read`] checks them,
/// in the collection the caller looks them up in.
pub fn parse<C: Default + Extend<String>>(dir: &Path, text: &[u8]) -> io::Result<C> {
    let text = std::str::from_utf8(text).map_err(|_| invalid(dir, "not UTF-8"))?;
    // Lines found with `memchr`, as `str::lines` makes them (a `\r` before
    // the `\n` dropped): its `char` pattern took 1,400 instructions a path.
    let mut lines = lines(text);
    if lines.next() != Some(HEADER) {
        return Err(invalid(
            dir,
            "unknown format (first line is not `unionpress-output 1`)",
        ));
    }
    let mut files = C::default();
    for line in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // Only a line with a `%` has anything to decode (the text is UTF-8
        // already): the others, nearly all, are taken as they are.
        let path = if line.as_bytes().contains(&b'%') {
            percent_decode_str(line)
                .decode_utf8()
                .map_err(|_| invalid(dir, "a path is not UTF-8"))?
                .into_owned()
        } else {
            line.to_string()
        };
        if !super::stays_inside(&path) || path == FILE {
            return Err(invalid(dir, &format!("unsafe path `{line}`")));
        }
        files.extend(std::iter::once(path));
    }
    Ok(files)
}

/// The lines of `text` as [`str::lines`] gives them.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            // The last line, with no line break: a `\r` ending it stays.
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

/// Whether `text` begins as a manifest of this format does (its paths
/// unchecked: [`read`] checks them).
pub fn is_manifest(text: &[u8]) -> bool {
    text.strip_prefix(HEADER.as_bytes())
        .is_some_and(|rest| rest.starts_with(b"\n") || rest.starts_with(b"\r\n"))
}

/// The manifest's text for these files.
pub fn render<'a>(files: impl IntoIterator<Item = &'a str>) -> String {
    let mut sorted: Vec<&str> = files.into_iter().collect();
    sorted.sort_unstable();
    render_sorted(&sorted)
}

/// [`render`] for files already in order.
fn render_sorted(sorted: &[impl AsRef<str>]) -> String {
    debug_assert!(sorted.is_sorted_by(|a, b| a.as_ref() <= b.as_ref()));
    let size = sorted.iter().map(|f| f.as_ref().len() + 1).sum::<usize>();
    let mut text = String::with_capacity(HEADER.len() + NOTE.len() + size + 1);
    text.push_str(HEADER);
    text.push('\n');
    text.push_str(NOTE);
    for f in sorted {
        encode_into(&mut text, f.as_ref());
        text.push('\n');
    }
    text
}

/// Writes `dir`'s manifest so that a reader (or a crash) sees the old or
/// the new list, never half of one.
pub fn write<'a>(dir: &Path, files: impl IntoIterator<Item = &'a str>) -> io::Result<()> {
    super::write_atomic(&dir.join(FILE), render(files).as_bytes())
}

/// [`write`] for files already in order.
pub fn write_sorted(dir: &Path, sorted: &[impl AsRef<str>]) -> io::Result<()> {
    super::write_atomic(&dir.join(FILE), render_sorted(sorted).as_bytes())
}

/// Adds one path to `dir`'s manifest before the file is written, so that
/// a crash in between leaves it listed (and removable) rather than lost.
pub fn append(dir: &Path, file: &str) -> io::Result<()> {
    super::hooks::write()?;
    let mut f = fs::OpenOptions::new().append(true).open(dir.join(FILE))?;
    f.write_all(format!("{}\n", encode(file)).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "index.html",
            "#标签/index.html",
            "a%20b.pdf",
            "x\ny.txt",
            "附件/通知.docx",
        ];
        write(dir.path(), names).unwrap();
        let back = read(dir.path()).unwrap().unwrap();
        assert_eq!(back, names.iter().map(|s| s.to_string()).collect());
        append(dir.path(), "new%.html").unwrap();
        assert!(read(dir.path()).unwrap().unwrap().contains("new%.html"));
    }

    /// The lines are split as `str::lines` splits them.
    #[test]
    fn lines_are_split_as_the_standard_library_splits_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb",
            "a\n\nb\r\n",
            "\r\n\r",
            "a\r",
            "通知\r\r\n附件\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn only_our_first_line_makes_a_manifest() {
        assert!(is_manifest(render(["a.html"]).as_bytes()));
        assert!(is_manifest(b"unionpress-output 1\r\nindex.html\r\n"));
        assert!(!is_manifest(b"unionpress-output 10\n"));
        assert!(!is_manifest(b"unionpress-output 1"));
        assert!(!is_manifest(b"other-format\nunionpress-output 1\n"));
    }

    #[test]
    fn a_manifest_that_could_leave_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "a/../../b", "/etc/passwd", "other-format"] {
            let text = if bad == "other-format" {
                "something else\nindex.html\n".to_string()
            } else {
                format!("{HEADER}\n{bad}\n")
            };
            fs::write(dir.path().join(FILE), text).unwrap();
            assert!(read(dir.path()).is_err(), "{bad}");
        }
    }
}
