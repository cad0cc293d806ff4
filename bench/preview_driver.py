"""What ``make serve`` runs, minus the HTTP server: ``newsroom.desk.preview``'s build-and-watch loop.

``python -m bench.preview_driver CONTENT OUTPUT SETTINGS CACHE [--cold]`` starts the
preview's warm build server, builds once, then rebuilds on every save and prints
``preview: build N done`` each time, so that the benchmark can time an editor's save to
the page on disk. ``--cold`` starts a new Pelican process per build instead (the
preview before the build server, for comparison). The cache folder is private, so that
the benchmark never touches the repository's ``cache/``.
"""

import sys

from newsroom.desk.preview import Preview


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    cold = "--cold" in argv
    content, output, settings, cache = [a for a in argv if a != "--cold"][:4]
    preview = Preview(content, output, settings, cache=cache, warm=not cold)
    try:
        preview.start()
        preview.rebuild()
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
