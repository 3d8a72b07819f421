//! Dates as editors write them: `2024-03-05`, `2024-03-05 14:30`,
//! `2024-03-05 14:30:00`, RFC 3339 with an offset, `2024/3/5`, `2024年3月5日`.
//! Jekyll's and Hexo's forms with a numeric offset after the time
//! (`2018-01-15 18:49 +0800`, `2018-01-15 14:10:51 +0800`) are read too.
//! Times without an offset are in the site's time zone.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use crate::i18n::DateProblem;

/// A point in time as written in front matter, with the site-local reading
/// kept for display. `has_time` is false for a bare date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    pub ts: Timestamp,
    pub local: DateTime,
    pub has_time: bool,
}

/// How the build cache keeps a moment: its instant as seconds and
/// nanoseconds, and its local reading field by field. jiff's own serde
/// form is text (`2024-03-05T06:30:00Z`), which every page's dates were
/// parsed back from on each build after an edit.
type MomentParts = (i64, i32, i16, i8, i8, i8, i8, i8, i32, bool);

impl serde::Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let l = &self.local;
        let parts: MomentParts = (
            self.ts.as_second(),
            self.ts.subsec_nanosecond(),
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute(),
            l.second(),
            l.subsec_nanosecond(),
            self.has_time,
        );
        parts.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (secs, nanos, year, month, day, hour, minute, second, subsec, has_time) =
            MomentParts::deserialize(deserializer)?;
        let ts = Timestamp::new(secs, nanos).map_err(D::Error::custom)?;
        let local = DateTime::new(year, month, day, hour, minute, second, subsec)
            .map_err(D::Error::custom)?;
        Ok(Moment {
            ts,
            local,
            has_time,
        })
    }
}

impl Moment {
    /// The first instant after this moment's day is over, for dates that mean
    /// "up to and including": `expires: 2024-09-30` is valid all of that day.
    pub fn end_of_day(&self, tz: &TimeZone) -> Timestamp {
        if self.has_time {
            return self.ts;
        }
        let next = self
            .local
            .date()
            .checked_add(1.day())
            .unwrap_or(self.local.date());
        next.to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(self.ts)
    }

    pub fn date(&self) -> Date {
        self.local.date()
    }

