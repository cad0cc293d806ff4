"""Accessibility: axe-core finds no serious or critical violation, and the keyboard reaches everything.

axe-core runs inside Debian's Chromium on representative pages. The pages' CSP
forbids injected scripts, so only the checking context bypasses it (the site's own
scripts still run under the policy). The keyboard check presses Tab through the page
and requires every link, button and field to take focus, with a visible outline.
"""

from contextlib import nullcontext
from pathlib import Path

from sitecheck import Failure
from sitecheck.browser import chromium
from sitecheck.serve import serve

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def representative_pages(output):
    """Home, an article, an article with a photo, an issue, a district, a topic, a page view
    with its page image, the search page and the catalogue page (those that exist)."""
    output = Path(output)
    pages = ["/"]
    articles = sorted(output.glob("[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"))
    with_photo = next((a for a in articles if '<figure class="photo' in a.read_text(encoding="utf-8")), None)
    for article in dict.fromkeys(a for a in (articles[0] if articles else None, with_photo) if a):
        pages.append("/" + article.parent.relative_to(output).as_posix() + "/")
    for pattern in ("epaper/[12]*-*-*/index.html", "districts/*/index.html", "topics/*/index.html"):
        found = sorted(output.glob(pattern))
        if found:
            pages.append("/" + found[0].parent.relative_to(output).as_posix() + "/")
    # A printed page shown as its image with article areas (the page-image plugin), if any.
    page_view = next(iter(sorted(output.glob("epaper/[12]*-*-*/[0-9][0-9]/iiif/info.json"))), None)
    if page_view:
        pages.append("/" + page_view.parent.parent.relative_to(output).as_posix() + "/")
    for special in ("search", "catalogue"):
        if (output / special / "index.html").exists():
            pages.append(f"/{special}/")
    return pages


# Numbers the focusable elements not numbered yet (all of them on the first call; those a
# script drew since on a later one) and returns every one shown now: [number, html].
KEYBOARD_PROBE = """
() => {
  const candidates = document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
  );
  const shown = [];
  candidates.forEach((el) => {
    if (!el.dataset.kbIndex) el.dataset.kbIndex = String(window.__kbCount = (window.__kbCount || 0) + 1);
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const visible = style.visibility !== 'hidden' && style.display !== 'none' && (rect.width > 0 || rect.height > 0);
    if (visible || el.classList.contains('skip-link')) shown.push([el.dataset.kbIndex, el.outerHTML.slice(0, 100)]);
  });
  return shown;
}
"""

