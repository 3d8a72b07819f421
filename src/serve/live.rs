//! Live reload: the watcher publishes each build's outcome here; every open
//! preview page listens over Server-Sent Events and reloads after a good
//! build, or shows the errors over the page after a bad one.
//!
//! Passed explicitly to the server and the watch loop (no global state).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Goes up after every build that changed the output or cleared errors.
    pub version: u64,
    /// The rendered diagnostics while the last build failed.
    pub error: Option<String>,
}

#[derive(Default)]
pub struct Live {
    state: Mutex<State>,
    changed: Condvar,
}

impl Live {
    pub fn new() -> Arc<Live> {
        Arc::new(Live::default())
    }

    pub fn snapshot(&self) -> State {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Records a build: a new version when the site changed or an error
    /// went away, the error text when it failed.
    pub fn publish(&self, changed_files: usize, error: Option<String>) {
        let Ok(mut s) = self.state.lock() else { return };
        let cleared = s.error.is_some() && error.is_none();
        if error.is_none() && (changed_files > 0 || cleared) {
            s.version += 1;
        }
        s.error = error;
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a state other than `seen`.
    pub fn wait_change(&self, seen: &State, timeout: Duration) -> State {
        let Ok(guard) = self.state.lock() else {
            return seen.clone();
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s == seen)
        {
            Ok((s, _)) => s.clone(),
            Err(_) => seen.clone(),
        }
    }
}

/// One event as the page script reads it.
pub fn event(state: &State) -> String {
    let data = serde_json::json!({ "version": state.version, "error": state.error });
    format!("data: {data}\n\n")
}

/// The events of one open page: the current state at once, then every
/// change, with a comment every 15 s so proxies keep the stream open.
pub struct EventStream {
    live: Arc<Live>,
    seen: Option<State>,
}

impl EventStream {
    pub fn new(live: Arc<Live>) -> Self {
        EventStream { live, seen: None }
    }

    /// Blocks until there is something to send, and returns it.
    pub fn next_chunk(&mut self) -> Vec<u8> {
        let next = match &self.seen {
            None => self.live.snapshot(),
            Some(seen) => self.live.wait_change(seen, Duration::from_secs(15)),
        };
        if self.seen.as_ref() == Some(&next) {
            return b": keep-alive\n\n".to_vec();
        }
        let chunk = event(&next).into_bytes();
        self.seen = Some(next);
        chunk
    }
}

/// The script `serve` adds to every HTML page it sends (never to the
/// output on disk): reload on a new version, overlay the errors. `nonce`
/// is the one the page's Content-Security-Policy allows.
pub fn script(events_url: &str, nonce: &str) -> String {
    format!(
        r#"<script nonce="{nonce}">(function(){{
var first=null,box=null;
function show(text){{
  if(!box){{box=document.createElement('div');box.id='unionpress-overlay';
  box.setAttribute('role','alert');
  box.style.cssText='position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;overflow:auto;padding:24px;font:14px/1.6 ui-monospace,Menlo,Consolas,monospace';
  document.body.appendChild(box);}}
  box.innerHTML='';var pre=document.createElement('pre');pre.style.whiteSpace='pre-wrap';pre.textContent=text;box.appendChild(pre);
}}
function hide(){{if(box){{box.remove();box=null;}}}}
var es=new EventSource('{events_url}');
es.onmessage=function(e){{var s=JSON.parse(e.data);
  document.documentElement.setAttribute('data-unionpress-live',String(s.version));
  if(s.error){{show(s.error);return;}}
  if(first===null){{first=s.version;hide();return;}}
  if(s.version!==first){{location.reload();}}else{{hide();}}
}};
}})();</script>"#
    )
}

/// Adds the live-reload script before `</body>` (or at the end).
pub fn inject(html: &str, script: &str) -> String {
    match html.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
        None => format!("{html}{script}"),
    }
}

/// Gives the page's own inline scripts (the theme's display switch, the
/// 404 page's way back to the site root) the page's nonce: they run on the
/// published site, so the preview runs them too. What the policy keeps out
/// is anything loaded from outside the site.
pub fn sign_inline_scripts(html: &str, nonce: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        let after = &rest[i + "<script".len()..];
        let tag_end = after.find('>').unwrap_or(after.len());
        let attrs = &after[..tag_end];
        // `<scripts>` or `<script-x>` are other tags; `src=` is loaded, not inline.
        let is_script = attrs.is_empty() || attrs.starts_with(char::is_whitespace);
        let inline = !attrs.contains("src=") && !attrs.contains("nonce=");
        out.push_str(&rest[..i + "<script".len()]);
        if is_script && inline {
            out.push_str(&format!(" nonce=\"{nonce}\""));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_get_the_nonce_and_loaded_ones_do_not() {
        let html = r#"<script>a()</script><script src="x.js" defer></script><scripts><script type="module">b()</script>"#;
        assert_eq!(
            sign_inline_scripts(html, "N"),
            r#"<script nonce="N">a()</script><script src="x.js" defer></script><scripts><script nonce="N" type="module">b()</script>"#
        );
    }

    #[test]
    fn versions_move_on_change_and_when_errors_clear() {
        let live = Live::default();
        live.publish(0, None);
        assert_eq!(
            live.snapshot().version,
            0,
            "nothing changed, nothing to reload"
        );
        live.publish(3, None);
        assert_eq!(live.snapshot().version, 1);
        live.publish(0, Some("错误".into()));
        assert_eq!(
            live.snapshot(),
            State {
                version: 1,
                error: Some("错误".into())
            }
        );
        live.publish(0, None);
        assert_eq!(
            live.snapshot(),
            State {
                version: 2,
                error: None
            }
        );
    }

    #[test]
    fn script_goes_before_body_end() {
        assert_eq!(
            inject("<body>x</body></html>", "<s>"),
            "<body>x<s></body></html>"
        );
        assert_eq!(inject("x", "<s>"), "x<s>");
    }
}
