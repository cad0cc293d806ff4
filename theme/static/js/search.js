// The /search/ page: reads the query and filters from the URL, asks Pagefind (through
// search-core.js), draws results and facets, and writes every change back to the URL so
// that a search can be bookmarked and cited (/search/?q=送温暖&district=门头沟区).
import { FACETS, runSearch, indexedText, excerptHtml, markHtml, planQuery, openArchive } from "./search-core.js";

const PAGE_SIZE = 10; // each result shown costs one fragment download
const FACET_LABELS = { district: "地区", topic: "专题", reporter: "记者", year: "年份", pagename: "版名" };
const root = document.getElementById("search-app");
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const facetsBox = document.getElementById("search-facets");
const fromSelect = document.getElementById("search-from");
const toSelect = document.getElementById("search-to");
const sortSelect = document.getElementById("search-sort");
const moreButton = document.getElementById("search-more");
const filterBox = document.getElementById("search-filter-box");
const filterSummary = document.getElementById("search-filter-summary");
// Same width as the one-column layout in search.css.
const narrow = window.matchMedia("(max-width: 48rem)");

let pagefind = null;
let months = [];
let current = null;
let shown = PAGE_SIZE;
let generation = 0;

function readState() {
  const params = new URLSearchParams(window.location.search);
  const state = { q: (params.get("q") || "").trim(), from: params.get("from") || "", to: params.get("to") || "",
    sort: params.get("sort") === "oldest" ? "oldest" : "newest" };
  for (const facet of FACETS) state[facet] = params.getAll(facet).filter(Boolean);
  return state;
}

function urlOf(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const facet of FACETS) for (const value of state[facet]) params.append(facet, value);
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  if (state.sort === "oldest") params.set("sort", "oldest");
  const query = params.toString();
  return window.location.pathname + (query ? `?${query}` : "");
}

