// The search page: start Pagefind's reader in #search, and run the query of a ?q= link.
(function () {
  var ui = new PagefindUI({ element: "#search", showImages: false, showSubResults: false, resetStyles: false, autofocus: true });
  var input = document.querySelector("#search input");
  if (input) { input.setAttribute("aria-label", "Search studies"); }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
