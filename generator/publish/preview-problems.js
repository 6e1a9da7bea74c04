// The problem banner of a preview (`mkdocs serve`), on every page: the content problems of the latest build,
// read from preview-problems.json beside this script, shown above the page and taken away once they are fixed.
// Problems quote what editors wrote, so every line is set as text, never as HTML.
(() => {
  "use strict";
  const source = new URL("preview-problems.json", document.currentScript.src).href;
  const style = `
    #rheum-preview-problems { position: relative; z-index: 10; margin: 0; padding: .8rem 1rem;
      background: #fdecea; color: #5f1410; border-bottom: 3px solid #b3261e; font: 15px/1.45 system-ui, sans-serif; }
    #rheum-preview-problems h2 { margin: 0 0 .3rem; font-size: 16px; }
    #rheum-preview-problems ul { margin: 0; padding-left: 1.2rem; max-height: 40vh; overflow: auto; }
    #rheum-preview-problems code { font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace;
      white-space: pre-wrap; overflow-wrap: anywhere; }`;
  let shown = null;

  function banner(summary, problems) {
    const box = document.createElement("section");
    box.id = "rheum-preview-problems";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "Content problems");
    const css = document.createElement("style");
    css.textContent = style;
    const heading = document.createElement("h2");
    heading.textContent = summary;
    const list = document.createElement("ul");
    for (const line of problems) {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = line;
      item.append(code);
      list.append(item);
    }
    box.append(css, heading, list);
    return box;
  }

  async function update() {
    let data;
    try {
      const response = await fetch(source, { cache: "no-store" });
      if (!response.ok) return;
      data = await response.json();
    } catch {
      return; // the server is restarting: keep what is shown
    }
    const key = JSON.stringify(data);
    if (key === shown) return;
    shown = key;
    document.getElementById("rheum-preview-problems")?.remove();
    if (Array.isArray(data.problems) && data.problems.length) {
      document.body.prepend(banner(String(data.summary), data.problems.map(String)));
    }
  }

  update();
  setInterval(update, 1000);
})();
