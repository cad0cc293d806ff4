// Archive search logic, free of any page markup: query → Pagefind query, exact-substring
// checking, facet counts, excerpts. search.js draws the page; the tests import this file.
//
// Pagefind cuts Chinese pages with jieba when indexing but the query with the browser's
// Intl.Segmenter, and the two disagree (送温暖, 门头沟区总工会), so articles containing the
// query can be missed. newsroom/searchindex.py therefore adds to every indexed page one
// token per distinct pair of neighbouring Han characters; here a query becomes the same
// tokens, Pagefind returns the pages holding all of them (a superset of the pages that
// contain the query), and only pages whose text really contains it are kept.

export const HAN_FIRST = 0x3400;
export const HAN_LAST = 0x9fff;
const HAN_SPAN = HAN_LAST - HAN_FIRST + 1;
const TOKEN_LETTERS = 7;
export const BIGRAM_MARKER = "zzbigramszz";
const HAN_RUN = /[\u3400-\u9fff]{2,}/g;
const HAN_PAIR = /^[\u3400-\u9fff]{2}$/;

export const FACETS = ["district", "topic", "reporter", "year", "pagename"];
// Results whose text is checked all at once (so counts are exact); above this the
// check runs page by page and the counts are Pagefind's (an upper bound).
export const CHECK_ALL_LIMIT = 60;

export function bigramToken(first, second) {
  let value = (first.codePointAt(0) - HAN_FIRST) * HAN_SPAN + (second.codePointAt(0) - HAN_FIRST);
  let token = "";
  for (let i = 0; i < TOKEN_LETTERS; i += 1) {
    token = String.fromCharCode(97 + (value % 26)) + token;
    value = Math.floor(value / 26);
  }
  return token;
}

export function bigramTokens(text) {
  const tokens = new Set();
  for (const run of text.match(HAN_RUN) || []) {
    for (let i = 0; i + 1 < run.length; i += 1) tokens.add(bigramToken(run[i], run[i + 1]));
  }
  return [...tokens].sort();
}

// What to ask Pagefind for a query string, and whether its answer must be checked.
export function planQuery(raw) {
  const terms = (raw || "").split(/\s+/u).filter(Boolean);
  if (!terms.length) return { terms, query: null, check: false };
  const tokens = new Set();
  let check = false;
  for (const term of terms) {
    const own = bigramTokens(term);
    own.forEach((t) => tokens.add(t));
    // A lone pair of Han characters is exactly one token: Pagefind's answer is exact.
    if (!HAN_PAIR.test(term)) check = true;
  }
  if (!tokens.size) return { terms, query: terms.join(" "), check: true };
  return { terms, query: [...tokens].sort().join(" "), check };
}

export function indexedText(data) {
  // The build already cuts the bigram block and Pagefind's zero-width word breaks
  // (newsroom/pagefind_files.py); cutting again keeps an unfinished bundle usable.
  const content = (data.content || "").replace(/\u200b/g, "");
  const at = content.indexOf(BIGRAM_MARKER);
  return (at < 0 ? content : content.slice(0, at)).trim();
}

export function containsAll(text, terms) {
  const lower = text.toLowerCase();
  return terms.every((term) => lower.includes(term.toLowerCase()));
}

function monthsBetween(months, from, to) {
  return months.filter((m) => (!from || m >= from) && (!to || m <= to));
}

// Pagefind filter object for the selected facets and month range (other than `skip`).
export function pagefindFilters(state, months, skip = null) {
  const filters = {};
  for (const facet of FACETS) {
    if (facet !== skip && state[facet] && state[facet].length) filters[facet] = { any: [...state[facet]] };
  }
  if (skip !== "month" && (state.from || state.to)) {
    filters.month = { any: monthsBetween(months, state.from, state.to) };
    if (!filters.month.any.length) filters.month.any = ["无"];
  }
  return filters;
}

function passes(filters, state, months, skip) {
  for (const facet of FACETS) {
    if (facet === skip || !state[facet] || !state[facet].length) continue;
    const have = filters[facet] || [];
    if (!state[facet].some((v) => have.includes(v))) return false;
  }
  if (state.from || state.to) {
    const month = (filters.month || [])[0] || "";
    if ((state.from && month < state.from) || (state.to && month > state.to)) return false;
  }
  return true;
}

