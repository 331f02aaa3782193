// citkit's page behaviour. Every script is a file like this one: the
// Content-Security-Policy allows no inline script, no on*= or hx-on attributes
// and no eval (docs/security.md).
(function () {
  "use strict";

  // A refused service call answers 400 with the form and its messages. Inside an
  // element marked data-swap-refusals, htmx swaps that answer in like a 200
  // (htmx leaves 4xx answers out by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 400 && event.target.closest("[data-swap-refusals]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
