"""``python -m newsroom analyze FILE...``: what the site will say about each article."""

import argparse
import json
import sys
from pathlib import Path

from newsroom import messages
from newsroom.paper.analysis import analyze_source
from newsroom.paper.content import ContentError, read_source
from newsroom.text.keywords import corpus_from_sources

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[3] / "content"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "analyze",
        help=messages.text("help.analyze"),
        description=messages.text("help.analyze_description"),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=messages.text("help.analyze_files"))
    parser.add_argument("--top-k", type=top_k, default=8, help=messages.text("help.analyze_top_k"))
    parser.add_argument("--explain", action="store_true", help=messages.text("help.analyze_explain"))
    parser.add_argument("--catalogue", default=str(DEFAULT_CATALOGUE), metavar="DIR",
                        help=messages.text("help.analyze_catalogue"))
    parser.set_defaults(func=run)


def top_k(text):
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(messages.text("analyze.bad_top_k", value=repr(text)))
    return int(text)


def catalogue_corpus(folder, extra_paths):
    """Word frequencies over the catalogue plus the analysed files (each file counted once)."""
    paths = {p.resolve() for p in Path(folder).rglob("*.md") if "pages" not in p.parts} if folder else set()
    paths |= {Path(p).resolve() for p in extra_paths if Path(p).is_file()}
    sources = []
    for path in sorted(paths):
        try:
            sources.append(read_source(path))
        except ContentError:
            continue  # reported below for the files asked about; others are check's business
    return corpus_from_sources(sources)


def article_files(paths):
    """The files named, and the Markdown articles inside the folders named (not pages/)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*.md")) if "pages" not in p.relative_to(path).parts)
        else:
            yield str(path)


def run(args):
    status = 0
    files = list(article_files(args.files))
    corpus = catalogue_corpus(args.catalogue, files)
    for path in files:
        try:
            source = read_source(path)
            result = analyze_source(source, top_k=args.top_k, explain=args.explain, corpus=corpus)
        except ContentError as error:  # already names the file and line
            print(error, file=sys.stderr)
            status = 1
            continue
        except OSError as error:
            print(messages.text("analyze.unreadable", path=path, reason=messages.os_error(error)), file=sys.stderr)
            status = 1
            continue
        print(json.dumps(result, ensure_ascii=False))
    return status
