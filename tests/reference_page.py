"""The real OCR'd reference page (never copied into the repo), split into articles.

The page lists articles under ``# `` headlines; ``## `` lines are kickers and
subtitles, not body text. A ``# `` line with no body under it is a page banner.
"""

import re
from pathlib import Path

REFERENCE_PAGE = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_332a3af2ca99ee77.txt"


def reference_articles(path=REFERENCE_PAGE):
    """``[(headline, body), ...]`` in page order."""
    articles = []
    for section in re.split(r"^# ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        headline, _, rest = section.partition("\n")
        body = "\n".join(line for line in rest.split("\n") if not line.startswith("#")).strip()
        if body:
            articles.append((headline.strip(), body))
    return articles
