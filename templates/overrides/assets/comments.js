/* Comments through giscus, loaded only when extra.comments is configured
   (the plugin adds this script then). The thread of a page is keyed by its
   path; the widget loads lazily and follows the light/dark palette. */
(function () {
  "use strict";
  var ORIGIN = "https://giscus.app";

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function mount() {
    var host = document.querySelector("#comments .re-giscus");
    if (!host || host.querySelector("script, iframe")) return;
    var script = document.createElement("script");
    var settings = {
      "data-repo": host.dataset.repo,
      "data-repo-id": host.dataset.repoId,
      "data-category": host.dataset.category,
      "data-category-id": host.dataset.categoryId,
      "data-mapping": "pathname",
      "data-strict": "1",
      "data-reactions-enabled": "1",
      "data-emit-metadata": "0",
      "data-input-position": "top",
      "data-lang": "en",
      "data-loading": "lazy",
      "data-theme": theme()
    };
    Object.keys(settings).forEach(function (name) { script.setAttribute(name, settings[name]); });
    script.src = ORIGIN + "/client.js";
    script.async = true;
    script.crossOrigin = "anonymous";
    host.appendChild(script);
  }

  function followPalette() {
    var frame = document.querySelector("iframe.giscus-frame");
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage({ giscus: { setConfig: { theme: theme() } } }, ORIGIN);
    }
  }

  /* Material's instant navigation swaps pages without reloading; document$
     then emits once per page. Without it, mount once the page is parsed. */
  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(mount);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
  new MutationObserver(followPalette).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });
})();
