// The header menu: open on wide screens (the CSS breakpoint), folded on phones.
// Loaded right after the menu, not deferred, so wide screens never see it folded.
// Without scripts the menu is folded everywhere and "Menu" opens it.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu) {
    return;
  }
  var wide = window.matchMedia("(min-width: 768px)");
  function fit() {
    menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);
})();
