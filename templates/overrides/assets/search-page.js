// The search page: expand what the reader typed with the site's vocabulary, ask Pagefind, list the results.
//
// Pagefind has no synonyms, so the site brings them (assets/search-terms.<hash>.json, written at build
// time from site_data/): a brand becomes its generic name (Xarelto: rivaroxaban), a drug class its drugs,
// a condition's abbreviation or other name the condition. Each alternative is one Pagefind search, plus
// one by the entry's filter (studies tagged with the condition or class); the results are merged.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = document.getElementById("search");
  if (!root || !script) { return; }
  var PAGE = 10;
  var MAX_SEARCHES = 24;
  var VERIFY = 50;
  var FILTERS = [["condition", "Condition"], ["design", "Design"], ["drug class", "Drug class"], ["year", "Year"]];
  var pagefindUrl = new URL("../pagefind/pagefind.js", script.src).href;
  var termsUrl = new URL(root.getAttribute("data-terms"), window.location.href).href;

  // The key generator.read.drugs.term_key gives: case, accents, hyphens, apostrophes and a plural "s" ignored.
  function termKey(text) {
    var plain = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").replace(/['\u2019]s(?![\p{L}\p{N}_])/gu, "");
    return plain.split(/[\s\x1c-\x1f\x85\-\u2010\u2011\u2013\u2014_/'\u2019.,;:()]+/).filter(Boolean).map(function (word) {
      return Array.from(word).length > 3 && /s$/.test(word) && !/(ss|is|us)$/.test(word) ? word.slice(0, -1) : word;
    }).join(" ");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The form: a search box, a select per filter, the expansion note, the count and the results.
  var form = element("form", "re-search__form");
  form.setAttribute("role", "search");
  var input = element("input", "re-search__input");
  input.type = "search";
  input.setAttribute("aria-label", "Search studies");
  input.placeholder = "Drug, brand, class, condition, topic…";
  input.autocomplete = "off";
  form.appendChild(input);
  var selects = {};
  var filterRow = element("div", "re-search__filters");
  FILTERS.forEach(function (pair) {
    var label = element("label", "re-search__filter");
    label.appendChild(element("span", "", pair[1]));
    var select = element("select");
    select.name = pair[0];
    select.appendChild(new Option("Any", ""));
    label.appendChild(select);
    filterRow.appendChild(label);
    selects[pair[0]] = select;
  });
  form.appendChild(filterRow);
  var expanded = element("p", "re-search__expanded");
  var count = element("p", "re-search__count");
  count.setAttribute("role", "status");
  var list = element("ol", "re-search__results");
  var more = element("button", "re-search__more", "Show more results");
  more.type = "button";
  more.hidden = true;
  root.replaceChildren(form, expanded, count, list, more);
  root.removeAttribute("role");

  var ready = Promise.all([
    import(pagefindUrl),
    fetch(termsUrl).then(function (response) {
      if (!response.ok) { throw new Error("search vocabulary: HTTP " + response.status); }
      return response.json();
    }),
  ]).then(function (loaded) {
    return { pagefind: loaded[0], vocabulary: loaded[1] };
  });

  ready.then(function (state) {
    return state.pagefind.filters().then(function (available) {
      FILTERS.forEach(function (pair) {
        var values = Object.keys(available[pair[0]] || {}).sort();
        if (pair[0] === "year") { values.reverse(); }
        values.forEach(function (value) {
          selects[pair[0]].appendChild(new Option(value + " (" + available[pair[0]][value] + ")", value));
        });
      });
    });
  });

  // The vocabulary entry for the words [start, end) of what was typed, if any.
  function lookup(vocabulary, words, start, end, whole) {
    var phrase = words.slice(start, end).join(" ");
    var abbreviations = vocabulary.abbreviations;
    for (var name in abbreviations) {
      if (name === phrase || (whole && name.toLowerCase() === phrase.toLowerCase())) { return abbreviations[name]; }
    }
    return vocabulary.terms[termKey(phrase)];
  }

  // What the typed words ask for: each known phrase (longest first) as its vocabulary entry, the other words as they are.
  function expand(vocabulary, query) {
    var words = query.trim().split(/\s+/).filter(Boolean);
    var found = [];
    var plain = [];
    for (var i = 0; i < words.length;) {
      var hit = null;
      for (var end = Math.min(words.length, i + 6); end > i; end--) {
        var index = lookup(vocabulary, words, i, end, words.length === end - i);
        if (index !== undefined) { hit = { index: index, end: end }; break; }
      }
      if (hit) {
        found.push({ entry: vocabulary.entries[hit.index], typed: words.slice(i, hit.end).join(" ") });
        i = hit.end;
      } else {
        plain.push(words[i]);
        i += 1;
      }
    }
    return { found: found, plain: plain.join(" ") };
  }

  // The results of one vocabulary entry: an exact search for each of its names (Pagefind's exact mode, a
  // quoted term, matches neither word prefixes nor near spellings) and the studies its filter tags.
  function entryResults(pagefind, entry, chosen) {
    var asked = entry.search.slice(0, MAX_SEARCHES).map(function (name) {
      return pagefind.search('"' + name.replace(/"/g, "") + '"', { filters: chosen });
    });
    asked.push(pagefind.search(null, { filters: combine(entry.filters, chosen) }));
    return Promise.all(asked).then(merge);
  }

  // The results of the words the vocabulary does not know. Pagefind also matches a page where a short word
  // begins what was typed ("Q" waves for "qzxvbnm"); such a page is kept only if its excerpt marks a word of
  // at least three letters that begins like a typed word (checked for up to VERIFY pages, the rest kept).
  function plainResults(pagefind, words, chosen) {
    var typed = words.toLowerCase().split(/\s+/);
    return Promise.all([
      pagefind.search('"' + words.replace(/"/g, "") + '"', { filters: chosen }),
      pagefind.search(words, { filters: chosen }),
    ]).then(function (answers) {
      var exact = merge([answers[0]]);
      var loose = (answers[1] ? answers[1].results : []).filter(function (result) { return !exact[result.id]; });
      var checked = loose.slice(0, VERIFY);
      return Promise.all(checked.map(function (result) { return result.data(); })).then(function (datas) {
        var kept = checked.filter(function (result, i) { return marksATypedWord(datas[i].excerpt, typed); });
        return merge([{ results: Object.values(exact).concat(kept, loose.slice(VERIFY)) }]);
      });
    });
  }

  function marksATypedWord(html, typed) {
    var marks = html.match(/<mark>[^<]*<\/mark>/g) || [];
    return marks.some(function (mark) {
      var word = mark.slice(6, -7).toLowerCase();
      return word.length >= 3 && typed.some(function (t) { return word.indexOf(t.slice(0, 3)) === 0; });
    });
  }

  // One result per page, with its best score.
  function merge(answers) {
    var best = {};
    answers.forEach(function (answer) {
      (answer ? answer.results : []).forEach(function (result) {
        if (!best[result.id] || best[result.id].score < result.score) { best[result.id] = result; }
      });
    });
    return best;
  }

  function describe(found) {
    return found.map(function (part) {
      var entry = part.entry;
      var shown = entry.label;
      if (termKey(part.typed) !== termKey(entry.label)) { shown += " (" + part.typed + ")"; }
      if (entry.note) { shown += ": " + entry.note; }
      return shown;
    }).join("; ");
  }

  function chosenFilters() {
    var chosen = {};
    FILTERS.forEach(function (pair) {
      if (selects[pair[0]].value) { chosen[pair[0]] = selects[pair[0]].value; }
    });
    return chosen;
  }

  function combine(own, chosen) {
    var filters = {};
    Object.keys(own).concat(Object.keys(chosen)).forEach(function (name) {
      var values = [own[name], chosen[name]].filter(function (value) { return value !== undefined; });
      filters[name] = values.length === 1 ? values[0] : { all: values };
    });
    return filters;
  }

  // The excerpt Pagefind marked up, rebuilt as text and <mark> nodes only.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var paragraph = element("p", "re-search__excerpt");
    template.content.childNodes.forEach(function (node) {
      paragraph.appendChild(node.nodeName === "MARK" ? element("mark", "", node.textContent) : document.createTextNode(node.textContent));
    });
    return paragraph;
  }

  function show(result, data) {
    var item = element("li", "re-search__result");
    var heading = element("h2", "re-search__title");
    var link = element("a", "re-search__link", data.meta.title);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [data.meta.date, data.meta.condition, data.meta.design].filter(Boolean);
    item.appendChild(element("p", "re-search__meta", facts.join(" · ")));
    item.appendChild(excerpt(data.excerpt));
    list.appendChild(item);
  }

  var generation = 0;
  var pending = [];

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    var url = new URL(window.location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    window.history.replaceState(null, "", url.href);
    if (!query) {
      expanded.textContent = "";
      count.textContent = "";
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    ready.then(function (state) {
      var plan = expand(state.vocabulary, query);
      var chosen = chosenFilters();
      var asked = plan.found.map(function (part) { return entryResults(state.pagefind, part.entry, chosen); });
      if (plan.plain) { asked.push(plainResults(state.pagefind, plan.plain, chosen)); }
      return Promise.all(asked).then(function (sets) {
        if (mine !== generation) { return; }
        // A study must answer every part of the query; its score is the sum of its parts' scores.
        var results = Object.keys(sets[0] || {}).filter(function (id) {
          return sets.every(function (set) { return set[id]; });
        }).map(function (id) {
          var total = sets.reduce(function (sum, set) { return sum + set[id].score; }, 0);
          return { id: id, score: total, data: sets[0][id].data };
        });
        results.sort(function (a, b) { return b.score - a.score || (a.id < b.id ? -1 : 1); });
        pending = results;
        // The note, the count and the first results change together, once the results are loaded: the
        // count never announces results that are not on the page yet.
        return showMore(mine, function () {
          var said = describe(plan.found);
          expanded.textContent = said ? "Showing results for " + said + (plan.plain ? " with " + plan.plain : "") : "";
          var n = results.length;
          count.textContent = (n ? n + (n === 1 ? " result" : " results") : "No results") + " for " + query;
          list.replaceChildren();
        });
      });
    });
  }

  // Load the next PAGE results, then (if no newer search began) call before() and list them.
  function showMore(mine, before) {
    var chunk = pending.slice(0, PAGE);
    pending = pending.slice(PAGE);
    var left = pending.length;
    return Promise.all(chunk.map(function (result) { return result.data(); })).then(function (datas) {
      if (mine !== generation) { return; }
      if (before) { before(); }
      datas.forEach(function (data, i) { show(chunk[i], data); });
      more.hidden = left === 0;
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 200);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  Object.keys(selects).forEach(function (name) { selects[name].addEventListener("change", run); });
  more.addEventListener("click", function () { showMore(generation); });

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; run(); }
  input.focus();
})();
