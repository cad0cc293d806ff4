"""Serve a built site on a free loopback port for browser checks."""

import functools
import http.server
import threading
from contextlib import contextmanager


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".avif": "image/avif",
        ".webp": "image/webp",
        ".xml": "application/xml",
    }

    def log_message(self, *args):
        pass


@contextmanager
def serve(directory):
    """Yield the base URL (``http://127.0.0.1:PORT``) of ``directory`` served over HTTP."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
