"""Keyword extraction (STUB — filled in by the keywords work)."""


def extract_keywords(title, body, top_k=8, corpus=None):
    return []
