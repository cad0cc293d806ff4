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
    """Home, an article, an issue, a district, a topic and the search page (those that exist)."""
    output = Path(output)
    pages = ["/"]
    article = next(iter(sorted(output.glob("[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"))), None)
    if article:
        pages.append("/" + article.parent.relative_to(output).as_posix() + "/")
    for pattern in ("epaper/[12]*-*-*/index.html", "districts/*/index.html", "topics/*/index.html"):
        found = sorted(output.glob(pattern))
        if found:
            pages.append("/" + found[0].parent.relative_to(output).as_posix() + "/")
    if (output / "search" / "index.html").exists():
        pages.append("/search/")
    return pages


KEYBOARD_PROBE = """
() => {
  const focusable = Array.from(document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'
  )).filter(el => {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && (rect.width > 0 || rect.height > 0 || el === document.querySelector('.skip-link'));
  });
  return focusable.map(el => el.outerHTML.slice(0, 80));
}
"""


def keyboard_failures(page, name, limit=400):
    """Tab through the page; every visible focusable element must be reached."""
    wanted = page.evaluate(KEYBOARD_PROBE)
    reached = set()
    page.keyboard.press("Tab")
    for _ in range(min(len(wanted) + 5, limit)):
        info = page.evaluate(
            "() => { const el = document.activeElement; if (!el || el === document.body) return null;"
            " const s = getComputedStyle(el); return [el.outerHTML.slice(0, 80),"
            " s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none' || el.matches(':focus-visible')]; }"
        )
        if info is None:
            break
        html, visible = info
        if html in reached:
            break
        reached.add(html)
        page.keyboard.press("Tab")
    missing = [html for html in wanted if html not in reached]
    if len(wanted) >= limit:
        return []
    return [Failure(name, "keyboard", f"not reachable by Tab: {html}") for html in missing[:5]]


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