// Facet counts over checked results: a value's count is the number of results it would
// give with the other facets' selections kept.
export function countFacets(items, state, months) {
  const counts = {};
  for (const facet of FACETS) {
    counts[facet] = {};
    for (const item of items) {
      if (!passes(item.data.filters || {}, state, months, facet)) continue;
      for (const value of (item.data.filters || {})[facet] || []) {
        counts[facet][value] = (counts[facet][value] || 0) + 1;
      }
    }
  }
  return counts;
}

// The archive is one Pagefind bundle per period (shard), listed newest first in
// shards.json (newsroom/searchindex.py). Pagefind's own mergeIndex joins bundles into one
// search: the newest shard is opened first (with the one copy of the WebAssembly) and
// the others are merged in only when a search needs them, so a search limited to some
// years or months does not download the other shards' files.
export async function openArchive(bundleDir, { baseUrl } = {}) {
  const dir = bundleDir.endsWith("/") ? bundleDir : `${bundleDir}/`;
  const manifest = await (await fetch(`${dir}shards.json`)).json();
  const shards = manifest.shards || [];
  const api = await import(`${dir}pagefind.js`);
  if (!shards.length) return emptyArchive();
  const options = { excerptLength: 30, ...(baseUrl ? { baseUrl } : {}) };
  // No web worker: it would cost a 40 KB download before the first result.
  const pagefind = api.createInstance({ basePath: dir + shards[0].path, noWorker: true, ...options });
  await pagefind.init();
  const merged = new Map([[shards[0].id, Promise.resolve()]]);
  return {
    shards,
    // True when a newest-first search needs older shards that are not merged yet: the
    // page can then draw the newest shard's results first (see search.js).
    newestFirst(state) {
      const needed = shardsFor(shards, state);
      return state.sort !== "oldest" && needed.length > 1 && needed[0] === shards[0]
        && needed.some((shard) => !merged.has(shard.id));
    },
    // Merge the shards a search needs; every merge begun so far is awaited, since
    // Pagefind searches all merged bundles, finished or not.
    async ensure(state) {
      for (const shard of shardsFor(shards, state)) {
        if (!merged.has(shard.id)) merged.set(shard.id, pagefind.mergeIndex(dir + shard.path, options));
      }
      await Promise.all(merged.values());
    },
    search: (term, opts) => pagefind.search(term, opts),
    // Loads the filter files of the shards the state needs (all by default): Pagefind
    // counts filter values only once their files are loaded.
    async filters(state = {}) {
      await this.ensure(state);
      return pagefind.filters();
    },
  };
}

function emptyArchive() {
  const none = { results: [], filters: {}, totalFilters: {}, unfilteredResultCount: 0 };
  return { shards: [], newestFirst: () => false, ensure: async () => {}, search: async () => none,
    filters: async () => ({}) };
}

// The shards that can hold results for the state's years and month range (all without them).
export function shardsFor(shards, state) {
  const years = state.year || [];
  return shards.filter((shard) => (!state.from || shard.to >= state.from) && (!state.to || shard.from <= state.to)
    && (!years.length || years.some((year) => shard.from.slice(0, 4) <= year && year <= shard.to.slice(0, 4))));
}

async function loadAll(results, from, to) {
  const slice = results.slice(from, to);
  return Promise.all(slice.map(async (result) => ({ result, data: await result.data() })));
}

// Run one search. Returns {items: [{data}], total, exact, counts, more(n)}: `items` are
// checked results in date order; `more(n)` returns at least n checked items if there are.
// `newestOnly`: search only what is merged already (the newest shard on a first search).
export async function runSearch(pagefind, state, months, { checkAllLimit = CHECK_ALL_LIMIT, newestOnly = false } = {}) {
  const plan = planQuery(state.q);
  if (pagefind.ensure && !newestOnly) await pagefind.ensure(state);
  const sort = { date: state.sort === "oldest" ? "asc" : "desc" };
  const filters = pagefindFilters(state, months);
  if (plan.query === null) {
    const search = await pagefind.search(null, { filters, sort });
    return pagedResults(inDateOrder(search.results, sort), plan, null, true,
      () => facetCounts(pagefind, null, state, months, sort));
  }
  const broad = await pagefind.search(plan.query, { sort });
  broad.results = inDateOrder(broad.results, sort);
  if (broad.results.length <= checkAllLimit) {
    // Few candidates: check them all, then filter and count here (exact counts).
    let items = await loadAll(broad.results, 0, broad.results.length);
    if (plan.check) items = items.filter((item) => containsAll(indexedText(item.data), plan.terms));
    const counts = countFacets(items, state, months);
    items = items.filter((item) => passes(item.data.filters || {}, state, months, null));
    return { items, total: items.length, exact: true, counts, more: async () => items, recount: async () => counts };
  }
  const search = Object.keys(filters).length ? await pagefind.search(plan.query, { filters, sort }) : broad;
  search.results = inDateOrder(search.results, sort);
  // Counts come later (recount): Pagefind counts only filters whose files are loaded.
  return pagedResults(search.results, plan, null, !plan.check,
    () => facetCounts(pagefind, plan.query, state, months, sort));
}

