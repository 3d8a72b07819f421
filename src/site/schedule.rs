//! What the clock decides about a page, in one place: whether it is dated
//! after now (held back unless `--future`), whether it has expired, whether
//! its pinning still holds, and when the clock next changes any of that.
//! A day written without a time lasts to the end of that day in the site's
//! time zone. `index` marks pages with these rules and `check` warns with
//! the same ones, so the two can never disagree.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::content::model::{Page, PageMeta};
use crate::source::dates::Moment;

/// Whether a page is dated after `now`.
pub fn is_future(meta: &PageMeta, now: Timestamp) -> bool {
    meta.date.is_some_and(|d| d.ts > now)
}

/// Whether a page's `expires` day is over at `now`.
pub fn is_expired(meta: &PageMeta, now: Timestamp, tz: &TimeZone) -> bool {
    meta.expires.is_some_and(|e| now >= e.end_of_day(tz))
}

/// Where a page's pinning stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pin {
    /// No `pinned: true`.
    No,
    /// Pinned, and listed first.
    Holds,
    /// `pinned_until` is over (said first when the page has also expired).
    Lapsed { until: Moment },
    /// The page has expired, so it is no longer pinned.
    Expired { expires: Moment },
}

impl Pin {
    pub fn at(meta: &PageMeta, now: Timestamp, tz: &TimeZone) -> Pin {
        if !meta.pinned {
            return Pin::No;
        }
        if let Some(until) = meta.pinned_until.filter(|u| now >= u.end_of_day(tz)) {
            return Pin::Lapsed { until };
        }
        if let Some(expires) = meta.expires.filter(|_| is_expired(meta, now, tz)) {
            return Pin::Expired { expires };
        }
        Pin::Holds
    }
}

/// The first moment after `now` at which the clock alone changes what
/// [`super::index`] publishes: a page's date arrives, it expires, or its
/// pinning ends. A build made at `now` stays right until then.
pub fn next_change(pages: &[Page], now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
    pages
        .iter()
        .flat_map(|p| {
            let m = &p.meta;
            [
                m.date.as_ref().map(|d| d.ts),
                m.expires.as_ref().map(|e| e.end_of_day(tz)),
                m.pinned_until.as_ref().map(|u| u.end_of_day(tz)),
            ]
        })
        .flatten()
        .filter(|&t| t > now)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::dates::parse;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        parse(s, &shanghai()).unwrap().ts
    }

    fn meta(pinned: bool, until: Option<&str>, expires: Option<&str>) -> PageMeta {
        let tz = shanghai();
        PageMeta {
            pinned,
            pinned_until: until.map(|u| parse(u, &tz).unwrap()),
            expires: expires.map(|e| parse(e, &tz).unwrap()),
            ..PageMeta::default()
        }
    }

    #[test]
    fn a_bare_expiry_day_lasts_until_local_midnight() {
        let tz = shanghai();
        let m = meta(true, None, Some("2025-05-31"));
        assert!(!is_expired(&m, at("2025-05-31 23:59"), &tz));
        assert_eq!(Pin::at(&m, at("2025-05-31 23:59"), &tz), Pin::Holds);
        assert!(is_expired(&m, at("2025-06-01 00:00"), &tz));
        assert_eq!(
            Pin::at(&m, at("2025-06-01 00:00"), &tz),
            Pin::Expired {
                expires: m.expires.unwrap()
            }
        );
    }

    #[test]
    fn an_expiry_with_a_time_ends_at_that_minute() {
        let tz = shanghai();
        let m = meta(false, None, Some("2025-05-31 12:00"));
        assert!(!is_expired(&m, at("2025-05-31 11:59"), &tz));
        assert!(is_expired(&m, at("2025-05-31 12:00"), &tz));
        assert_eq!(Pin::at(&m, at("2025-06-02"), &tz), Pin::No);
    }

    #[test]
    fn lapsed_pinning_is_said_before_expiry() {
        let tz = shanghai();
        let m = meta(true, Some("2025-04-30"), Some("2025-05-31"));
        assert_eq!(Pin::at(&m, at("2025-04-30 18:00"), &tz), Pin::Holds);
        let lapsed = Pin::Lapsed {
            until: m.pinned_until.unwrap(),
        };
        assert_eq!(Pin::at(&m, at("2025-05-01"), &tz), lapsed);
        // Both over: one warning, about `pinned_until`.
        assert_eq!(Pin::at(&m, at("2025-06-02"), &tz), lapsed);
    }
}
