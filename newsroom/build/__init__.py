"""Building the site: Pelican runs, staging and the swap, up-to-date checks, parallel work, the search index."""
