//! Dates that change what readers see: pages waiting for their publication
//! date, and pinning that has run out.

use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::site::{Options, Site};
use crate::source::dates::Moment;

pub fn pins_and_dates(site: &Site, options: &Options) -> Vec<Diagnostic> {
    let tz = &site.config.timezone;
    let now = options.now;
    let mut out = Vec::new();
    for p in &site.pages {
        let m = &p.page.meta;
        if let Some(date) = m.date.filter(|d| d.ts > now && !options.future) {
            out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "date")),
                Msg::Scheduled { date: show(&date) },
            ));
        }
        if !m.pinned {
            continue;
        }
        if let Some(until) = m.pinned_until.filter(|u| now >= u.end_of_day(tz)) {
            out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "pinned_until")),
                Msg::PinExpired {
                    until: show(&until),
                },
            ));
        } else if let Some(expires) = m.expires.filter(|e| now >= e.end_of_day(tz)) {
            out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "pinned")),
                Msg::PinnedButExpired {
                    expires: show(&expires),
                },
            ));
        }
    }
    out
}

/// `2024-03-05`, or `2024-03-05 09:00` when a time was written.
fn show(m: &Moment) -> String {
    let format = if m.has_time {
        "%Y-%m-%d %H:%M"
    } else {
        "%Y-%m-%d"
    };
    m.local.strftime(format).to_string()
}
