/* unionpress default theme: optional niceties. Every page reads and works
   without this file; it only adds what needs a script. Plain ES5, for the
   old browser shells still found on office PCs. */
(function () {
  "use strict";
  // Print buttons ship hidden, so a page without JavaScript shows no dead button.
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
