"""The preview's HTTP server: pages, page images, build outputs, and the reload channel.

In: GET requests from a browser on this machine.
Out: only what the preview needs —

    /                              start page (articles × editions × layouts, thumbnails)
    /a/<stem>/<edition>/<layout>   article view (?view=spreads); another edition or layout of
                                   a previewed text is added and built when first opened
    /page/<stem>/<edition>/<layout>/<n>.png?w=<width>   page n as an image
    /issue/<edition>               the issue (issue.toml) as spreads, contents links live
    /issue/<edition>/<n>.png?w=<width>   page n of the issue as an image
    /dist/<path>                   the build folder's PDF, HTML and stylesheets (no dotfiles)
    /ui/<file>                     the preview's own script and stylesheet
    /events[?watch=<target>&w=<width>]   server-sent events: hello, state, built, targets
    /api/state                     every target's state as JSON (for scripts and tests)

Everything else is 404; other methods 405. Targets are looked up by id in the board, never
turned into paths; the two folders served as files resolve every path (symlinks included) and
refuse anything that lands outside them (``..``, ``%2e%2e``, absolute paths, links out) with 403.
On a loopback address the Host header must name this machine, so a web page elsewhere cannot
reach the preview through DNS rebinding.
"""

from __future__ import annotations

import json
import mimetypes
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote

from jinja2 import Environment

from paiban.config import Config
from paiban.preview import views
from paiban.preview.board import Board
from paiban.preview.model import target_id
from paiban.preview.pages import WIDTHS, PageImages

HEARTBEAT_S = 5.0
"""An SSE comment this often keeps an idle stream alive and notices, within this time, a tab that
closed it (a closed stream only shows when written to), so it stops counting as a viewer."""

READ_TIMEOUT_S = 10.0
"""Longest wait for a request's next bytes (headers of a slow client, an idle keep-alive
connection): 1,500 connections that never finish their headers held 1,500 threads for ever."""

DIST_TYPES = {".pdf", ".html", ".css", ".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif",
              ".woff", ".woff2", ".otf", ".ttf"}
UI_FILES = {"preview.js", "preview.css"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}

_HOST = re.compile(r"(?P<name>\[::1\]|[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")
_PAGE = re.compile(r"/page/([^/]+)/([^/]+)/([^/]+)/(\d{1,4})\.png")
_ARTICLE = re.compile(r"/a/([^/]+)/([^/]+)/([^/]+)/?")
_ISSUE = re.compile(r"/issue/([^/]+)/?")
_ISSUE_PAGE = re.compile(r"/issue/([^/]+)/(\d{1,4})\.png")

# The UI's own pages: scripts and styles from /ui only; inline styles carry page geometry.
UI_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; "
          "base-uri 'none'; form-action 'none'")
# A built HTML file: its own styles and fonts, never a script.
DIST_CSP = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; base-uri 'none'")


class Catalog(Protocol):
    """What can be previewed beyond the targets built at start-up (``Preview`` is one)."""

    def editions(self) -> list[str]: ...
    def layouts(self) -> list[str]: ...
    def demand(self, tid: str) -> bool:
        """Add target ``tid`` and queue its build; False if it names no text/edition/layout."""
        ...


class App:
    """Everything a request handler needs, shared by the handler threads."""

    def __init__(self, cfg: Config, board: Board, images: PageImages, instance: str,
                 catalog: Catalog | None = None, issue: Any = None) -> None:
        self.cfg = cfg
        self.issue = issue
        """The project's issue (``preview.issue.Issue``), or None without a manifest."""
        self.board = board
        self.images = images
        self.instance = instance
        self.catalog = catalog
        self.env: Environment = views.environment()
        self.dist = cfg.out.resolve()
        self.ui = views.UI
        self.loopback_only = True


def safe_file(root: Path, relative: str) -> Path | HTTPStatus:
    """``root/relative`` if it is a regular file inside ``root`` after resolving links; else
    FORBIDDEN (outside, hidden, or malformed) or NOT_FOUND.

    ``relative`` is already percent-decoded; absolute paths, ``..`` segments, backslashes, NUL
    and hidden names are refused before touching the disk.
    """
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return HTTPStatus.FORBIDDEN
    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return HTTPStatus.FORBIDDEN
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root):  # a symlink pointing out of the folder
        return HTTPStatus.FORBIDDEN
    if not candidate.is_file():
        return HTTPStatus.NOT_FOUND
    return candidate


