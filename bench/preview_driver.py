"""What ``make serve`` runs, minus the HTTP server: ``newsroom.preview``'s build-and-watch loop.

``python -m bench.preview_driver CONTENT OUTPUT SETTINGS CACHE`` builds once, then
rebuilds on every save and prints ``preview: build N done`` each time, so that the
benchmark can time an editor's save to the page on disk. The cache folder is private,
so that the benchmark never touches the repository's ``cache/``.
"""

import sys

from newsroom.preview import Preview


def main(argv=None):
    content, output, settings, cache = (argv or sys.argv[1:])[:4]
    preview = Preview(content, output, settings, cache=cache)
    preview.rebuild()
    try:
        preview.watch()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