function stateFromPage() {
  const state = { q: input.value.trim(), from: fromSelect.value, to: toSelect.value, sort: sortSelect.value };
  for (const facet of FACETS) {
    state[facet] = [...facetsBox.querySelectorAll(`input[name="${facet}"]:checked`)].map((box) => box.value);
  }
  return state;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawFacets(state, counts) {
  // Redrawing replaces the checkboxes; a keyboard user who just toggled one keeps focus on it.
  const focused = facetsBox.contains(document.activeElement) ? document.activeElement : null;
  const refocus = focused && focused.name ? [focused.name, focused.value] : null;
  facetsBox.replaceChildren();
  for (const facet of FACETS) {
    const values = Object.entries(counts[facet] || {}).filter(([, n]) => n > 0);
    for (const selected of state[facet]) if (!values.some(([v]) => v === selected)) values.push([selected, 0]);
    if (!values.length) continue;
    if (facet === "year") values.sort((a, b) => b[0].localeCompare(a[0]));
    else values.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"));
    // Selected values first, so a long list never scrolls a ticked box out of sight.
    values.sort((a, b) => Number(state[facet].includes(b[0])) - Number(state[facet].includes(a[0])));
    const box = element("fieldset", `facet facet-${facet}`);
    box.append(element("legend", "", FACET_LABELS[facet]));
    const options = element("ul", "facet-values");
    for (const [value, count] of values) {
      const item = element("li");
      const label = element("label");
      const check = element("input");
      check.type = "checkbox";
      check.name = facet;
      check.value = value;
      check.checked = state[facet].includes(value);
      label.append(check, element("span", "facet-name", value), element("span", "facet-count", String(count)));
      item.append(label);
      options.append(item);
    }
    box.append(options);
    facetsBox.append(box);
  }
  if (refocus) {
    const again = [...facetsBox.querySelectorAll("input")].find((box) => box.name === refocus[0] && box.value === refocus[1]);
    if (again) again.focus();
  }
}

function drawItem(item, terms) {
  const data = item.data;
  const meta = data.meta || {};
  const li = element("li", "search-result");
  // markHtml escapes the text; its only markup is <mark>.
  if (meta.kicker) {
    const kicker = element("p", "kicker");
    kicker.innerHTML = markHtml(meta.kicker, terms);
    li.append(kicker);
  }
  const heading = element("h2", "search-result-title");
  const link = element("a");
  link.innerHTML = markHtml(meta.title || data.url, terms);
  link.href = data.url;
  heading.append(link);
  li.append(heading);
  const line = element("p", "search-result-meta");
  if (meta.date) {
    const time = element("time", "", meta.date);
    time.dateTime = meta.date;
    line.append(time);
  }
  if (meta.district) line.append(element("span", "search-result-district", meta.district));
  // An article with a page image: a link to its printed page, its area highlighted there.
  const pageArea = meta.pagearea ? new URL(meta.pagearea, location.href) : null;
  if (pageArea && (pageArea.protocol === "https:" || pageArea.protocol === "http:")) {
    const onPage = element("a", "search-result-page", `在版面上看${meta.pagelabel ? "（" + meta.pagelabel + "）" : ""}`);
    onPage.href = pageArea.href;
    line.append(onPage);
  }
  li.append(line);
  // Pagefind joins the indexed blocks with ". "; show them joined by a space instead.
  const text = indexedText(data).replace(/([^\x00-\x7f]) ?\. /g, "$1 ");
  const title = meta.title || "";
  // The excerpt comes from what follows the headline (subtitle and body), where it can.
  const body = title && text.includes(title) ? text.slice(text.indexOf(title) + title.length).trim() : text;
  const excerpt = element("p", "search-result-excerpt");
  excerpt.innerHTML = excerptHtml(body || text, terms);
  li.append(excerpt);
  return li;
}

// Only terms with two or more neighbouring Han characters are found in full (bigram
// tokens, docs/search.md); a lone character goes to Pagefind as it is and misses pages
// where it is only the end of a word (工 in 职工). Say so rather than let an archivist
// take the list as complete.
const SINGLE_CHARACTER_HINT = "（单个汉字检索可能不全，请输入两个字以上的词语。）";
// Only a term that is one Han character (punctuation aside): with digits or Latin letters
// beside it (3月4日, 2023年, 10个) Pagefind's own recall was complete for the nine such
// queries tried on the sample site, and the hint would only confuse.
function loneHanCharacter(terms) {
  return terms.some((term) => /^[\u3400-\u9fff]$/u.test(term.replace(/[^\p{L}\p{N}]/gu, "")));
}

async function drawResults(state, { partial = false, ready = null } = {}) {
  const mine = generation;
  const items = ready || await current.more(shown + 1); // one extra tells whether there are more
  if (mine !== generation) return;
  const terms = planQuery(state.q).terms;
  list.replaceChildren(...items.slice(0, shown).map((item) => drawItem(item, terms)));
  const quoted = state.q ? `“${state.q}”` : "";
  if (!items.length) {
    status.textContent = state.q ? `没有找到包含${quoted}的报道。请换一个词，或减少筛选条件。` : "没有符合筛选条件的报道。";
    if (loneHanCharacter(terms)) status.textContent += SINGLE_CHARACTER_HINT;
    status.className = "search-status search-empty";
  } else {
    const total = current.exact ? `${current.total}` : `约${current.total}`;
    if (partial) {
      status.textContent = state.q ? `最新的${quoted}报道如下；正在检索更早的年份……` : "最新的报道如下；正在检索更早的年份……";
    } else {
      status.textContent = state.q ? `找到${total}篇包含${quoted}的报道` : `共${total}篇报道`;
    }
    if (loneHanCharacter(terms)) status.textContent += SINGLE_CHARACTER_HINT;
    status.className = "search-status";
  }
  moreButton.hidden = partial || items.length <= shown;
  // Read by bench/search_bench.py and the browser tests: first results on screen, then done.
  if (!root.dataset.firstDrawnAt) root.dataset.firstDrawnAt = performance.now().toFixed(1);
  if (partial) return;
  root.dataset.drawnAt = performance.now().toFixed(1);
  root.dataset.state = "done";
}

async function search(state) {
  // A range picked backwards (从 2024-03 到 2023-09) means the months between: swap the
  // ends rather than report that nothing matches, and keep the URL in step.
  if (state.from && state.to && state.from > state.to) {
    [state.from, state.to] = [state.to, state.from];
    window.history.replaceState(null, "", urlOf(state));
  }
  generation += 1;
  const mine = generation;
  root.dataset.state = "busy";
  const chosen = FACETS.reduce((n, f) => n + state[f].length, 0) + (state.from || state.to ? 1 : 0);
  filterSummary.textContent = chosen ? `筛选（已选${chosen}项）` : "筛选（日期、地区、专题、记者、年份、版名）";
  input.value = state.q;
  sortSelect.value = state.sort;
  fromSelect.value = months.includes(state.from) ? state.from : "";
  toSelect.value = months.includes(state.to) ? state.to : "";
  if (!state.q && !FACETS.some((f) => state[f].length) && !state.from && !state.to) {
    list.replaceChildren();
    moreButton.hidden = true;
    status.textContent = "请输入检索词，或选择地区、专题、记者、年份、版名和日期范围。";
    status.className = "search-status";
    root.dataset.state = "done";
    root.dataset.facets = "busy";  // until the archive's counts are drawn (read by the site checks too)
    const all = await allFilters();
    // A search started meanwhile (filter files are slow on a big archive) has drawn its own
    // facets: the whole archive's counts must not overwrite them.
    if (mine !== generation) return;
    drawFacets(state, all);
    root.dataset.facets = "done";
    return;
  }
  root.dataset.facets = "busy";
  if (pagefind.newestFirst(state)) {
    // A first newest-first search: the newest shard's results come before every older
    // shard's, so when it alone fills the first screen they are drawn at once, while the
    // older shards are fetched for the total, the later results and the counts.
    const early = await runSearch(pagefind, state, months, { newestOnly: true });
    if (mine !== generation) return;
    const items = await early.more(PAGE_SIZE + 1);
    if (mine !== generation) return;
    if (items.length > PAGE_SIZE) {
      current = early;
      shown = PAGE_SIZE;
      await drawResults(state, { partial: true, ready: items });
      if (mine !== generation) return;
    }
  }
  const result = await runSearch(pagefind, state, months);
  if (mine !== generation) return;
  current = result;
  shown = PAGE_SIZE;
  if (result.counts && Object.keys(result.counts).length) drawFacets(state, result.counts);
  await drawResults(state);
  if (mine !== generation) return;
  if (!result.counts || !Object.keys(result.counts).length) {
    // Results first, counts after: the filter files are not needed to show results.
    await pagefind.filters(state);
    const counts = await result.recount();
    if (mine !== generation) return;
    drawFacets(state, counts);
  }
  root.dataset.facets = "done";
}

let filtersLoaded = null;
function allFilters() {
  if (!filtersLoaded) filtersLoaded = pagefind.filters();
  return filtersLoaded;
}

function go(state, push = true) {
  const url = urlOf(state);
  if (push && url !== window.location.pathname + window.location.search) window.history.pushState(null, "", url);
  search(state).catch(fail);
}

function fail(error) {
  status.textContent = "检索出错，请刷新页面重试。";
  status.className = "search-status search-empty";
  root.dataset.state = "error";
  throw error;
}

async function start() {
  // Result URLs are site paths; a site published under a sub-path (SITEURL) needs it in front.
  const baseUrl = new URL(root.dataset.site || "/", window.location.href).pathname;
  // The index is one bundle per period (shard); see search-core.js.
  pagefind = await openArchive(root.dataset.bundle, { baseUrl });
  // The months of the archive are written into the page at build time (search plugin).
  // Written once (into "from") to keep the page small; "to" gets a copy.
  months = [...fromSelect.options].map((option) => option.value).filter(Boolean).sort();
  toSelect.append(...[...fromSelect.options].slice(1).map((option) => option.cloneNode(true)));
  // Folded on a phone, where the filters would push the results down several screens.
  filterBox.open = !narrow.matches;
  narrow.addEventListener("change", () => { filterBox.open = !narrow.matches; });
  root.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(stateFromPage());
  });
  facetsBox.addEventListener("change", () => go(stateFromPage()));
  for (const select of [fromSelect, toSelect, sortSelect]) select.addEventListener("change", () => go(stateFromPage()));
  moreButton.addEventListener("click", () => {
    shown += PAGE_SIZE;
    drawResults(readState()).catch(fail);
  });
  window.addEventListener("popstate", () => go(readState(), false));
  go(readState(), false);
}

start().catch(fail);