# The focused element: [number, outlined, html], numbering one the probe did not see (drawn
# later, or focusable without matching the probe's selector); null when focus is on no
# element, with whether the element focused last was taken out of the page meanwhile.
ACTIVE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return window.__kbLast && !window.__kbLast.isConnected ? 'removed' : null;
  }
  window.__kbLast = el;
  if (!el.dataset.kbIndex) el.dataset.kbIndex = String(window.__kbCount = (window.__kbCount || 0) + 1);
  const s = getComputedStyle(el);
  const outlined = (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
  return [el.dataset.kbIndex, outlined, el.outerHTML.slice(0, 100)];
}
"""

# networkidle says the files have arrived, not that the page's scripts have drawn with them:
# on a loaded machine the search page drew its facets after the probe. Wait until no widget
# says it is loading or busy and the DOM has been still for a moment (elements added or
# removed, or attributes that decide focus and visibility changed), at most a few seconds;
# returns whether it settled.
SETTLED = """
async () => {
  const quietFor = 250, giveUpAfter = 8000, start = performance.now();
  const busySelector = '[data-state="loading"]:not([hidden]), [data-state="busy"], [data-facets="busy"], [aria-busy="true"]';
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true,
    attributeFilter: ['hidden', 'disabled', 'tabindex', 'inert', 'aria-hidden', 'open', 'type', 'href', 'data-state', 'data-facets']});
  let settled = false;
  while (performance.now() - start < giveUpAfter) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!document.querySelector(busySelector) && performance.now() - last >= quietFor) { settled = true; break; }
  }
  observer.disconnect();
  return settled;
}
"""

# Presses beyond the focusable elements in the page, and a bound on the whole walk: a page
# that draws a new element on every focus would otherwise keep the check pressing Tab.
SPARE_PRESSES = 5
MAX_PRESSES = 2000


def settle(page, name):
    """Wait for the page to settle; a failure when it never does (checked as it was)."""
    if page.evaluate(SETTLED):
        return []
    return [Failure(name, "keyboard", "the page kept changing for 8 s (a script busy, or elements drawn "
                                      "or changed without end): checked as it was")]


def keyboard_failures(page, name, max_presses=MAX_PRESSES):
    """Tab through the page: every visible focusable element takes focus, visibly, and Tab
    leaves the page (or comes back to where it started) at the end."""
    page.reload(wait_until="networkidle")  # start from the top, whatever had focus before
    failures = settle(page, name)
    seen = dict(page.evaluate(KEYBOARD_PROBE))  # every element numbered and shown so far: number -> html
    reached = []
    invisible = []
    presses = 0
    ended = None
    while presses < min(len(seen) + SPARE_PRESSES, max_presses):
        presses += 1
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active == "removed":
            continue  # the element focused last was redrawn: Tab goes on from its place
        if active is None:
            if reached:
                ended = "left"  # focus left the page: the cycle is complete
                break
            continue
        index, outlined, html = active
        if index in reached:
            ended = "cycle" if index == reached[0] else f"trap: Tab came back to {seen.get(index, html)}"
            break
        reached.append(index)
        seen.setdefault(index, html)
        if not outlined:
            invisible.append(seen[index])
        # Elements drawn since the probe (or shown since) count too, for the walk's length.
        if len(reached) >= len(seen) - SPARE_PRESSES:
            seen.update(page.evaluate(KEYBOARD_PROBE))
    # Every element shown now must have been reached: those the first probe saw and those
    # drawn or shown since (an element hidden meanwhile is not asked for).
    required = dict(page.evaluate(KEYBOARD_PROBE))
    if ended is None:
        failures.append(Failure(name, "keyboard", f"Tab never left the page in {presses} presses"))
    elif ended.startswith("trap"):
        failures.append(Failure(name, "keyboard", f"focus {ended}"))
    reached_set = set(reached)
    failures += [Failure(name, "keyboard", f"not reachable by Tab: {html}")
                 for index, html in required.items() if index not in reached_set][:5]
    failures += [Failure(name, "keyboard", f"no visible focus outline: {html}") for html in invisible[:5]]
    return failures


def check(output, pages=None, max_presses=MAX_PRESSES, browser=None, **_):
    """``browser``: a Chromium (:func:`sitecheck.browser.chromium`) to check in, else one is
    started for the check: a launch and close cost ~1.7 CPU-s, so a run of several browser checks (or
    a test module) shares one. Each width is a new context either way."""
    output = Path(output).resolve()
    if not AXE.exists():
        return [Failure("-", "a11y", f"{AXE} is missing: run `npm ci --ignore-scripts`")]
    axe_source = AXE.read_text(encoding="utf-8")
    failures = []
    with serve(output) as base, (nullcontext(browser) if browser else chromium()) as browser:
        for width in (390, 1280):
            context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
            page = context.new_page()
            for url in pages or representative_pages(output):
                name = f"{url} @{width}px"
                page.goto(base + url, wait_until="networkidle")
                settled = settle(page, name)
                page.evaluate(axe_source)
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
                for violation in result["violations"]:
                    if violation.get("impact") in BLOCKING:
                        targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
                        failures.append(Failure(name, "a11y", f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"))
                if width == 1280:
                    failures.extend(keyboard_failures(page, name, max_presses))
                else:
                    failures.extend(settled)  # at 1280 the keyboard walk settles (and says) again
            context.close()
    return failures
