"""Quality gates for the built site: valid HTML, links, feeds, CSP, accessibility.

Each check is a module with ``check(output, **options) -> list[Failure]``; the
command ``python -m sitecheck OUTPUT`` runs them and prints the failures page by page.
"""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Failure:
    page: str  # path relative to the output folder
    check: str
    message: str

    def __str__(self):
        return f"{self.page}: [{self.check}] {self.message}"