// Pagefind counts each filter value within the current results; for a facet with a
// selection, its own values are counted without that selection, as countFacets does.
// (For a query that needs the exact check these are counts of candidates: upper bounds.)
async function facetCounts(pagefind, query, state, months, sort) {
  const counts = (await pagefind.search(query, { filters: pagefindFilters(state, months), sort })).filters;
  for (const facet of FACETS) {
    if (!state[facet] || !state[facet].length) continue;
    const others = await pagefind.search(query, { filters: pagefindFilters(state, months, facet), sort });
    counts[facet] = others.filters[facet];
  }
  return counts;
}

// The build numbers each shard's pages by date and names each fragment after its shard
// and number in base 36 (2024_1a: newsroom/pagefind_files.py), and leaves Pagefind's date
// sort list out: results are put in date order here, shard by shard (shard names sort by
// period) and by number within a shard. An unfinished bundle keeps Pagefind's hash names
// and its sort list (zh-cn_6c19591: a language, not a shard); Pagefind's own order
// (asked for with `sort`) is kept then.
const FRAGMENT_NAME = /^(\d{4}(?:-\d{2})?)_([0-9a-z]+)$/;
export function inDateOrder(results, sort) {
  const keys = new Map(results.map((r) => [r, FRAGMENT_NAME.exec(r.id)]));
  if ([...keys.values()].some((key) => !key)) return results;
  const sign = sort.date === "asc" ? 1 : -1;
  return [...results].sort((a, b) => {
    const [, shardA, numberA] = keys.get(a);
    const [, shardB, numberB] = keys.get(b);
    if (shardA !== shardB) return sign * (shardA < shardB ? -1 : 1);
    return sign * (parseInt(numberA, 36) - parseInt(numberB, 36));
  });
}

function pagedResults(results, plan, counts, exact, recount = async () => counts) {
  const items = [];
  let next = 0;
  const out = {
    items,
    total: results.length,
    exact,
    counts,
    // Pagefind's counts, once the filter files are loaded (pagefind.filters()).
    recount,
    async more(wanted) {
      while (items.length < wanted && next < results.length) {
        const batch = await loadAll(results, next, next + Math.max(10, wanted - items.length));
        next += batch.length;
        for (const item of batch) {
          if (!plan.check || containsAll(indexedText(item.data), plan.terms)) items.push(item);
        }
      }
      if (next >= results.length) {
        out.total = items.length;
        out.exact = true;
      }
      return items;
    },
  };
  return out;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// `text` escaped, every occurrence of a term in <mark> (the longest term first where they overlap).
export function markHtml(text, terms) {
  const lower = text.toLowerCase();
  const marks = new Array(text.length).fill(false);
  for (const term of terms.map((t) => t.toLowerCase()).filter(Boolean).sort((a, b) => b.length - a.length)) {
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
      for (let i = at; i < at + term.length; i += 1) marks[i] = true;
    }
  }
  let html = "";
  let open = false;
  for (let i = 0; i < text.length; i += 1) {
    if (marks[i] && !open) { html += "<mark>"; open = true; }
    if (!marks[i] && open) { html += "</mark>"; open = false; }
    html += escapeHtml(text[i]);
  }
  return open ? `${html}</mark>` : html;
}

// An escaped excerpt of `text` around the first match, every match in <mark>.
export function excerptHtml(text, terms, width = 90) {
  const lower = text.toLowerCase();
  let first = -1;
  for (const term of terms.map((t) => t.toLowerCase()).filter(Boolean)) {
    const at = lower.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = first < 0 ? 0 : Math.max(0, first - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  return (start > 0 ? "…" : "") + markHtml(text.slice(start, end), terms) + (end < text.length ? "…" : "");
}