    /// `2024-03-05T14:30:00+08:00`, for `<time datetime>` and feeds.
    pub fn rfc3339(&self, tz: &TimeZone) -> String {
        let z = self.ts.to_zoned(tz.clone());
        z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Reads a date or date-time; `None` when it is none of the accepted forms.
pub fn parse(input: &str, tz: &TimeZone) -> Option<Moment> {
    let s = input.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        let local = ts.to_zoned(tz.clone()).datetime();
        return Some(Moment {
            ts,
            local,
            has_time: true,
        });
    }
    let (date_part, time_part) = split_date_time(s);
    let date = parse_date(date_part)?;
    let (time, offset, has_time) = match time_part {
        Some(t) => {
            let (t, offset) = split_offset(t)?;
            (parse_time(t)?, offset, true)
        }
        None => (Time::midnight(), None, false),
    };
    let written = date.to_datetime(time);
    let (ts, local) = match offset {
        Some(offset) => {
            let ts = offset.to_timestamp(written).ok()?;
            (ts, ts.to_zoned(tz.clone()).datetime())
        }
        None => (written.to_zoned(tz.clone()).ok()?.timestamp(), written),
    };
    Some(Moment {
        ts,
        local,
        has_time,
    })
}

fn split_date_time(s: &str) -> (&str, Option<&str>) {
    let cut = s.find(['T', ' ', '\u{3000}']);
    match cut {
        Some(i) => {
            let rest = s[i..].trim_start_matches(['T', ' ', '\u{3000}']);
            (&s[..i], if rest.is_empty() { None } else { Some(rest) })
        }
        None => (s, None),
    }
}

/// Why `input`, written in one of the accepted forms, is not a date that
/// exists (`2026年13月5日`, `2026-02-30`, `2026-03-05 25:00`); `None` when
/// it is a real date or not in an accepted form at all.
pub fn impossible(input: &str) -> Option<DateProblem> {
    let (date_part, time_part) = split_date_time(input.trim());
    let date_part = date_part.strip_suffix('日').unwrap_or(date_part);
    let mut parts = date_part.split(['-', '/', '.', '年', '月']);
    let y: i16 = number(parts.next()?, 4, 4)?;
    let m: u32 = number(parts.next()?, 1, 2)?;
    let d: u32 = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    if !(1..=12).contains(&m) {
        return Some(DateProblem::NoMonth { month: m });
    }
    let days = Date::new(y, m as i8, 1).ok()?.days_in_month() as u32;
    if d == 0 || d > days {
        return Some(DateProblem::NoDay {
            year: i32::from(y),
            month: m,
            day: d,
            days,
        });
    }
    let (time, _) = split_offset(time_part?)?;
    let mut hm = time.split(':');
    let h: u32 = number(hm.next()?, 1, 2)?;
    let min: u32 = number(hm.next()?, 2, 2)?;
    if h > 23 {
        return Some(DateProblem::NoHour { hour: h });
    }
    if min > 59 {
        return Some(DateProblem::NoMinute { minute: min });
    }
    None
}

/// `18:49 +0800`, `18:49 +08:00`, `18:49+0800` → the time and its offset.
/// `None` when an offset is written but is not one.
fn split_offset(t: &str) -> Option<(&str, Option<Offset>)> {
    let Some(i) = t.find(['+', '-']) else {
        return Some((t, None));
    };
    let (time, sign_and_rest) = (t[..i].trim_end(), &t[i..]);
    let negative = sign_and_rest.starts_with('-');
    let digits: String = sign_and_rest[1..].chars().filter(|&c| c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (number::<i8>(&digits, 2, 2)?, 0),
        4 => (
            number(&digits[..2], 2, 2)?,
            number::<i8>(&digits[2..], 2, 2)?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    let seconds = (i32::from(h) * 3600 + i32::from(m) * 60) * if negative { -1 } else { 1 };
    Some((time, Some(Offset::from_seconds(seconds).ok()?)))
}

/// `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`.
fn parse_date(s: &str) -> Option<Date> {
    let s = s.strip_suffix('日').unwrap_or(s);
    let mut parts = s.split(['-', '/', '.', '年', '月']);
    let y: i16 = number(parts.next()?, 4, 4)?;
    let m: i8 = number(parts.next()?, 1, 2)?;
    let d: i8 = number(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// `14:30` or `14:30:00` (a fraction of a second is allowed and dropped).
fn parse_time(s: &str) -> Option<Time> {
    let mut parts = s.split(':');
    let h: i8 = number(parts.next()?, 1, 2)?;
    let m: i8 = number(parts.next()?, 2, 2)?;
    let sec: i8 = match parts.next() {
        Some(p) => number(p.split('.').next()?, 2, 2)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Time::new(h, m, sec, 0).ok()
}

fn number<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok { s.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn ymd_hm(s: &str) -> (i16, i8, i8, i8, i8, bool) {
        let m = parse(s, &shanghai()).unwrap_or_else(|| panic!("{s} should parse"));
        let l = m.local;
        (
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute(),
            m.has_time,
        )
    }

    /// The build cache's numbers read back as the very moment, whatever
    /// form it was written in; numbers no date can have are an error.
    #[test]
    fn a_moment_reads_back_from_the_build_cache_unchanged() {
        for s in [
            "2024-03-05",
            "2024-03-05 14:30:05",
            "2018-01-15 18:49 +0000",
            "2024-03-05T14:30:00.25+08:00",
            "1969-12-31 23:59",
        ] {
            let m = parse(s, &shanghai()).unwrap();
            let bytes = postcard::to_stdvec(&m).unwrap();
            assert_eq!(postcard::from_bytes::<Moment>(&bytes).unwrap(), m, "{s}");
        }
        let bad: MomentParts = (0, 0, 2023, 2, 29, 0, 0, 0, 0, false);
        let bytes = postcard::to_stdvec(&bad).unwrap();
        assert!(postcard::from_bytes::<Moment>(&bytes).is_err());
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(ymd_hm("2024-03-05"), (2024, 3, 5, 0, 0, false));
        assert_eq!(ymd_hm("2024-03-05 14:30"), (2024, 3, 5, 14, 30, true));
        assert_eq!(ymd_hm("2024-03-05 14:30:00"), (2024, 3, 5, 14, 30, true));
        assert_eq!(ymd_hm("2024/3/5"), (2024, 3, 5, 0, 0, false));
        assert_eq!(ymd_hm("2024年3月5日"), (2024, 3, 5, 0, 0, false));
        assert_eq!(ymd_hm("2024年3月5日 9:05"), (2024, 3, 5, 9, 5, true));
        assert_eq!(
            ymd_hm("2024-03-05T14:30:00+08:00"),
            (2024, 3, 5, 14, 30, true)
        );
    }

    #[test]
    fn jekyll_and_hexo_forms_are_read_with_their_offset() {
        assert_eq!(
            ymd_hm("2018-01-15 18:49 +0800"),
            (2018, 1, 15, 18, 49, true)
        );
        assert_eq!(
            ymd_hm("2018-01-15 14:10:51 +0800"),
            (2018, 1, 15, 14, 10, true)
        );
        assert_eq!(ymd_hm("2018-01-15 14:10:51"), (2018, 1, 15, 14, 10, true));
        // An offset other than the site's is converted: 09:00 in London is
        // 17:00 in Shanghai.
        assert_eq!(ymd_hm("2018-01-15 09:00 +0000"), (2018, 1, 15, 17, 0, true));
        assert_eq!(
            ymd_hm("2018-01-15 09:00 -05:00"),
            (2018, 1, 15, 22, 0, true)
        );
        let m = parse("2018-01-15 18:49 +0800", &shanghai()).unwrap();
        assert_eq!(m.ts.to_string(), "2018-01-15T10:49:00Z");
        for bad in [
            "2018-01-15 18:49 +2500",
            "2018-01-15 18:49 +",
            "2018-01-15 18:49 +8",
        ] {
            assert!(parse(bad, &shanghai()).is_none(), "{bad} should not parse");
        }
    }

    #[test]
    fn says_why_an_impossible_date_is_impossible() {
        assert_eq!(
            impossible("2026年13月5日"),
            Some(DateProblem::NoMonth { month: 13 })
        );
        assert_eq!(
            impossible("2026-02-30"),
            Some(DateProblem::NoDay {
                year: 2026,
                month: 2,
                day: 30,
                days: 28
            })
        );
        assert_eq!(
            impossible("2024/2/30"),
            Some(DateProblem::NoDay {
                year: 2024,
                month: 2,
                day: 30,
                days: 29
            })
        );
        assert!(matches!(
            impossible("2026-12-32"),
            Some(DateProblem::NoDay { days: 31, .. })
        ));
        assert_eq!(
            impossible("2026-03-05 25:00"),
            Some(DateProblem::NoHour { hour: 25 })
        );
        for fine_or_other in ["2026-03-05", "2026-03-05 14:30", "昨天", "03/05/2026"] {
            assert_eq!(impossible(fine_or_other), None, "{fine_or_other}");
        }
    }

    #[test]
    fn offsets_are_read_into_the_site_time_zone() {
        // 23:00 in UTC is 07:00 the next morning in Shanghai.
        assert_eq!(ymd_hm("2024-03-05T23:00:00Z"), (2024, 3, 6, 7, 0, true));
    }

    #[test]
    fn local_times_are_in_the_site_time_zone() {
        let m = parse("2024-03-05 08:00", &shanghai()).unwrap();
        assert_eq!(m.ts.to_string(), "2024-03-05T00:00:00Z");
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "2024",
            "2024-13-01",
            "2024-02-30",
            "昨天",
            "2024-03-05 25:00",
            "03/05/2024",
        ] {
            assert!(parse(bad, &shanghai()).is_none(), "{bad} should not parse");
        }
    }

    /// A slip of the keyboard is not read as another date: a three-digit
    /// year is not the year 24, `003` is not March, `+3` is not a number
    /// an editor writes.
    #[test]
    fn rejects_numbers_of_the_wrong_length_or_with_signs() {
        for bad in [
            "024-03-05",
            "20240-03-05",
            "2024-003-05",
            "2024-+3-05",
            "2024-03-+5",
            "2024-03-05 +9:30",
            "2024-03-05 09:030",
        ] {
            assert!(parse(bad, &shanghai()).is_none(), "{bad} should not parse");
        }
    }

    #[test]
    fn a_bare_date_lasts_until_the_end_of_its_day() {
        let tz = shanghai();
        let m = parse("2024-09-30", &tz).unwrap();
        assert_eq!(m.end_of_day(&tz).to_string(), "2024-09-30T16:00:00Z");
    }
}
