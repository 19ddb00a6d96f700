/* Search over the Pagefind index, shown in Material's search panel.
 *
 * Pagefind loads only the index chunks a query needs. Results show 索引号, 发布机构 and 发布日期; facets narrow
 * by 分类, 年份, 发布机构 and 主题分类. A full 索引号 or 文号 is matched exactly through a hashed token that the
 * generator writes into each record's search entry (generator/search.py, render.py: exact_token), because word
 * segmentation would otherwise split it into common pieces such as "2025".
 *
 * Words: the index holds pairs of neighbouring characters (generator/search_words.py), and a query is turned
 * into the same pairs here (queryUnits), each unit searched as an exact phrase: a record is found only when it
 * holds every unit of the query as typed; a unit of one character counts only when it is the whole query.
 * Ranking: records whose title or 主题词 hold every unit first, then those holding the whole query as one
 * phrase, then the rest; newest first within each (or newest first overall with 按时间排序). What the ranking
 * needs of a record is in its result's id (generator/searchchunks.py), so a query fetches no more than its words.
 */
(function () {
  "use strict";
  var panel = document.querySelector("[data-gk-search]");
  if (!panel) return;
  var input = panel.querySelector("[data-gk-query]");
  var form = panel.querySelector("form");
  var list = panel.querySelector("[data-gk-results]");
  var statusLine = panel.querySelector("[data-gk-status]");
  var facetBox = panel.querySelector("[data-gk-facets]");
  var more = panel.querySelector("[data-gk-more]");
  var byTime = panel.querySelector("[data-gk-bytime]");
  var toggle = document.getElementById("__search");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var siteRoot = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var FACETS = ["分类", "年份", "发布机构", "主题分类"];
  var PAGE = 10;
  var selected = {};
  var pagefind = null;
  var loading = null;
  var generation = 0;
  var current = { results: [], shown: 0 };

  var hidden = {};
  var overlay = null;

  // Out-of-date entries leave the results, and their filter values leave the facet counts.
  function withoutHidden(search) {
    if (!search) return search;
    var kept = search.results.filter(function (r) {
      var gone = hidden[r.id];
      if (gone) {
        Object.keys(gone).forEach(function (name) {
          (gone[name] || []).forEach(function (value) {
            if (search.filters && search.filters[name] && search.filters[name][value] > 0) search.filters[name][value]--;
          });
        });
      }
      return !gone;
    });
    search.results = kept;
    return search;
  }

  function load() {
    if (!loading) {
      overlay = fetch(new URL("pagefind/gk-overlay.json", siteRoot).href)
        .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
      loading = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pf) {
        // noWorker: searching on the page itself saves the worker script (12 KB) on a reader's first query.
        return pf.options({ baseUrl: siteRoot.pathname, excerptLength: 36, noWorker: true }).then(function () {
          return pf.init();
        }).then(function () {
          // Large sites are indexed in shards: merge the others into the first.
          var shards = (panel.getAttribute("data-gk-shards") || "").split(" ").filter(Boolean);
          return overlay.then(function (o) {
            // Records changed since their shard was indexed: their new entries are in a delta index, their
            // old ones are hidden (generator/search.py write_search_index).
            hidden = o.hidden || {};
            if (o.delta) shards.push(o.delta);
            return Promise.all(shards.map(function (dir) {
              return pf.mergeIndex(new URL(dir + "/", siteRoot).href, { baseUrl: siteRoot.pathname, noWorker: true });
            }));
          });
        }).then(function () {
          pagefind = pf;
          return pf;
        });
      }).catch(function () {
        statusLine.textContent = "搜索暂时不可用，请通过信息公开目录查找。";
        throw new Error("pagefind unavailable");
      });
    }
    return loading;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // FNV-1a over UTF-8: the same function as generator/render.py exact_token().
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return ("0000000" + hash.toString(16)).slice(-8);
  }

  function normalise(text) {
    return text.replace(/\s+/g, "").replace(/[\[［【(（]/g, "〔").replace(/[\]］】)）]/g, "〕").toUpperCase();
  }

  function exactToken(query) {
    return "gkexact" + fnv1a(normalise(query));
  }

  function activeFilters() {
    var filters = {};
    Object.keys(selected).forEach(function (name) { if (selected[name]) filters[name] = selected[name]; });
    return filters;
  }

  // The four shared facets first, then those a category declares (_category.yml facets), in name order.
  function facetNames(counts) {
    var declared = Object.keys(counts || {}).filter(function (name) { return FACETS.indexOf(name) < 0; }).sort();
    return FACETS.concat(declared);
  }

  // Facets need Pagefind's filter index (tens of KB on a large site): it is fetched only when a reader asks
  // for filters, so a first query on a slow link transfers the results and nothing else.
  var facetsWanted = false;

  function renderFacets(counts) {
    if (!facetsWanted) {
      facetBox.innerHTML = '<button type="button" class="gk-facet-open" data-gk-open-facets>按分类、年份、发布机构筛选</button>';
      return;
    }
    facetBox.innerHTML = facetNames(counts).map(function (name) {
      var values = Object.keys((counts && counts[name]) || {}).filter(function (v) {
        return counts[name][v] > 0 || selected[name] === v;
      }).sort();
      if (name === "年份") values.reverse();
      if (!values.length && !selected[name]) return "";
      var options = values.map(function (v) {
        var n = counts[name][v];
        return '<option value="' + escapeHtml(v) + '"' + (selected[name] === v ? " selected" : "") + ">" +
          escapeHtml(v) + "（" + n + "）</option>";
      }).join("");
      // Declared facet names are county data: escaped like every value.
      return '<label class="gk-facet"><span>' + escapeHtml(name) + '</span><select data-facet="' + escapeHtml(name) + '">' +
        '<option value="">全部</option>' + options + "</select></label>";
    }).join("");
  }

  // --- Query words: the same rules as generator/search_words.py (keep the two in step) -------------------
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var TRANSPARENT = /["'“”‘’「」『』《》〈〉]/gu;

  function clean(text) {
    return text.normalize("NFKC").toLowerCase().replace(TRANSPARENT, "");
  }

  // Elements (Han characters and letter-digit runs) of each segment, as in search_words.segments.
  function segments(text) {
    var element = new RegExp("[" + HAN + "]|[0-9a-z]+(?:\\.[0-9]+)*", "gu");
    var out = [], current = [], end = null, m;
    text = clean(text);
    while ((m = element.exec(text))) {
      if (end !== null && m.index !== end) { out.push(current); current = []; }
      current.push(m[0]);
      end = m.index + m[0].length;
    }
    if (current.length) out.push(current);
    return out;
  }

  function isAscii(e) { return /^[\x00-\x7f]+$/.test(e); }

  // A character as its code point in hex: pairs are ASCII words, which no segmenter splits.
  function code(c) { return ("0000" + c.codePointAt(0).toString(16)).slice(-5); }

  // A letter-digit run as an index word (search_words.run_word): behind xx when it starts with x.
  function runWord(e) { return /^x/.test(e) ? "xx" + e : e; }

  // The index words a unit must show consecutively.
  function phrase(elements) {
    var words = [];
    elements.forEach(function (e, i) {
      if (isAscii(e)) words.push(runWord(e));
      if (i + 1 < elements.length) words.push("x" + code(Array.from(e).pop()) + code(elements[i + 1]));
    });
    return words;
  }

  // A result's id is its fragment's name (generator/searchchunks.py): prefix-titles.day[.count], in base 36 —
  // how many of the record's first index words are its title's and 主题词's (TITLE_WORDS), its 发布日期 as a day
  // number, and where records share both, a count that tells them apart.
  function idPart(id, n) {
    var part = id.slice(id.indexOf("-") + 1).split(".")[n];
    return part ? parseInt(part, 36) || 0 : 0;
  }

  function titleWords(id) {
    return idPart(id, 0);
  }

  // Newest first; a day's records in the order of their ids (steady from one query to the next).
  function newer(a, b) {
    return idPart(b, 1) - idPart(a, 1) || (a < b ? -1 : a > b ? 1 : 0);
  }

  // Whether a search found the record among its title words. Pagefind's exact search gives the places of its
  // first match: the phrase is in the title when that match lies wholly among the title words (one that starts
  // in the title and ends after it is first only when no match lies wholly in it). A prefix search (one
  // character) gives the places of every word it matched: one among the title words is enough.
  function foundInTitle(result, exact) {
    var at = result.words || [], n = titleWords(result.id);
    var inside = function (w) { return w < n; };
    return exact ? at.length > 0 && at.every(inside) : at.some(inside);
  }

  // A prefix search finds words only in the index chunks fetched before it. A chunk's lower bound is a pair's
  // first character and the first PROBE_DIGITS hex digits of its second's code (its first digit alone beyond
  // ffff), or the word itself (generator/search_words.py chunk_start): for one character, every bound that can
  // begin with it is fetched. Only those a second element's code can give (a letter or digit, or a Han character
  // of HAN's ranges): Pagefind walks its whole chunk list for each probe that names no chunk.
  var PROBE_DIGITS = 3;
  var SECOND_CODES = [[0x30, 0x7a], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x3134f]];
  function probes(prefix) {
    var terms = [prefix];
    SECOND_CODES.forEach(function (range) {
      var digits = range[0] > 0xffff ? 1 : PROBE_DIGITS, shift = 4 * (5 - digits);
      for (var i = range[0] >> shift; i <= range[1] >> shift; i++) {
        var term = prefix + ("0000" + i.toString(16)).slice(-digits);
        if (terms.indexOf(term) < 0) terms.push(term);
      }
    });
    return terms.join(" ");
  }

  // The units of a query: its segments, without those of one character unless the query is that character.
  function queryUnits(query) {
    var all = segments(query);
    var flat = all.reduce(function (a, s) { return a.concat(s); }, []);
    if (flat.length === 1 && Array.from(flat[0]).length === 1) return { single: flat[0], units: [all[0]] };
    return { single: null, units: all.filter(function (s) { return s.join("").length > 1 || s.length > 1; }) };
  }

  function ids(search) {
    var set = {};
    search.results.forEach(function (r) { set[r.id] = r; });
    return set;
  }

  function intersect(sets) {
    return Object.keys(sets[0]).filter(function (id) {
      return sets.every(function (s) { return id in s; });
    });
  }

  // Every record holding all units, ranked; resolves to {results, filters}.
  function rankedSearch(pf, query, filters) {
    var parsed = queryUnits(query);
    if (!parsed.units.length) return Promise.resolve({ results: [], filters: {}, tooShort: true });
    var find = function (term) { return pf.search(term, { filters: filters }).then(withoutHidden); };
    var exactTerm = function (words) { return '"' + words.join(" ") + '"'; };
    var units = parsed.units;
    // Every search is exact ("quoted"): Pagefind replaces a word it lacks by the longest prefix it has. One Han
    // character is the prefix of the pairs it begins, and of its lone word where it begins none (search_words.py).
    var single = parsed.single && (isAscii(parsed.single) ? '"' + runWord(parsed.single) + '"' : "x" + code(parsed.single));
    var ready = single && single.charAt(0) !== '"' ? pf.preload(probes(single)) : Promise.resolve();
    return ready.then(function () {
      var main = single ? [find(single)] : units.map(function (u) { return find(exactTerm(phrase(u))); });
      var whole = units.length > 1 ? find(exactTerm(phrase([].concat.apply([], units)))) : null;
      return Promise.all([Promise.all(main), whole]);
    }).then(function (found) {
      var sets = found[0].map(ids);
      var kept = intersect(sets);
      var inTitle = {};
      var exact = !single || single.charAt(0) === '"';
      kept.forEach(function (id) {
        inTitle[id] = sets.every(function (s) { return foundInTitle(s[id], exact); });
      });
      var asPhrase = found[1] ? ids(found[1]) : null;
      var tier = function (id) { return inTitle[id] ? 0 : (!asPhrase || id in asPhrase) ? 1 : 2; };
      kept.sort(function (a, b) {
        return (byTime && byTime.checked ? 0 : tier(a) - tier(b)) || newer(a, b);
      });
      return {
        results: kept.map(function (id) { return sets[0][id]; }),
        // One unit: Pagefind's counts are this result's. Several: counted from the records (countFacets).
        filters: units.length === 1 ? found[0][0].filters : null,
        units: units
      };
    });
  }

  // Facet counts of a result made of several units, read from the records themselves (only when asked for).
  function countFacets(results) {
    return Promise.all(results.map(function (r) { return r.data(); })).then(function (items) {
      var counts = {};
      items.forEach(function (d) {
        Object.keys(d.filters || {}).forEach(function (name) {
          counts[name] = counts[name] || {};
          (d.filters[name] || []).forEach(function (v) { counts[name][v] = (counts[name][v] || 0) + 1; });
        });
      });
      return counts;
    });
  }

  // --- Result list ------------------------------------------------------------------------------------------
  // Where the units occur in a text, as [start, end) of the text itself (quotes inside a match are covered).
  function matches(text, units) {
    var chars = Array.from(text), flat = "", at = [];
    chars.forEach(function (c, i) {
      clean(c).split("").forEach(function (n) { flat += n; at.push(i); });
    });
    var spans = [];
    units.forEach(function (u) {
      var needle = u.join("");
      for (var p = flat.indexOf(needle); needle && p >= 0; p = flat.indexOf(needle, p + needle.length)) {
        spans.push([at[p], at[p + needle.length - 1] + 1]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    // Overlapping or touching matches are one mark (低保标准, not 低保 | 标准).
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push(s.slice());
    });
    return { chars: chars, spans: merged };
  }

  function marked(chars, spans, from, to) {
    var html = "", p = from;
    spans.forEach(function (s) {
      if (s[1] <= from || s[0] >= to) return;
      var a = Math.max(s[0], from), b = Math.min(s[1], to);
      html += escapeHtml(chars.slice(p, a).join("")) + "<mark>" + escapeHtml(chars.slice(a, b).join("")) + "</mark>";
      p = b;
    });
    return html + escapeHtml(chars.slice(p, to).join(""));
  }

  var SNIPPET = 72;

  // A passage around the first match, cut with Chinese ellipses, the matched units marked whole.
  function snippet(text, units) {
    // One passage already (search.py passage): the breaks between its paragraphs follow Chinese punctuation.
    text = String(text || "").replace(/\s+/g, " ").replace(/([。！？；：，、…）」』”])\s+/g, "$1").trim();
    var m = matches(text, units);
    var first = m.spans.length ? m.spans[0][0] : 0;
    var from = Math.max(0, first - 16), to = Math.min(m.chars.length, from + SNIPPET);
    from = Math.max(0, Math.min(from, to - SNIPPET));
    return (from > 0 ? "……" : "") + marked(m.chars, m.spans, from, to) + (to < m.chars.length ? "……" : "");
  }

  function renderItem(data, units) {
    var m = data.meta || {};
    // 索引号 and date never break inside (the publisher's name may wrap).
    var whole = function (label, value) { return value && label + '<span class="gk-nb">' + escapeHtml(value) + "</span>"; };
    var facts = [whole("索引号：", m["索引号"]), m["发布机构"] && escapeHtml(m["发布机构"]), whole("发布日期：", m["发布日期"])]
      .filter(Boolean).join(" ｜ ");
    var title = m.title || data.url;
    var t = matches(title, units);
    return '<li class="md-search-result__item"><a href="' + escapeHtml(data.url) +
      '" class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset">' +
      "<h1>" + marked(t.chars, t.spans, 0, t.chars.length) + '</h1><p class="gk-result-facts">' + facts + "</p>" +
      '<p class="gk-result-text">' + snippet(m.text, units) + "</p></article></a></li>";
  }

  function showMore() {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    var mine = generation;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return false;
      list.insertAdjacentHTML("beforeend", items.map(function (d) { return renderItem(d, current.units); }).join(""));
      current.shown += batch.length;
      more.hidden = current.shown >= current.results.length;
      return true;
    });
  }

  function run() {
    var mine = ++generation;
    var query = input.value.trim();
    var filters = activeFilters();
    // Browsing without words belongs to the catalogue (sorted, paginated), which keeps the first download small.
    if (!query) {
      list.innerHTML = "";
      more.hidden = true;
      statusLine.textContent = Object.keys(filters).length
        ? "请输入关键词；按分类、年份浏览请使用信息公开目录" : "输入关键词开始搜索";
      if (!Object.keys(filters).length) facetBox.innerHTML = "";
      return;
    }
    statusLine.textContent = "正在搜索……";
    load().then(function (pf) {
      var exact = query && !/\s/.test(query) && /\d/.test(query)
        ? pf.search('"' + exactToken(query) + '"', { filters: filters }).then(withoutHidden) : Promise.resolve(null);
      return exact.then(function (hit) {
        if (hit && hit.results.length) return { results: hit.results, filters: hit.filters, units: [] };
        return rankedSearch(pf, query, filters);
      });
    }).then(function (search) {
      if (mine !== generation || !search) return;
      current = { results: search.results, shown: 0, units: search.units || [] };
      list.innerHTML = "";
      var counted = search.filters || !facetsWanted ? Promise.resolve(search.filters) : countFacets(search.results);
      // Status, facets and the first results appear together, so what is read is never half-updated.
      return Promise.all([showMore(), counted]).then(function (done) {
        if (!done[0] || mine !== generation) return;
        statusLine.textContent = search.results.length
          ? "找到 " + search.results.length + " 条相关信息"
          : search.tooShort ? "没有找到相关信息：请输入两个字以上的词语"
            : "没有找到相关信息，请换个关键词或减少筛选条件";
        renderFacets(done[1]);
        panel.setAttribute("data-gk-done", String(mine));
      });
    }).catch(function () {});
  }

  var timer = null;
  input.addEventListener("focus", function () { toggle.checked = true; load().catch(function () {}); });
  // While a Chinese input method is composing, the box holds pinyin letters: search when the characters land.
  input.addEventListener("input", function (event) {
    if (event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("compositionend", function () { clearTimeout(timer); timer = setTimeout(run, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  form.addEventListener("reset", function () { selected = {}; setTimeout(run, 0); input.focus(); });
  facetBox.addEventListener("click", function (event) {
    if (!event.target.hasAttribute("data-gk-open-facets")) return;
    facetsWanted = true;
    facetBox.textContent = "正在载入筛选条件……";
    load().then(function (pf) { return pf.filters(); }).then(run);
  });
  facetBox.addEventListener("change", function (event) {
    var name = event.target.getAttribute("data-facet");
    if (name) { selected[name] = event.target.value; run(); }
  });
  more.addEventListener("click", showMore);
  if (byTime) byTime.addEventListener("change", run);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) { toggle.checked = false; input.blur(); }
    if (event.key === "/" && document.activeElement !== input && !/input|textarea|select/i.test(document.activeElement.tagName)) {
      event.preventDefault();
      input.focus();
    }
  });
  // ?q= in the address opens the panel with that query (a link from elsewhere on the portal).
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; toggle.checked = true; run(); }
})();
