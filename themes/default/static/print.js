/* unionpress default theme: the record (版记) of a printed notice at the foot
   of its last page (GB/T 9704 §7.4).

   CSS cannot push a block to the bottom of the last printed page, but while
   the browser lays the page out for print, `matchMedia("print")` reports the
   change, and element positions are then in print layout: pages stacked one
   after the other, each as tall as the text block (225 mm for A4 after
   print.css). The record's top modulo that height is where it starts on its
   page; a top margin of what is left moves it to the foot. Without this
   script the record simply follows the signature. Plain ES5. */
(function () {
  "use strict";
  if (!window.matchMedia) return;
  var PAGE_MM = 225; // the height of the text block in print.css
  var MM = 96 / 25.4; // CSS pixels per millimetre
  var record = document.querySelector(".doc-record");
  if (!record) return;
  var print = window.matchMedia("print");

  function place(e) {
    record.style.marginTop = "";
    record.style.breakBefore = "";
    if (!e.matches) return;
    var page = PAGE_MM * MM;
    var style = window.getComputedStyle(record);
    var margin = parseFloat(style.marginTop) || 0;
    var top = record.getBoundingClientRect().top + window.pageYOffset;
    var height = record.offsetHeight;
    // Where the record would start on its page, without its own margin.
    var used = (top - margin) % page;
    if (used < 0) used += page;
    var room = page - used - height;
    if (room < margin) {
      // No room left on this page: the foot of a page of its own (a margin
      // after a forced break is kept; after an unforced one it is dropped).
      record.style.breakBefore = "page";
      room = page - height;
    }
    // Two pixels short of the foot, so rounding never pushes it over.
    record.style.marginTop = Math.max(margin, Math.floor(room) - 2) + "px";
  }

  if (print.addEventListener) {
    print.addEventListener("change", place);
  } else if (print.addListener) {
    print.addListener(place);
  }
})();
