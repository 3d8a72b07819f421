/* theme.js of the default theme without comments and indentation: its source is src/theme.js. */
(function () {
"use strict";
var doc = document;
var root = doc.documentElement;
var buttons = doc.querySelectorAll("[data-print]");
for (var i = 0; i < buttons.length; i++) {
buttons[i].hidden = false;
buttons[i].addEventListener("click", function () {
window.print();
});
}
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
}
}
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
var SEEN_KEY = "unionpress-seen";
var DAY = 864e5;
var KEEP_DAYS = 400;
var body = doc.body;
var days = parseInt(body.getAttribute("data-new-days"), 10) || 0;
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
window.addEventListener("pageshow", function (e) {
if (e.persisted) {
applyDisplay();
markNew();
}
});
window.addEventListener("storage", function (e) {
if (e.key === DISPLAY_KEY) applyDisplay();
if (e.key === SEEN_KEY) markNew();
});
})();
