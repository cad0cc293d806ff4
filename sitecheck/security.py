"""The Content-Security-Policy holds: no inline script, style or event handler.

Every page declares a CSP whose script-src has no 'unsafe-inline'; the only inline
<script> allowed is JSON-LD data (browsers never execute it).
"""

import re

from sitecheck import Failure
from sitecheck.pages import parsed_pages


def check(output, **_):
    return [failure for name, soup in parsed_pages(output) for failure in check_page(output, name, soup)]


def check_page(output, name, soup):
    """The failures of one parsed page (``name`` relative to ``output``)."""
    failures = []
    meta = soup.find("meta", attrs={"http-equiv": re.compile("content-security-policy", re.I)})
    if meta is None:
        failures.append(Failure(name, "csp", "no Content-Security-Policy"))
    else:
        policy = meta.get("content", "")
        script_src = re.search(r"script-src([^;]*)", policy)
        if not script_src or "unsafe-inline" in script_src.group(1):
            failures.append(Failure(name, "csp", f"script-src allows inline scripts: {policy}"))
    for script in soup.find_all("script"):
        if script.get("src"):
            continue
        if script.get("type") == "application/ld+json":
            continue
        failures.append(Failure(name, "csp", "inline <script> would be blocked by the CSP"))
    if soup.find_all("style"):
        failures.append(Failure(name, "csp", "inline <style> would be blocked by the CSP"))
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        styled = tag.get("style") is not None
        if not (handlers or styled):
            continue  # nothing to report whatever its ancestors (their lookup was ~a third of the pass)
        in_content = tag.find_parent(class_="story-body") is not None
        if handlers and not in_content:
            failures.append(Failure(name, "csp", f"<{tag.name}> has inline handler {handlers[0]}"))
        if styled and not in_content and tag.name != "svg" and not tag.find_parent("svg"):
            failures.append(Failure(name, "csp", f"<{tag.name}> has a style attribute the CSP blocks"))
    return failures
