"""Image budgets and layout shift, measured in Debian's Chromium.

On a phone (390 × 844 CSS px at 2× density, touch) every page is loaded, then scrolled to
its end in steps so that every lazy image it has is fetched too; what counts is every
image response's body. Budgets (docs/photos.md):

* an article page with a lead photo: at most :data:`ARTICLE_BUDGET` bytes of images;
* the home page: at most :data:`HOME_BUDGET` bytes of images;
  (the browser's own Resource Timing entries, ``encodedBodySize``, summed);
* no layout shift at all (CLS 0, from a ``PerformanceObserver`` of ``layout-shift``
  entries registered before the page's first byte), at 390 and at 1280 px.
"""

from contextlib import nullcontext
from pathlib import Path

from sitecheck import Failure
from sitecheck.browser import chromium
from sitecheck.serve import serve

ARTICLE_BUDGET = 200 * 1024
HOME_BUDGET = 300 * 1024
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""
IMAGE_BYTES = """
() => performance.getEntriesByType("resource").filter((e) => e.initiatorType === "img")
  .map((e) => [new URL(e.name).pathname, e.encodedBodySize])
"""
# Every image of the page loaded (or failed): what a wait for the network to go quiet
# would give, without its half second per page.
IMAGES_DONE = """
() => Promise.all([...document.images].filter((img) => !img.complete).map(
  (img) => new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); })))
"""
SCROLL_THROUGH = """
async () => {
  const settle = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 30)));
  for (let y = 0; y <= document.documentElement.scrollHeight; y += 400) {
    window.scrollTo(0, y);
    await settle();
  }
  await settle();
}
"""


def pages_with_lead_photos(output, limit=None):
    """The article pages whose story has a lead photo (a figure image fetched first), the
    ones with the most photos first (then newest); at most ``limit`` of them."""
    output = Path(output)
    found = []
    for page in sorted(output.glob("[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"), reverse=True):
        text = page.read_text(encoding="utf-8")
        if 'fetchpriority="high"' in text:
            found.append((-text.count('<figure class="photo'), "/" + page.parent.relative_to(output).as_posix() + "/"))
    return [url for _, url in sorted(found, key=lambda pair: pair[0])][:limit]


def measure(browser, base, url, device=PHONE):
    """``{"images": bytes, "first_view": bytes, "layout_shift": CLS, "files": [(url, bytes)]}``
    for ``url`` loaded on ``device`` and scrolled to its end."""
    context = browser.new_context(**device)
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    try:
        page.goto(base + url, wait_until="load")
        page.evaluate(IMAGES_DONE)
        first_view = sum(size for _, size in page.evaluate(IMAGE_BYTES))
        page.evaluate(SCROLL_THROUGH)
        page.evaluate(IMAGES_DONE)
        files = [tuple(entry) for entry in page.evaluate(IMAGE_BYTES)]
        shift = page.evaluate("window.__layoutShift")
    finally:
        context.close()
    return {"images": sum(size for _, size in files), "first_view": first_view, "layout_shift": shift,
            "files": files}


# Article pages measured by `python -m sitecheck` (the heaviest: most photos, then newest);
# `python -m sitecheck.budgets OUTPUT` measures every one (docs/photos.md's figures).
CHECKED_ARTICLES = 6


def check(output, browser=None, **_):
    """``browser``: a Chromium to measure in (each page gets a new context, with an empty
    cache, either way), else one is started for the check."""
    output = Path(output).resolve()
    articles = pages_with_lead_photos(output, CHECKED_ARTICLES)
    failures = []
    with serve(output) as base, (nullcontext(browser) if browser else chromium()) as browser:
        for url, budget in [("/", HOME_BUDGET)] + [(a, ARTICLE_BUDGET) for a in articles]:
            result = measure(browser, base, url)
            if result["images"] > budget:
                failures.append(Failure(f"{url} @390px", "budget", f"{result['images']:,} bytes of images, more "
                                        f"than the budget of {budget:,}"))
            if result["layout_shift"] > 0:
                failures.append(Failure(f"{url} @390px", "budget", f"layout shift {result['layout_shift']:.4f}"))
        for url in ["/"] + articles[:1]:
            result = measure(browser, base, url, DESKTOP)
            if result["layout_shift"] > 0:
                failures.append(Failure(f"{url} @1280px", "budget", f"layout shift {result['layout_shift']:.4f}"))
    return failures


def report(output):
    """Every page with a lead photo and the home page at 390 px (2x) and 1280 px: a table."""
    output = Path(output).resolve()
    rows = []
    with serve(output) as base, chromium() as browser:
        for url in ["/"] + pages_with_lead_photos(output):
            phone, desktop = measure(browser, base, url), measure(browser, base, url, DESKTOP)
            rows.append((url, phone, desktop))
    lines = ["| page | images at 390 px, 2x (first view / after scrolling) | images at 1280 px | CLS 390 / 1280 |",
             "|---|---:|---:|---:|"]
    for url, phone, desktop in rows:
        lines.append(f"| `{url}` | {phone['first_view'] / 1024:.0f} / {phone['images'] / 1024:.0f} KB | "
                     f"{desktop['images'] / 1024:.0f} KB | {phone['layout_shift']:g} / {desktop['layout_shift']:g} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(report(sys.argv[1] if len(sys.argv) > 1 else "output"))
