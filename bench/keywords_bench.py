"""Keyword extraction throughput and catalogue-scale cost (docs/keywords.md quotes it).

    .venv/bin/python bench/keywords_bench.py [--articles 20000]

Articles are made by recombining the paragraphs of the gold set and the sample content
(so the vocabulary is the paper's). Times are CPU seconds of this process, so other
work on a shared machine disturbs them less than wall-clock time would.
"""

import argparse
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsroom.text import keywords, segment# noqa: E402
from newsroom.paper.content import read_source  # noqa: E402
from newsroom.text.related import Entry, related_articles  # noqa: E402


def paragraphs():
    found = []
    for folder in (ROOT / "tests" / "fixtures" / "keywords", ROOT / "content"):
        for path in sorted(folder.rglob("*.md")):
            if path.name == "README.md":
                continue
            source = read_source(path)
            found += [(source.title, p) for p in re.split(r"\n\s*\n", source.body) if p.strip()]
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    cpu = time.process_time

    started = cpu()
    segment.tokenizer()
    keywords.stopwords()
    keywords.place_variants()
    keywords.Corpus(n_docs=0).idf("工会")  # jieba's IDF table
    print(f"load (jieba dictionary, user dictionary, gazetteer, IDF table): {cpu() - started:.2f} s")

    pool = paragraphs()
    rng = random.Random(20240102)
    articles = []
    for _ in range(args.articles):
        picked = rng.sample(pool, 4)
        articles.append((picked[0][0], "\n\n".join(p for _, p in picked)))
    size = sum(len(t.encode()) + len(b.encode()) for t, b in articles) / 1e6

    started = cpu()
    raw = sum(1 for _, body in articles[:2000] for _ in segment.tokenizer().cut(body))
    raw_mb = sum(len(b.encode()) for _, b in articles[:2000]) / 1e6
    jieba_rate = raw_mb / (cpu() - started)
    started = cpu()
    ours = sum(len(segment.cut(body)) for _, body in articles[:2000])
    print(f"cutting 2,000 articles: jieba.Tokenizer.cut {jieba_rate:.2f} MB/s, "
          f"segment.cut (same word count: {ours == raw}) {raw_mb / (cpu() - started):.2f} MB/s")

    started = cpu()
    candidates = [keywords.candidate_terms(title, body) for title, body in articles]
    spent = cpu() - started
    print(f"candidates, cold: {len(articles)} articles, {size:.1f} MB in {spent:.1f} s = {size / spent:.2f} MB/s "
          f"(plain jieba.cut on the same text: {jieba_rate:.2f} MB/s; {raw} words)")

    started = cpu()
    corpus = keywords.Corpus.from_candidates(c.keys() for c in candidates)
    ranked = [[t for t, _ in keywords.rank_keywords(c, corpus, 8)] for c in candidates]
    print(f"document frequencies + ranking: {cpu() - started:.1f} s ({len(corpus.df)} distinct terms)")

    start = date(2020, 1, 1)
    entries = [Entry(f"a{i}", tuple(top), "", start + timedelta(days=i % 1500)) for i, top in enumerate(ranked)]
    started = cpu()
    related_articles(entries)
    print(f"related articles (inverted index): {cpu() - started:.1f} s")


if __name__ == "__main__":
    main()
