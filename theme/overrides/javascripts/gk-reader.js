/* Reader aids that need a script, loaded in <head> (partials in main.html): the 长辈版 switch, remembered in
 * localStorage and applied before the page is drawn, so a page never flashes small type; and the
 * 「左右滑动查看更多」 cue, shown only on a table wider than its box. Nothing here is needed to read a page. */
(function () {
  "use strict";
  var KEY = "gk-elder";
  var root = document.documentElement;
  try {
    if (localStorage.getItem(KEY) === "on") root.setAttribute("data-gk-elder", "");
  } catch (e) { /* storage off: the standard version */ }

  function markOverflow() {
    document.querySelectorAll(".gk-scroll").forEach(function (box) {
      box.toggleAttribute("data-gk-overflow", box.scrollWidth > box.clientWidth + 1);
    });
  }

  function ready() {
    var button = document.querySelector("[data-gk-elder-switch]");
    if (button) {
      var sync = function () { button.setAttribute("aria-pressed", String(root.hasAttribute("data-gk-elder"))); };
      sync();
      button.addEventListener("click", function () {
        var on = !root.hasAttribute("data-gk-elder");
        root.toggleAttribute("data-gk-elder", on);
        try { localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* this page only */ }
        sync();
        markOverflow();
      });
    }
    markOverflow();
    window.addEventListener("resize", markOverflow);
    window.addEventListener("load", markOverflow);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
