/* Search in the offline copy (build --offline), in Material's search panel, without a server.
 *
 * Opened from file://, a browser refuses ES modules, fetch and WebAssembly, so Pagefind cannot run. This script
 * reads a small index of titles, 索引号 and 文号 (search/offline-index.js, written by generator/offline.py) that
 * it loads as a plain script on first use, and filters by the four facets. A full 索引号 or 文号 is matched
 * after the same normalisation as the online search (gk-search.js): spaces removed, brackets as 〔〕.
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
  // Results here are always newest first (after an exact 索引号 or 文号): the online sort switch has no job.
  var byTime = panel.querySelector("[data-gk-bytime]");
  if (byTime) (byTime.closest("label") || byTime).remove();
  var config = JSON.parse(document.getElementById("__config").textContent);
  var siteRoot = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var PAGE = 20;
  var selected = {};
  var index = null;
  var loading = null;
  var generation = 0;
  var current = [];
  var shown = 0;

  function load() {
    if (index) return Promise.resolve(index);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("search/offline-index.js", siteRoot).href;
        script.onload = function () { index = window.GK_OFFLINE_INDEX; index ? resolve(index) : reject(); };
        script.onerror = reject;
        document.head.appendChild(script);
      }).catch(function () {
        statusLine.textContent = "搜索暂时不可用，请通过信息公开目录查找。";
        loading = null;
        throw new Error("offline index unavailable");
      });
    }
    return loading;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function normalise(text) {
    return String(text).replace(/\s+/g, "").replace(/[\[［【(（]/g, "〔").replace(/[\]］】)）]/g, "〕").toUpperCase();
  }

  // Fields of a record in the index: title, 索引号, 文号, page, date, publisher, then one position per facet.
  function facetValue(record, i) {
    return index.values[index.facets[i]][record[6 + i]];
  }

  function matches(record, words, whole) {
    if (whole && (normalise(record[1]) === whole || (record[2] && normalise(record[2]) === whole))) return 2;
    var text = normalise(record[0] + " " + record[1] + " " + record[2] + " " + record[5]);
    for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) < 0) return 0;
    return 1;
  }

  function filtered(records) {
    return records.filter(function (record) {
      return index.facets.every(function (name, i) { return !selected[name] || facetValue(record, i) === selected[name]; });
    });
  }

  function renderFacets(found) {
    facetBox.innerHTML = index.facets.map(function (name, i) {
      var counts = {};
      found.forEach(function (record) {
        var others = index.facets.every(function (other, j) { return j === i || !selected[other] || facetValue(record, j) === selected[other]; });
        if (others) counts[facetValue(record, i)] = (counts[facetValue(record, i)] || 0) + 1;
      });
      var values = Object.keys(counts).sort();
      if (name === "年份") values.reverse();
      if (!values.length && !selected[name]) return "";
      var options = values.map(function (v) {
        return '<option value="' + escapeHtml(v) + '"' + (selected[name] === v ? " selected" : "") + ">" +
          escapeHtml(v) + "（" + counts[v] + "）</option>";
      }).join("");
      return '<label class="gk-facet"><span>' + escapeHtml(name) + '</span><select data-facet="' + escapeHtml(name) + '">' +
        '<option value="">全部</option>' + options + "</select></label>";
    }).join("");
  }

  function renderItem(record) {
    var facts = ["索引号：" + record[1], record[5], "发布日期：" + record[4]].map(escapeHtml).join(" ｜ ");
    return '<li class="md-search-result__item"><a href="' + escapeHtml(new URL(record[3], siteRoot).href) +
      '" class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset">' +
      "<h1>" + escapeHtml(record[0]) + '</h1><p class="gk-result-facts">' + facts + "</p>" +
      (record[2] ? "<p>文号：" + escapeHtml(record[2]) + "</p>" : "") + "</article></a></li>";
  }

  function showMore() {
    list.insertAdjacentHTML("beforeend", current.slice(shown, shown + PAGE).map(renderItem).join(""));
    shown = Math.min(current.length, shown + PAGE);
    more.hidden = shown >= current.length;
  }

  function run() {
    var mine = ++generation;
    var query = input.value.trim();
    if (!query) {
      list.innerHTML = "";
      facetBox.innerHTML = "";
      more.hidden = true;
      statusLine.textContent = "输入标题中的词语、索引号或文号开始搜索";
      return;
    }
    statusLine.textContent = "正在搜索……";
    load().then(function () {
      if (mine !== generation) return;
      var whole = normalise(query);
      var words = query.split(/\s+/).map(normalise).filter(Boolean);
      var scored = [];
      index.records.forEach(function (record) {
        var score = matches(record, words, whole);
        if (score) scored.push([score, record]);
      });
      // An exact 索引号 or 文号 first; then newest first, as the catalogue lists them.
      scored.sort(function (a, b) { return b[0] - a[0] || (a[1][4] < b[1][4] ? 1 : a[1][4] > b[1][4] ? -1 : 0); });
      var found = scored.map(function (pair) { return pair[1]; });
      current = filtered(found);
      shown = 0;
      list.innerHTML = "";
      showMore();
      statusLine.textContent = current.length ? "找到 " + current.length + " 条相关信息（离线版只搜索标题、索引号和文号）"
        : "没有找到相关信息，请换个关键词或减少筛选条件";
      renderFacets(found);
      panel.setAttribute("data-gk-done", String(mine));
    }).catch(function () {});
  }

  var timer = null;
  input.addEventListener("focus", function () { toggle.checked = true; load().catch(function () {}); });
  input.addEventListener("input", function (event) {
    if (event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("compositionend", function () { clearTimeout(timer); timer = setTimeout(run, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  form.addEventListener("reset", function () { selected = {}; setTimeout(run, 0); input.focus(); });
  facetBox.addEventListener("change", function (event) {
    var name = event.target.getAttribute("data-facet");
    if (name) { selected[name] = event.target.value; run(); }
  });
  more.addEventListener("click", showMore);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) { toggle.checked = false; input.blur(); }
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; toggle.checked = true; run(); }
})();
