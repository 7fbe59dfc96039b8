"""A page served on loopback that records what was asked of it: shows whether a query made
the database fetch a URL on a caller's behalf (LOAD CSV)."""

from __future__ import annotations

import http.server
import threading


def loopback_page(asked: list[str]) -> http.server.ThreadingHTTPServer:
    """Serve a small CSV page on 127.0.0.1 (a free port) in a daemon thread; each request's
    path is appended to `asked`. Stop it with `.shutdown()` and `.server_close()`."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's name is fixed
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"private,page\n")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
