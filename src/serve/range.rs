//! `Range: bytes=…` requests (RFC 9110 §14): what part of a file of a given
//! length a request asks for. One range is answered with 206; several
//! ranges get the whole file (allowed, and what PDF readers and video
//! players cope with); a range wholly past the end gets 416.

/// What to send of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The whole file, 200.
    Whole,
    /// Bytes `start..=end`, 206.
    Part { start: u64, end: u64 },
    /// Nothing of it can be sent, 416.
    Unsatisfiable,
}

/// Reads a `Range` header value against a file of `len` bytes. Anything
/// that is not a byte range we understand is ignored (the whole file), as
/// the RFC asks.
pub fn answer(header: Option<&str>, len: u64) -> Answer {
    let Some(spec) = header.and_then(|h| {
        let (unit, spec) = h.trim().split_once('=')?;
        unit.trim().eq_ignore_ascii_case("bytes").then_some(spec)
    }) else {
        return Answer::Whole;
    };
    if spec.contains(',') {
        return Answer::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Answer::Whole;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (first, last) = (first.trim(), last.trim());
    match (digits(first), digits(last)) {
        // `bytes=-500`: the last 500 bytes.
        (false, true) if first.is_empty() => match last.parse::<u64>() {
            Ok(0) => Answer::Unsatisfiable,
            Ok(n) if len > 0 => Answer::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            Ok(_) => Answer::Unsatisfiable,
            // More digits than a u64: the whole file is the last n bytes.
            Err(_) if len > 0 => Answer::Part {
                start: 0,
                end: len - 1,
            },
            Err(_) => Answer::Unsatisfiable,
        },
        (true, end) if end || last.is_empty() => {
            let Ok(start) = first.parse::<u64>() else {
                return Answer::Unsatisfiable;
            };
            if start >= len {
                return Answer::Unsatisfiable;
            }
            let end = match last.parse::<u64>() {
                Ok(e) if e < start => return Answer::Whole,
                Ok(e) => e.min(len - 1),
                Err(_) => len - 1,
            };
            Answer::Part { start, end }
        }
        _ => Answer::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::*;

    #[test]
    fn single_ranges() {
        assert_eq!(answer(Some("bytes=0-9"), 100), Part { start: 0, end: 9 });
        assert_eq!(answer(Some("bytes=90-"), 100), Part { start: 90, end: 99 });
        assert_eq!(
            answer(Some("bytes=90-500"), 100),
            Part { start: 90, end: 99 }
        );
        assert_eq!(answer(Some("bytes=-10"), 100), Part { start: 90, end: 99 });
        assert_eq!(answer(Some("bytes=-500"), 100), Part { start: 0, end: 99 });
        assert_eq!(answer(Some("Bytes = 5-5"), 100), Part { start: 5, end: 5 });
    }

    #[test]
    fn out_of_reach_and_odd_ones() {
        assert_eq!(answer(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(answer(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(answer(Some("bytes=0-"), 0), Unsatisfiable);
        assert_eq!(
            answer(Some("bytes=99999999999999999999999-"), 10),
            Unsatisfiable
        );
        assert_eq!(answer(Some("bytes=0-1,5-6"), 100), Whole);
        assert_eq!(answer(Some("bytes=9-1"), 100), Whole);
        assert_eq!(answer(Some("items=0-1"), 100), Whole);
        assert_eq!(answer(Some("bytes=a-b"), 100), Whole);
        assert_eq!(answer(Some("bytes=-"), 100), Whole);
        assert_eq!(answer(None, 100), Whole);
    }
}
