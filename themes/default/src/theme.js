/* unionpress default theme: optional niceties. Every page reads and works
   without this file; it only adds what needs a script. Plain ES5, for the
   old browser shells still found on office PCs.

   Everything it remembers stays in this browser's localStorage (which also
   works for pages opened from a file share, file://): no cookies, nothing
   sent anywhere. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;

  // Print buttons ship hidden, so a page without JavaScript shows no dead button.
  var buttons = doc.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }

  // localStorage, or null where the browser refuses it (privacy modes).
  function store() {
    try {
      var s = window.localStorage;
      return s && typeof s.getItem === "function" ? s : null;
    } catch (e) {
      return null;
    }
  }
  function load(key) {
    var s = store();
    try {
      return s ? s.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }
  function save(key, value) {
    var s = store();
    try {
      if (s) s.setItem(key, value);
    } catch (e) {
      // Full or refused: the page still works, it just forgets.
    }
  }

  /* 标准 / 大字 / 高对比 -------------------------------------------------------
     Stored as words ("large contrast") under DISPLAY_KEY. The inline script
     in base.html's <head> applies them before the first paint; this part
     shows the switch and keeps <html>'s classes and the buttons in step. */
  var DISPLAY_KEY = "unionpress-display";
  var CLASSES = { large: "text-large", contrast: "high-contrast" };

  function words() {
    var v = load(DISPLAY_KEY) || "";
    return { large: /(^| )large( |$)/.test(v), contrast: /(^| )contrast( |$)/.test(v) };
  }
  function setClass(name, on) {
    var list = (" " + root.className + " ").replace(" " + name + " ", " ");
    root.className = (on ? list + name : list).replace(/^\s+|\s+$/g, "").replace(/\s+/g, " ");
  }
  function applyDisplay() {
    var w = words();
    setClass(CLASSES.large, w.large);
    setClass(CLASSES.contrast, w.contrast);
    var pressed = { standard: !w.large, large: w.large, contrast: w.contrast };
    var bs = doc.querySelectorAll("[data-display]");
    for (var i = 0; i < bs.length; i++) {
      bs[i].setAttribute("aria-pressed", pressed[bs[i].getAttribute("data-display")] ? "true" : "false");
    }
  }
  function choose(which) {
    var w = words();
    if (which === "standard") w.large = false;
    else if (which === "large") w.large = true;
    else if (which === "contrast") w.contrast = !w.contrast;
    var out = [];
    if (w.large) out.push("large");
    if (w.contrast) out.push("contrast");
    save(DISPLAY_KEY, out.join(" "));
    applyDisplay();
  }
  var switches = doc.querySelectorAll("[data-display-switch]");
  if (store()) {
    for (var s = 0; s < switches.length; s++) {
      switches[s].hidden = false;
      switches[s].addEventListener("click", function (e) {
        var b = e.target;
        while (b && b !== this && !b.getAttribute("data-display")) b = b.parentNode;
        if (b && b !== this) choose(b.getAttribute("data-display"));
      });
    }
  }

  /* 新 marks -------------------------------------------------------------------
     A link with data-stamp (the page's updated or date), or the first link
     in the list item of another element with one, gets a 新 mark
     unless this browser has opened that page at that stamp, or the stamp is
     more than data-new-days days old. Opening a page stores its stamp under
     its address, so a revised page is new again. */
  var SEEN_KEY = "unionpress-seen";
  var DAY = 864e5;
  // Entries older than this are dropped whatever a site's new_days says.
  var KEEP_DAYS = 400;
  var body = doc.body;
  var days = parseInt(body.getAttribute("data-new-days"), 10) || 0;

  // The address a page is remembered by: no query or fragment, and
  // "x/index.html" the same as "x/".
  function pageKey(href) {
    return href.replace(/[?#].*$/, "").replace(/\/index\.html$/, "/");
  }
  function readSeen() {
    try {
      var v = JSON.parse(load(SEEN_KEY) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return {};
    }
  }
  function recent(stamp, now, limit) {
    var t = Date.parse(stamp);
    return !isNaN(t) && now - t < limit * DAY;
  }
  function remember() {
    var stamp = body.getAttribute("data-stamp");
    if (!stamp || !store()) return;
    var seen = readSeen();
    var now = new Date().getTime();
    for (var k in seen) {
      if (Object.prototype.hasOwnProperty.call(seen, k) && !recent(seen[k], now, KEEP_DAYS)) delete seen[k];
    }
    seen[pageKey(window.location.href)] = stamp;
    save(SEEN_KEY, JSON.stringify(seen));
  }
  // The link a stamp belongs to: itself, or its list item's first link.
  function linkOf(el) {
    if (el.tagName === "A") return el;
    if (el === body) return null;
    var li = el;
    while (li && li.tagName !== "LI") li = li.parentNode;
    return li ? li.querySelector("a[href]") : null;
  }
  function markNew() {
    if (!days || !store()) return;
    var seen = readSeen();
    var now = new Date().getTime();
    var label = body.getAttribute("data-new-label") || "新";
    var stamped = doc.querySelectorAll("[data-stamp]");
    for (var i = 0; i < stamped.length; i++) {
      var a = linkOf(stamped[i]);
      if (!a) continue;
      var stamp = stamped[i].getAttribute("data-stamp");
      var isNew = recent(stamp, now, days) && seen[pageKey(a.href)] !== stamp;
      var mark = a.querySelector(".badge-new");
      if (isNew && !mark) {
        mark = doc.createElement("span");
        mark.className = "badge badge-new";
        mark.appendChild(doc.createTextNode(label));
        a.insertBefore(mark, a.firstChild);
      } else if (!isNew && mark) {
        a.removeChild(mark);
      }
    }
  }

  remember();
  applyDisplay();
  markNew();
  // Back and forward can show a page from memory as it was: bring it up to
  // date with what was chosen and opened since.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {
      applyDisplay();
      markNew();
    }
  });
  // Another tab changed the setting or opened a page.
  window.addEventListener("storage", function (e) {
    if (e.key === DISPLAY_KEY) applyDisplay();
    if (e.key === SEEN_KEY) markNew();
  });
})();
