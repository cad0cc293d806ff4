"""Topic classification (STUB — filled in by the topics work)."""


def classify(title, body, topics=None):
    """Topic ids of an article, in the order of ``topics``."""
    return []


def explain(title, body, topics=None):
    """For each topic: its score, threshold and the cues that matched."""
    return {}
