//! Dates that change what readers see: pages waiting for their publication
//! date, and pinning that has run out. The rules are `site::schedule`'s, the
//! ones the build publishes by; this module only words the warnings.

use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::site::schedule::{Pin, is_future};
use crate::site::{Options, Site};
use crate::source::dates::Moment;

pub fn pins_and_dates(site: &Site, options: &Options) -> Vec<Diagnostic> {
    let tz = &site.config.timezone;
    let now = options.now;
    let mut out = Vec::new();
    for p in &site.pages {
        let m = &p.page.meta;
        if let Some(date) = m.date.filter(|_| is_future(m, now) && !options.future) {
            out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "date")),
                Msg::Scheduled { date: show(&date) },
            ));
        }
        match Pin::at(m, now, tz) {
            Pin::Lapsed { until } => out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "pinned_until")),
                Msg::PinExpired {
                    until: show(&until),
                },
            )),
            Pin::Expired { expires } => out.push(Diagnostic::warning(
                Some(super::key_span(&p.page, "pinned")),
                Msg::PinnedButExpired {
                    expires: show(&expires),
                },
            )),
            Pin::No | Pin::Holds => {}
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
