/* unionpress default theme: the photo lightbox of event pages.
   Without this file each thumbnail is a link to its photo. With it, a
   click (or Enter) opens the photo over the page: Esc or the close button
   shuts it and gives the focus back to the thumbnail, the arrow keys and
   the buttons go to the previous and next photo, Tab stays inside.
   No network, no other script: it works from a file share (file://).
   Plain ES5, for the old browser shells still found on office PCs. */
(function () {
  "use strict";
  var galleries = document.querySelectorAll("[data-gallery]");
  if (!galleries.length) return;

  var box, img, caption, counter, closeBtn, prevBtn, nextBtn;
  var links = [], current = -1, opener = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.appendChild(document.createTextNode(text));
    return e;
  }

  function button(cls, label, symbol, onClick) {
    var b = el("button", cls, symbol);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function build(g) {
    box = el("div", "lightbox");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.hidden = true;
    var figure = el("figure", "lightbox-figure");
    img = el("img", "lightbox-img");
    img.alt = "";
    caption = el("figcaption", "lightbox-caption");
    caption.id = "lightbox-caption";
    box.setAttribute("aria-labelledby", "lightbox-caption");
    counter = el("span", "lightbox-counter");
    figure.appendChild(img);
    figure.appendChild(caption);
    closeBtn = button("lightbox-close", g.getAttribute("data-close") || "Close", "\u00d7", close);
    prevBtn = button("lightbox-prev", g.getAttribute("data-prev") || "Previous", "\u2039", function () { show(current - 1); });
    nextBtn = button("lightbox-next", g.getAttribute("data-next") || "Next", "\u203a", function () { show(current + 1); });
    box.appendChild(figure);
    box.appendChild(counter);
    box.appendChild(prevBtn);
    box.appendChild(nextBtn);
    box.appendChild(closeBtn);
    // A click on the dark backdrop, not on the photo or a button, closes.
    box.addEventListener("click", function (e) {
      if (e.target === box || e.target === figure) close();
    });
    box.addEventListener("keydown", onKey);
    document.body.appendChild(box);
  }

  function show(i) {
    if (!links.length) return;
    current = (i + links.length) % links.length;
    var a = links[current];
    var thumb = a.getElementsByTagName("img")[0];
    var fig = a.parentNode;
    var cap = fig && fig.getElementsByTagName("figcaption")[0];
    var text = cap ? (cap.textContent || "") : (thumb ? thumb.alt : "");
    img.src = a.href;
    img.alt = text;
    if (a.getAttribute("data-width")) {
      img.width = +a.getAttribute("data-width");
      img.height = +a.getAttribute("data-height");
    }
    caption.textContent = text;
    counter.textContent = (current + 1) + " / " + links.length;
    var several = links.length > 1;
    prevBtn.hidden = !several;
    nextBtn.hidden = !several;
  }

  function open(list, i, from) {
    links = list;
    opener = from;
    show(i);
    box.hidden = false;
    document.documentElement.className += " lightbox-open";
    closeBtn.focus();
  }

  function close() {
    if (box.hidden) return;
    box.hidden = true;
    img.removeAttribute("src");
    document.documentElement.className =
      document.documentElement.className.replace(/\s*lightbox-open/g, "");
    if (opener) opener.focus();
  }

  function onKey(e) {
    var key = e.key || e.keyCode;
    if (key === "Escape" || key === "Esc" || key === 27) {
      e.preventDefault();
      close();
    } else if (key === "ArrowLeft" || key === "Left" || key === 37) {
      e.preventDefault();
      show(current - 1);
    } else if (key === "ArrowRight" || key === "Right" || key === 39) {
      e.preventDefault();
      show(current + 1);
    } else if (key === "Tab" || key === 9) {
      // Keep the focus among the lightbox's own buttons.
      var order = [];
      var all = [prevBtn, nextBtn, closeBtn];
      for (var k = 0; k < all.length; k++) if (!all[k].hidden) order.push(all[k]);
      var at = -1;
      for (var j = 0; j < order.length; j++) if (order[j] === document.activeElement) at = j;
      e.preventDefault();
      var next = e.shiftKey ? at - 1 : at + 1;
      order[(next + order.length) % order.length].focus();
    }
  }

  for (var gi = 0; gi < galleries.length; gi++) {
    (function (g) {
      var list = g.querySelectorAll("a.gallery-link");
      var arr = [];
      for (var i = 0; i < list.length; i++) arr.push(list[i]);
      if (!box) build(g);
      for (var n = 0; n < arr.length; n++) {
        (function (a, n) {
          a.addEventListener("click", function (e) {
            // Ctrl/⌘-click and middle click still open the photo itself.
            if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
            e.preventDefault();
            open(arr, n, a);
          });
        })(arr[n], n);
      }
    })(galleries[gi]);
  }
})();
