/* Search over the Pagefind index, shown in Material's search panel.
 *
 * Pagefind loads only the index chunks a query needs. Results show 索引号, 发布机构 and 发布日期; facets narrow
 * by 分类, 年份, 发布机构 and 主题分类. A full 索引号 or 文号 is matched exactly through a hashed token that the
 * generator writes into each record's search entry (generator/search.py, render.py: exact_token), because word
 * segmentation would otherwise split it into common pieces such as "2025".
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

  function renderItem(data) {
    var m = data.meta || {};
    var facts = [m["索引号"] && "索引号：" + m["索引号"], m["发布机构"], m["发布日期"] && "发布日期：" + m["发布日期"]]
      .filter(Boolean).map(escapeHtml).join(" ｜ ");
    return '<li class="md-search-result__item"><a href="' + escapeHtml(data.url) +
      '" class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset">' +
      "<h1>" + escapeHtml(m.title || data.url) + '</h1><p class="gk-result-facts">' + facts + "</p>" +
      "<p>" + data.excerpt.replace(/gkexact[0-9a-f]{8}/g, "") + "</p></article></a></li>";
  }

  function showMore() {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    var mine = generation;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return false;
      list.insertAdjacentHTML("beforeend", items.map(renderItem).join(""));
      current.shown += batch.length;
      more.hidden = current.shown >= current.results.length;
      return true;
    });
  }

  function run() {
    var mine = ++generation;
    var query = input.value.trim();
    var filters = activeFilters();
    // Browsing without words belongs to the catalogue (sorted, paginated); the index carries no date sort,
    // which keeps the first download small.
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
        ? pf.search(exactToken(query), { filters: filters }).then(withoutHidden) : Promise.resolve(null);
      return exact.then(function (hit) {
        if (hit && hit.results.length) return hit;
        return pf.search(query, { filters: filters }).then(withoutHidden);
      });
    }).then(function (search) {
      if (mine !== generation || !search) return;
      current = { results: search.results, shown: 0 };
      list.innerHTML = "";
      // Status, facets and the first results appear together, so what is read is never half-updated.
      return showMore().then(function (fresh) {
        if (!fresh) return;
        statusLine.textContent = search.results.length
          ? "找到 " + search.results.length + " 条相关信息"
          : "没有找到相关信息，请换个关键词或减少筛选条件";
        renderFacets(search.filters);
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
