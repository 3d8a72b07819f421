/* search.js of the default theme without comments and indentation: its source is src/search.js. unionpress-search-index: 4 */
(function (global, factory) {
"use strict";
var core = factory();
if (typeof module === "object" && module.exports) {
module.exports = core;
} else {
global.UnionpressSearchCore = core;
if (typeof document !== "undefined") {
core.start(global, document);
}
}
})(this, function () {
"use strict";
var MAX_WORD_CHARS = 32;
var LEVELS = 3;
var CONTINUE = "0123456789abcdefghijklmnopqrstuv";
var FINAL = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
var TRIPLES = "!#$%&'()*+,./:;<=>?@[]^`{|}";
var RESULTS_PER_PAGE = 10;
var SNIPPET_CHARS = 110;
var TYPING_DELAY_MS = 120;
function codePoints(s) {
var out = [];
for (var i = 0; i < s.length; i++) {
var c = s.charCodeAt(i);
if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
var d = s.charCodeAt(i + 1);
if (d >= 0xdc00 && d <= 0xdfff) {
out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
i++;
continue;
}
}
out.push(c);
}
return out;
}
function fromCodePoints(cps, start, end) {
var s = "";
for (var i = start; i < end; i++) {
var c = cps[i];
if (c >= 0x10000) {
c -= 0x10000;
s += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
} else {
s += String.fromCharCode(c);
}
}
return s;
}
function fold(c) {
if (c >= 0xff01 && c <= 0xff5e) {
c -= 0xfee0;
}
if (c < 0x10000) {
var lower = String.fromCharCode(c).toLowerCase();
if (lower.length === 1) {
c = lower.charCodeAt(0);
}
}
return c;
}
function isCjk(c) {
return c === 0x3007 ||
(c >= 0x3041 && c <= 0x3096) ||
(c >= 0x30a1 && c <= 0x30fa) ||
(c >= 0x3400 && c <= 0x4dbf) ||
(c >= 0x4e00 && c <= 0x9fff) ||
(c >= 0xac00 && c <= 0xd7a3) ||
(c >= 0xf900 && c <= 0xfaff) ||
(c >= 0x20000 && c <= 0x3134f);
}
function isWord(c) {
return (c >= 0x30 && c <= 0x39) ||
(c >= 0x61 && c <= 0x7a) ||
(c >= 0xc0 && c <= 0xd6) ||
(c >= 0xd8 && c <= 0xf6) ||
(c >= 0xf8 && c <= 0x24f) ||
(c >= 0x370 && c <= 0x3ff) ||
(c >= 0x400 && c <= 0x52f);
}
var OTHER = 0, CJK = 1, WORD = 2;
function classOf(c) {
return isCjk(c) ? CJK : isWord(c) ? WORD : OTHER;
}
function foldAll(text) {
var cps = codePoints(text);
for (var i = 0; i < cps.length; i++) {
cps[i] = fold(cps[i]);
}
return cps;
}
function runs(text, run) {
var cps = foldAll(text);
var buf = [];
var current = OTHER;
for (var i = 0; i < cps.length; i++) {
var k = classOf(cps[i]);
if (k !== current) {
if (current !== OTHER) {
run(current, buf);
}
buf = [];
current = k;
}
if (k !== OTHER) {
buf.push(cps[i]);
}
}
if (current !== OTHER) {
run(current, buf);
}
}
function word(cps) {
return fromCodePoints(cps, 0, Math.min(cps.length, MAX_WORD_CHARS));
}
function indexTokens(text) {
var out = [];
runs(text, function (k, cps) {
if (k === WORD) {
out.push(word(cps));
return;
}
for (var i = 0; i < cps.length; i++) {
out.push(fromCodePoints(cps, i, i + 1));
if (i + 1 < cps.length) {
out.push(fromCodePoints(cps, i, i + 2));
}
}
});
return out;
}
function queryTokens(text) {
var out = [];
function push(t) {
if (out.indexOf(t) < 0) {
out.push(t);
}
}
runs(text, function (k, cps) {
if (k === WORD) {
push(word(cps));
} else if (cps.length === 1) {
push(fromCodePoints(cps, 0, 1));
} else {
for (var i = 0; i + 1 < cps.length; i++) {
push(fromCodePoints(cps, i, i + 2));
}
}
});
return out;
}
var imul = Math.imul || function (a, b) {
var lo = (a & 0xffff) * b;
var hi = ((a >>> 16) * b) & 0xffff;
return (lo + (hi << 16)) | 0;
};
function hash(token) {
var h = 0x811c9dc5;
var cps = codePoints(token);
for (var i = 0; i < cps.length; i++) {
h = imul(h ^ cps[i], 0x01000193) >>> 0;
}
h = (h ^ (h >>> 16)) >>> 0;
h = imul(h, 0x85ebca6b) >>> 0;
h = (h ^ (h >>> 13)) >>> 0;
h = imul(h, 0xc2b2ae35) >>> 0;
h = (h ^ (h >>> 16)) >>> 0;
return h;
}
function shardOf(token, shards) {
return hash(token) % shards;
}
function parseQuery(q) {
var parts = String(q || "").split(/[\s\u3000]+/);
var words = [];
for (var i = 0; i < parts.length; i++) {
var tokens = queryTokens(parts[i]);
if (tokens.length) {
words.push({ text: parts[i], tokens: tokens });
}
}
return words;
}
function decodeNumbers(s, each) {
var v = 0, last = [], repeat = false, j, k;
for (var i = 0; i < s.length; i++) {
var ch = s.charAt(i);
var d = CONTINUE.indexOf(ch);
if (d >= 0) {
v = v * 32 + d;
continue;
}
d = FINAL.indexOf(ch);
if (d >= 0) {
v = v * 32 + d;
if (repeat) {
for (j = 0; j < v; j++) {
for (k = 0; k < last.length; k++) {
each(last[k]);
}
}
repeat = false;
} else {
last = [v];
each(v);
}
v = 0;
continue;
}
d = TRIPLES.indexOf(ch);
if (d >= 0) {
last = [LEVELS + Math.floor(d / 9), LEVELS + Math.floor(d / 3) % 3, LEVELS + d % 3];
for (k = 0; k < 3; k++) {
each(last[k]);
}
} else if (ch === "~") {
repeat = true;
}
}
}
function decodePostings(s) {
var ids = [], levels = [], prev = 0;
decodeNumbers(s, function (v) {
var level = v % LEVELS;
prev += (v - level) / LEVELS;
ids.push(prev);
levels.push(level);
});
return { ids: ids, levels: levels };
}
function decodeIds(s) {
var ids = [], prev = 0;
decodeNumbers(s || "", function (v) {
prev += v;
ids.push(prev);
});
return ids;
}
function chunkOf(firsts, id) {
var lo = 0, hi = firsts.length - 1;
while (lo < hi) {
var mid = (lo + hi + 1) >> 1;
if (firsts[mid] <= id) {
lo = mid;
} else {
hi = mid - 1;
}
}
return lo;
}
function chunkNames(names, count) {
var out = [], width = count ? names.length / count : 0;
for (var k = 0; k < count; k++) {
out.push(names.slice(k * width, k * width + width));
}
return out;
}
function intersect(a, b, combine) {
var ids = [], levels = [], i = 0, j = 0;
while (i < a.ids.length && j < b.ids.length) {
if (a.ids[i] < b.ids[j]) {
i++;
} else if (a.ids[i] > b.ids[j]) {
j++;
} else {
ids.push(a.ids[i]);
levels.push(combine(a.levels[i], b.levels[j]));
i++;
j++;
}
}
return { ids: ids, levels: levels };
}
function min(x, y) { return x < y ? x : y; }
function sum(x, y) { return x + y; }
function rank(words, lookup, expired) {
var result = null;
for (var w = 0; w < words.length; w++) {
var match = null;
var tokens = words[w].tokens;
for (var t = 0; t < tokens.length; t++) {
var encoded = lookup(tokens[t]);
if (encoded === undefined) {
return [];
}
var list = decodePostings(encoded);
match = match ? intersect(match, list, min) : list;
}
result = result ? intersect(result, match, sum) : match;
if (!result.ids.length) {
return [];
}
}
if (!result) {
return [];
}
var hits = [];
for (var i = 0; i < result.ids.length; i++) {
var id = result.ids[i];
hits.push({ id: id, score: result.levels[i], expired: !!(expired && expired[id]) });
}
hits.sort(function (a, b) {
return (b.score - a.score) ||
((a.expired ? 1 : 0) - (b.expired ? 1 : 0)) ||
(b.id - a.id);
});
return hits;
}
function needles(words) {
var list = [], seen = {};
function add(cps) {
var key = cps.join(",");
if (cps.length && !seen[key]) {
seen[key] = true;
list.push(cps);
}
}
for (var i = 0; i < words.length; i++) {
var whole = foldAll(words[i].text);
add(whole);
runs(words[i].text, function (k, cps) {
add(cps.slice(0));
});
}
list.sort(function (a, b) { return b.length - a.length; });
return list;
}
function matchAt(folded, at, needle) {
if (at + needle.length > folded.length) {
return false;
}
for (var j = 0; j < needle.length; j++) {
if (folded[at + j] !== needle[j]) {
return false;
}
}
return true;
}
function firstMatch(folded, list) {
for (var n = 0; n < list.length; n++) {
for (var i = 0; i + list[n].length <= folded.length; i++) {
if (matchAt(folded, i, list[n])) {
return i;
}
}
}
return -1;
}
function marked(cps, folded, start, end, list) {
var pieces = [], plain = start, i = start;
while (i < end) {
var hit = 0;
for (var n = 0; n < list.length; n++) {
if (i + list[n].length <= end && matchAt(folded, i, list[n])) {
hit = list[n].length;
break;
}
}
if (hit) {
if (plain < i) {
pieces.push({ text: fromCodePoints(cps, plain, i), mark: false });
}
pieces.push({ text: fromCodePoints(cps, i, i + hit), mark: true });
i += hit;
plain = i;
} else {
i++;
}
}
if (plain < end) {
pieces.push({ text: fromCodePoints(cps, plain, end), mark: false });
}
return pieces;
}
function highlight(text, words) {
var cps = codePoints(text || "");
var folded = foldAll(text || "");
return marked(cps, folded, 0, cps.length, needles(words));
}
function snippet(text, words, chars) {
chars = chars || SNIPPET_CHARS;
var cps = codePoints(text || "");
var folded = foldAll(text || "");
var list = needles(words);
var at = firstMatch(folded, list);
var start = at < 0 ? 0 : Math.max(0, at - Math.floor(chars / 5));
var end = Math.min(cps.length, start + chars);
start = Math.max(0, Math.min(start, end - chars));
var pieces = marked(cps, folded, start, end, list);
if (start > 0) {
pieces.unshift({ text: "…", mark: false });
}
if (end < cps.length) {
pieces.push({ text: "…", mark: false });
}
return { pieces: pieces, found: at >= 0 };
}
function start(win, doc) {
var app = doc.getElementById("search-app");
if (!app) {
return;
}
var base = app.getAttribute("data-index") || "";
var root = app.getAttribute("data-root") || "";
var input = doc.getElementById("search-input");
var status = doc.getElementById("search-status");
var list = doc.getElementById("search-results");
var more = doc.getElementById("search-more");
var t = function (key) { return app.getAttribute("data-t-" + key) || ""; };
var state = {
manifest: null,
expired: {},
firsts: [],
names: [],
chunkByName: {},
shards: {},
docs: {},
loading: {},
seq: 0,
hits: [],
shown: 0,
words: []
};
win.UnionpressSearch = {
add: function (kind, n, data) {
if (kind === "m") {
state.manifest = data;
var ids = decodeIds(data.expired);
for (var i = 0; i < ids.length; i++) {
state.expired[ids[i]] = true;
}
state.firsts = decodeIds(data.chunks);
state.names = chunkNames(data.names || "", state.firsts.length);
for (var k = 0; k < state.names.length; k++) {
state.chunkByName[state.names[k]] = k;
}
} else if (kind === "t") {
state.shards[n] = data;
} else if (kind === "d") {
if (Object.prototype.hasOwnProperty.call(state.chunkByName, n)) {
var first = state.firsts[state.chunkByName[n]];
for (var j = 0; j < data.length; j++) {
state.docs[first + j] = data[j];
}
}
}
}
};
function load(path, done) {
if (state.loading[path]) {
state.loading[path].push(done);
return;
}
state.loading[path] = [done];
var s = doc.createElement("script");
var finish = function () {
var waiting = state.loading[path];
state.loading[path] = null;
if (s.parentNode) {
s.parentNode.removeChild(s);
}
for (var i = 0; i < waiting.length; i++) {
waiting[i]();
}
};
s.onload = finish;
s.onerror = finish;
var version = state.manifest ? state.manifest.version : String(new Date().getTime());
s.src = base + path + "?v=" + version;
doc.head.appendChild(s);
}
function loadAll(paths, done) {
var pending = paths.length;
if (!pending) {
done();
return;
}
for (var i = 0; i < paths.length; i++) {
load(paths[i], function () {
pending--;
if (pending === 0) {
done();
}
});
}
}
function text(el, value) {
el.textContent = value;
}
function appendPieces(el, pieces) {
for (var i = 0; i < pieces.length; i++) {
if (pieces[i].mark) {
var m = doc.createElement("mark");
m.textContent = pieces[i].text;
el.appendChild(m);
} else {
el.appendChild(doc.createTextNode(pieces[i].text));
}
}
}
function resultItem(d, words) {
var li = doc.createElement("li");
li.className = "page-item search-result" + (d.e ? " is-expired" : "");
var h = doc.createElement("h2");
h.className = "page-item-title";
if (d.e && t("expired")) {
var badge = doc.createElement("span");
badge.className = "badge badge-expired";
badge.textContent = t("expired");
h.appendChild(badge);
}
var a = doc.createElement("a");
a.href = root + encodeURI(/\/$/.test(d.u) ? d.u + "index.html" : d.u);
appendPieces(a, highlight(d.t, words));
h.appendChild(a);
li.appendChild(h);
var meta = doc.createElement("p");
meta.className = "meta";
var section = doc.createElement("span");
section.className = "meta-section";
section.textContent = d.s;
meta.appendChild(section);
if (d.d) {
var time = doc.createElement("time");
time.setAttribute("datetime", d.i);
time.textContent = d.d;
meta.appendChild(doc.createTextNode(" "));
meta.appendChild(time);
}
if (d.n) {
var num = doc.createElement("span");
num.className = "doc-number";
appendPieces(num, highlight(d.n, words));
meta.appendChild(doc.createTextNode(" "));
meta.appendChild(num);
}
li.appendChild(meta);
var snip = snippet(d.x, words);
if (!snip.found && d.m) {
snip = snippet(d.m, words);
}
var p = doc.createElement("p");
p.className = "summary search-snippet";
appendPieces(p, snip.pieces);
li.appendChild(p);
return li;
}
function showMore(seq, fresh) {
var batch = state.hits.slice(state.shown, state.shown + RESULTS_PER_PAGE);
var paths = [];
for (var i = 0; i < batch.length; i++) {
var path = "d/" + state.names[chunkOf(state.firsts, batch[i].id)] + ".js";
if (paths.indexOf(path) < 0) {
paths.push(path);
}
}
loadAll(paths, function () {
if (seq !== state.seq) {
return;
}
if (fresh) {
list.innerHTML = "";
}
for (var i = 0; i < batch.length; i++) {
var d = state.docs[batch[i].id];
if (d) {
list.appendChild(resultItem(d, state.words));
}
}
state.shown += batch.length;
more.hidden = state.shown >= state.hits.length;
app.setAttribute("data-state", "done");
});
}
function setUrl(q) {
try {
var url = win.location.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
win.history.replaceState(null, "", url);
} catch (e) {
}
}
function search(q) {
var seq = ++state.seq;
var words = parseQuery(q);
more.hidden = true;
state.hits = [];
state.shown = 0;
state.words = words;
if (!words.length) {
list.innerHTML = "";
text(status, q.replace(/\s+/g, "") ? t("none") : "");
app.setAttribute("data-state", "idle");
return;
}
var shards = state.manifest.shards;
var paths = [], seen = {};
for (var w = 0; w < words.length; w++) {
for (var k = 0; k < words[w].tokens.length; k++) {
var n = shardOf(words[w].tokens[k], shards);
if (!seen[n]) {
seen[n] = true;
paths.push("t/" + n + ".js");
}
}
}
app.setAttribute("data-state", "loading");
loadAll(paths, function () {
if (seq !== state.seq) {
return;
}
var hits = rank(words, function (token) {
var shard = state.shards[shardOf(token, shards)];
return shard && Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : undefined;
}, state.expired);
state.hits = hits;
text(status, hits.length ? t("results").replace("{count}", hits.length) : t("none"));
if (!hits.length) {
list.innerHTML = "";
}
showMore(seq, true);
});
}
var timer = null;
function onType() {
if (timer) {
win.clearTimeout(timer);
}
timer = win.setTimeout(function () {
timer = null;
setUrl(input.value);
search(input.value);
}, TYPING_DELAY_MS);
}
function queryFromUrl() {
var m = /[?&]q=([^&#]*)/.exec(win.location.search || "");
if (!m) {
return "";
}
try {
return decodeURIComponent(m[1].replace(/\+/g, " "));
} catch (e) {
return m[1];
}
}
app.hidden = false;
load("manifest.js", function () {
if (!state.manifest) {
text(status, t("unavailable"));
return;
}
input.addEventListener("input", onType);
if (input.form) {
input.form.addEventListener("submit", function (e) {
e.preventDefault();
setUrl(input.value);
search(input.value);
});
}
more.addEventListener("click", function () {
showMore(state.seq, false);
});
var q = queryFromUrl();
if (q) {
input.value = q;
}
search(input.value);
});
}
return {
fold: fold,
isCjk: isCjk,
isWord: isWord,
indexTokens: indexTokens,
queryTokens: queryTokens,
parseQuery: parseQuery,
hash: hash,
shardOf: shardOf,
decodePostings: decodePostings,
decodeIds: decodeIds,
chunkOf: chunkOf,
chunkNames: chunkNames,
rank: rank,
highlight: highlight,
snippet: snippet,
start: start
};
});
