"""The HTTP side: the standard library's threading server around :class:`exokg.serve.app.App`.

One thread per connection (``ThreadingHTTPServer``): a thread mostly waits, on the socket or on a query
process, so threads are cheap here, and the work that costs (evaluation) is in the query processes.
HTTP/1.1 with a Content-Length on every response, so clients keep connections open.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from exokg.serve.app import App
from exokg.serve.messages import Request, Response

log = logging.getLogger("exokg")
_DRAIN_LIMIT = 16_000_000


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Restarting the server right after stopping it must not fail on a socket in TIME_WAIT.
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: a burst of more clients than that (a page's assets, a script
    # asking in parallel) overflows it, and the kernel resets the connections it drops.
    request_queue_size = 128

    def __init__(self, app: App, host: str, port: int) -> None:
        self.app = app
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    server_version = "exokg"
    # An idle kept-alive connection gives its thread back after this many seconds.
    timeout = 60
    # Headers and body go in separate writes; with Nagle's algorithm and delayed ACKs each response on a
    # kept-alive connection would wait about 40 ms.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def _handle(self) -> None:
        app = self.server.app
        body = b""
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._send(Response.text(411, "send the request body with a Content-Length, not chunked"))
            self.close_connection = True
            return
        if length_header:
            try:
                length = int(length_header)
            except ValueError:
                length = -1
            if length < 0:
                self._send(Response.text(400, f"bad Content-Length {length_header!r}"))
                self.close_connection = True
                return
            if length > app.limits.max_query_bytes:
                # Read (and drop) a body of moderate size, so the client, still sending, sees the answer
                # instead of a reset connection; beyond that, answer and close at once.
                while 0 < length <= _DRAIN_LIMIT:
                    chunk = self.rfile.read(min(length, 65536))
                    if not chunk:
                        break
                    length -= len(chunk)
                self._send(app.too_long())
                self.close_connection = True
                return
            body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, self.path, headers, body)
        try:
            response = app.handle(request)
        except Exception:  # one broken request must not take the server down; the log has the details
            log.exception("error while answering %s %s", self.command, self.path)
            response = Response.text(500, "the server failed to answer this request; its log says why")
        self._send(response)

    def _send(self, response: Response) -> None:
        with contextlib.suppress(ConnectionError):  # the client may have gone away
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(response.length))
            self.end_headers()
            if self.command == "HEAD":
                return
            if response.file is not None:
                with response.file.open("rb") as stream:
                    shutil.copyfileobj(stream, self.wfile)
            else:
                self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def log_error(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)
