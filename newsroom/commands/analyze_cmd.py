"""``python -m newsroom analyze FILE...``: what the site will say about each article."""

import json
import sys

from newsroom.analysis import analyze_source
from newsroom.content import ContentError, read_source
from newsroom.districts import UnknownDistrict


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "analyze",
        help="print keywords, topics, district and bylines of articles as JSON lines",
        description="Print one JSON object per article: file, title, keywords, topics, "
        "district, reporters, correspondents.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="Markdown article files")
    parser.add_argument("--top-k", type=int, default=8, help="how many extracted keywords (default 8)")
    parser.add_argument("--explain", action="store_true", help="also say why each topic was chosen")
    parser.set_defaults(func=run)


def run(args):
    status = 0
    for path in args.files:
        try:
            source = read_source(path)
            result = analyze_source(source, top_k=args.top_k, explain=args.explain)
        except ContentError as error:  # already names the file and line
            print(error, file=sys.stderr)
            status = 1
            continue
        except (UnknownDistrict, OSError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            status = 1
            continue
        print(json.dumps(result, ensure_ascii=False))
    return status
