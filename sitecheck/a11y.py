"""Accessibility: axe-core finds no serious or critical violation, and the keyboard reaches everything.

axe-core runs inside Debian's Chromium on representative pages. The pages' CSP
forbids injected scripts, so only the checking context bypasses it (the site's own
scripts still run under the policy). The keyboard check presses Tab through the page
and requires every link, button and field to take focus, with a visible outline.
"""

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


KEYBOARD_PROBE = """
() => {
  const candidates = document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
  );
  const wanted = [];
  candidates.forEach((el, index) => {
    el.dataset.kbIndex = String(index);
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const shown = style.visibility !== 'hidden' && style.display !== 'none' && (rect.width > 0 || rect.height > 0);
    if (shown || el.classList.contains('skip-link')) wanted.push([String(index), el.outerHTML.slice(0, 100)]);
  });
  return wanted;
}
"""

# Focus on an element the probe did not see (drawn by a script after it ran, such as the
# search page's facet checkboxes) is still focus inside the page: it gets an index of its
# own, so the walk goes on instead of taking it for the end of the cycle.
ACTIVE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.dataset.kbIndex) el.dataset.kbIndex = 'late-' + (window.__kbLate = (window.__kbLate || 0) + 1);
  const s = getComputedStyle(el);
  const outlined = (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
  return [el.dataset.kbIndex, outlined];
}
"""

# networkidle says the files have arrived, not that the page's scripts have drawn with them:
# on a loaded machine the search page drew its facets after the probe. Wait until the DOM
# has been still for a moment (and no widget says it is busy), at most a few seconds.
SETTLED = """
async () => {
  const quietFor = 250, giveUpAfter = 8000, start = performance.now();
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
  while (performance.now() - start < giveUpAfter) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busy = document.querySelector('[data-state="busy"]');
    if (!busy && performance.now() - last >= quietFor) break;
  }
  observer.disconnect();
}
"""


LATE_LIMIT = 100


def keyboard_failures(page, name):
    """Tab through the page: every visible focusable element takes focus, visibly."""
    page.reload(wait_until="networkidle")  # start from the top, whatever had focus before
    page.evaluate(SETTLED)
    wanted = dict(page.evaluate(KEYBOARD_PROBE))
    reached = set()
    invisible = []
    presses = 0
    late = 0
    # Late elements lengthen the walk, but never without end: a page that draws a new
    # element on every focus would otherwise keep the check pressing Tab forever.
    while presses < len(wanted) + min(late, LATE_LIMIT) + 5:
        presses += 1
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None:
            if reached:
                break  # focus left the page: the cycle is complete
            continue
        index, outlined = active
        if index in reached:
            break
        reached.add(index)
        late += index.startswith("late-")
        if not outlined and index in wanted:
            invisible.append(wanted[index])
    failures = [Failure(name, "keyboard", f"not reachable by Tab: {html}")
                for index, html in wanted.items() if index not in reached][:5]
    failures += [Failure(name, "keyboard", f"no visible focus outline: {html}") for html in invisible[:5]]
    return failures


def check(output, pages=None, **_):
    output = Path(output).resolve()
    if not AXE.exists():
        return [Failure("-", "a11y", f"{AXE} is missing: run `npm ci --ignore-scripts`")]
    axe_source = AXE.read_text(encoding="utf-8")
    failures = []
    with serve(output) as base, chromium() as browser:
        for width in (390, 1280):
            context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
            page = context.new_page()
            for url in pages or representative_pages(output):
                name = f"{url} @{width}px"
                page.goto(base + url, wait_until="networkidle")
                page.evaluate(SETTLED)
                page.evaluate(axe_source)
                result = page.evaluate(
                    "async () => await axe.run(document, {resultTypes: ['violations']})"
                )
                for violation in result["violations"]:
                    if violation.get("impact") in BLOCKING:
                        targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
                        failures.append(Failure(name, "a11y", f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"))
                if width == 1280:
                    failures.extend(keyboard_failures(page, name))
            context.close()
    return failures