class Handler(BaseHTTPRequestHandler):
    """Routes GET requests to the preview's pages; see the module docstring."""

    app: App  # set on the subclass made by make_server
    server_version = "paiban-preview"
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT_S  # a client that sends its request this slowly is dropped

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # a request line per image would drown the build messages

    # --- dispatch -----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "unexpected Host header")
        raw_path, _, query = self.path.partition("?")
        raw_path = raw_path.split("#", 1)[0]
        if not raw_path.startswith("/") or raw_path.startswith("//"):
            return self._error(HTTPStatus.BAD_REQUEST, "bad request target")
        path = unquote(raw_path)
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        if "\x00" in path or "/../" in path + "/" or "\\" in path:
            return self._error(HTTPStatus.FORBIDDEN, "path outside the preview")
        if path == "/":
            return self._html(views.start_page(self.app.env, self.app.board, self.app.images,
                                               self.app.cfg, self.app.instance,
                                               issue=self.app.issue))
        if path == "/events":
            width = params.get("w")
            if width is not None and _number(width) is None:
                return self._error(HTTPStatus.BAD_REQUEST, "w must be a width in pixels")
            return self._events(params.get("watch"), _number(width) if width else None)
        if path == "/api/state":
            return self._state()
        if path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        if match := _ARTICLE.fullmatch(path):
            return self._article("/".join(match.groups()), params.get("view", "pages"))
        if match := _ISSUE_PAGE.fullmatch(path):
            return self._issue_page(match.group(1), int(match.group(2)), params.get("w", ""))
        if match := _ISSUE.fullmatch(path):
            return self._issue(match.group(1))
        if match := _PAGE.fullmatch(path):
            return self._page("/".join(match.groups()[:3]), int(match.group(4)), params.get("w", ""))
        if path.startswith("/dist/"):
            return self._file(self.app.dist, path[len("/dist/"):], DIST_TYPES, DIST_CSP)
        if path.startswith("/ui/") and path[len("/ui/"):] in UI_FILES:
            return self._file(self.app.ui, path[len("/ui/"):], {".js", ".css"}, UI_CSP)
        return self._error(HTTPStatus.NOT_FOUND, "not found")

    def _refuse(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "the preview only answers GET")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _refuse  # noqa: N815

    def _host_ok(self) -> bool:
        """Exactly one Host header naming this machine by a loopback name, with the port the
        server listens on (or none, for port 80): nothing after it (``…:8000@evil.example``)."""
        if not self.app.loopback_only:
            return True
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        match = _HOST.fullmatch(hosts[0])
        if match is None or match.group("name").lower() not in LOOPBACK_NAMES:
            return False
        port = self.server.server_address[1]
        return (match.group("port") or "80") == str(port)

    # --- routes -------------------------------------------------------------------------------

    def _article(self, tid: str, view: str) -> None:
        app = self.app
        entry = app.board.get(tid)
        if entry is None and app.catalog is not None and app.catalog.demand(tid):
            entry = app.board.get(tid)  # another edition or layout, built now that it is asked for
        if entry is None:
            return self._error(HTTPStatus.NOT_FOUND, f"no target {tid}")
        view = "spreads" if view == "spreads" else "pages"
        built = app.board.entries()
        editions = app.catalog.editions() if app.catalog else \
            list(dict.fromkeys(e.target.edition for e in built))
        layouts = app.catalog.layouts() if app.catalog else \
            list(dict.fromkeys(e.target.layout for e in built))
        self._html(views.article_page(app.env, app.board, app.images, app.cfg, entry, view,
                                      app.instance, editions, layouts))

    def _issue(self, edition: str) -> None:
        issue = self.app.issue
        entry = issue.get(edition) if issue is not None else None
        if entry is None:
            return self._error(HTTPStatus.NOT_FOUND, f"no issue in edition {edition}")
        self._html(views.issue_page(self.app.env, self.app.images, self.app.cfg, issue, entry,
                                    self.app.instance))

    def _issue_page(self, edition: str, number: int, width: str) -> None:
        w = _number(width)
        if w not in WIDTHS:
            return self._error(HTTPStatus.BAD_REQUEST,
                               f"w must be one of {', '.join(map(str, sorted(WIDTHS)))}")
        issue = self.app.issue
        entry = issue.get(edition) if issue is not None else None
        data = self.app.images.png(entry.pdf, number - 1, w) if entry is not None else None
        if data is None:
            return self._error(HTTPStatus.NOT_FOUND, "no such page")
        self._send(HTTPStatus.OK, data, "image/png", {"Cache-Control": "private, max-age=3600"})

    def _page(self, tid: str, number: int, width: str) -> None:
        w = _number(width)
        if w not in WIDTHS:
            return self._error(HTTPStatus.BAD_REQUEST,
                               f"w must be one of {', '.join(map(str, sorted(WIDTHS)))}")
        entry = self.app.board.get(tid)
        if entry is None:
            return self._error(HTTPStatus.NOT_FOUND, "no such page")
        data = self.app.images.png(entry.target.pdf(self.app.cfg), number - 1, w)
        if data is None:
            return self._error(HTTPStatus.NOT_FOUND, "no such page")
        # URLs carry the PDF's mtime (v=), so an image under one URL never changes.
        self._send(HTTPStatus.OK, data, "image/png", {"Cache-Control": "private, max-age=3600"})

    def _file(self, root: Path, relative: str, types: set[str], csp: str) -> None:
        file = safe_file(root, relative)
        if isinstance(file, HTTPStatus):
            return self._error(file, "not served")
        if file.suffix.lower() not in types:
            return self._error(HTTPStatus.FORBIDDEN, "not served")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, file.read_bytes(), kind,
                   {"Cache-Control": "no-cache", "Content-Security-Policy": csp})

    def _state(self) -> None:
        targets = []
        for entry in self.app.board.entries():
            problem = entry.problem
            targets.append({
                "id": target_id(entry.target), "state": entry.state, "revision": entry.revision,
                "pages": len(self.app.images.geometry(entry.target.pdf(self.app.cfg))),
                "seconds": entry.seconds, "cpu_seconds": entry.cpu_seconds,
                "problem": None if problem is None else
                {"file": problem.file, "line": problem.line, "message": problem.message},
            })
        body = json.dumps({"revision": self.app.board.revision, "targets": targets},
                          ensure_ascii=False).encode()
        self._send(HTTPStatus.OK, body, "application/json", {"Cache-Control": "no-store"})

    def _events(self, watch: str | None, width: int | None) -> None:
        """Server-sent events until the browser leaves or the server stops."""
        board = self.app.board
        entry = board.get(watch) if watch else None
        issue = None
        if watch and watch.startswith("issue/") and self.app.issue is not None:
            issue = self.app.issue.get(watch[len("issue/"):])
        if watch and entry is None and issue is None:
            return self._error(HTTPStatus.NOT_FOUND, f"no target {watch}")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True
        seq = board.last_seq()
        current = entry.revision if entry else issue.revision if issue else board.revision
        try:
            with board.viewing(watch, width if width in WIDTHS else None):
                self._sse("hello", {"revision": f"{self.app.instance}-{current}"})
                while not board.closed:
                    events = board.wait_events(seq, HEARTBEAT_S)
                    if not events:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        continue
                    for event in events:
                        seq = event.seq
                        self._sse(event.name, event.data)
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass  # the browser navigated away

    # --- responses ----------------------------------------------------------------------------

    def _sse(self, name: str, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False)
        self.wfile.write(f"event: {name}\ndata: {payload}\n\n".encode())
        self.wfile.flush()

    def _html(self, text: str) -> None:
        self._send(HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8",
                   {"Cache-Control": "no-store", "Content-Security-Policy": UI_CSP})

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, f"{status.value} {status.phrase}: {message}\n".encode(),
                   "text/plain; charset=utf-8", {"Cache-Control": "no-store"})

    def _send(self, status: HTTPStatus, body: bytes, kind: str,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True  # event streams must not keep the process alive after Ctrl-C
    # server_close() would otherwise join every handler thread without a timeout, and one
    # blocked on a client that neither sends nor closes (keep-alive) would hang Ctrl-C.
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: of 200 simultaneous connects, half timed out.
    request_queue_size = 1024
    max_connections = 512
    """Connections served at once; one more is closed at once rather than given a thread."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._slots = threading.BoundedSemaphore(self.max_connections)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # over the limit: refuse, never queue a thread
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A reload cancels the old page's image requests mid-send: normal, not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


def make_server(app: App, host: str, port: int) -> Server:
    """Bind (port 0 picks a free port: read ``server.server_address``); does not serve yet."""
    handler = type("PreviewHandler", (Handler,), {"app": app})
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_cls = type("PreviewServer", (Server,), {"address_family": family})
    app.loopback_only = _is_loopback(host)
    return server_cls((host, port), handler)


def _number(value: str | None) -> int | None:
    """A query's whole number in ASCII digits (at most 5), else None: ``str.isdigit`` is also
    true for ``²`` and would let ``int()`` raise, and 5,000 digits are no width."""
    if value is None or not re.fullmatch(r"[0-9]{1,5}", value):
        return None
    return int(value)


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def serve_in_thread(server: Server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="paiban-preview-http", daemon=True)
    thread.start()
    return thread
