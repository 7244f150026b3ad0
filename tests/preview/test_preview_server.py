"""The preview's HTTP surface without a browser: what it serves and what it refuses."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from paiban.preview import Preview


def _get(preview: Preview, target: str, method: str = "GET",
         host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    """A raw request: http.client sends the target as written (no ../ normalisation)."""
    address, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(address, port, timeout=10)
    conn.putrequest(method, target, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def test_serves_the_preview(shared_preview: Preview) -> None:
    preview = shared_preview
    status, body, headers = _get(preview, "/")
    assert status == 200 and b"long" in body and "Content-Security-Policy" in headers
    state = json.loads(_get(preview, "/api/state")[1])
    pages = {t["id"]: t["pages"] for t in state["targets"]}
    assert set(pages) == {"long/zh-Hans/fake", "long/zh-Hant/fake", "short/zh-Hans/fake",
                          "short/zh-Hant/fake"}
    assert pages["long/zh-Hans/fake"] > 2 and pages["short/zh-Hans/fake"] == 1
    assert _get(preview, "/a/long/zh-Hans/fake?view=spreads")[0] == 200
    status, png, headers = _get(preview, "/page/long/zh-Hans/fake/1.png?w=240")
    assert status == 200 and png.startswith(b"\x89PNG") and headers["Content-Type"] == "image/png"
    status, pdf, _ = _get(preview, "/dist/long/zh-Hans.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    assert _get(preview, "/dist/long/zh-Hans.html")[0] == 200
    assert _get(preview, "/dist/_assets/styles/fake.css")[0] == 200
    assert _get(preview, "/ui/preview.js")[0] == 200


@pytest.mark.parametrize("target", [
    "/dist/../pyproject.toml",
    "/dist/%2e%2e/pyproject.toml",
    "/dist/%2E%2E/%2E%2E/etc/passwd",
    "/dist/..%2fpyproject.toml",
    "/dist/%2fetc%2fpasswd",
    "/dist//etc/passwd",
    "//etc/passwd",
    "/dist/.paiban-cache.json",
    "/dist/long/..%5c..%5cpyproject.toml",
    "/ui/../../build.py",
    "/ui/%2e%2e/__init__.py",
    "/a/..%2f..%2fpyproject.toml/zh-Hans/fake",
    "http://example.com/",
])
def test_refuses_paths_outside(shared_preview: Preview, target: str) -> None:
    status, body, _ = _get(shared_preview, target)
    assert status in (400, 403, 404)
    assert b"tool.paiban" not in body and b"root:" not in body


def test_refuses_symlinks_out_and_unoffered_files(preview: Preview, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.html"
    outside.write_text("secret", "utf-8")
    os.symlink(outside, preview.cfg.out / "link.html")
    os.symlink(outside.parent, preview.cfg.out / "linkdir")
    for target in ("/dist/link.html", "/dist/linkdir/secret.html"):
        status, body, _ = _get(preview, target)
        assert status == 403 and b"secret" not in body
    (preview.cfg.out / "notes.txt").write_text("x", "utf-8")
    assert _get(preview, "/dist/notes.txt")[0] == 403  # not a type the preview needs
    assert _get(preview, "/seeds/long.txt")[0] == 404
    assert _get(preview, "/pyproject.toml")[0] == 404
    assert _get(preview, "/page/long/zh-Hans/fake/99.png?w=240")[0] == 404
    assert _get(preview, "/page/long/zh-Hans/fake/1.png?w=5000")[0] == 400  # not a width offered
    assert _get(preview, "/a/nope/zh-Hans/fake")[0] == 404


def test_only_get_and_only_this_host(shared_preview: Preview) -> None:
    preview = shared_preview
    assert _get(preview, "/", method="POST")[0] == 405
    assert _get(preview, "/", method="DELETE")[0] == 405
    port = preview.server.server_address[1]
    assert _get(preview, "/", host="evil.example:8000")[0] == 403  # DNS rebinding
    assert _get(preview, "/", host=f"localhost:{port}")[0] == 200
    assert _get(preview, "/", host=f"LOCALHOST:{port}")[0] == 200


@pytest.mark.parametrize("host", [
    "127.0.0.1:{port}@evil.example",   # a userinfo-looking tail
    "127.0.0.1:{port}.evil.example",
    "127.0.0.1:{other}",               # the right name, another port
    "localhost",                        # no port: port 80, not this server
    "127.0.0.1:{port} evil",
    "evil.example",
])
def test_host_header_must_name_this_server_exactly(shared_preview: Preview, host: str) -> None:
    port = shared_preview.server.server_address[1]
    value = host.format(port=port, other=port + 1)
    assert _get(shared_preview, "/", host=value)[0] == 403, value


def test_a_second_host_header_is_refused(shared_preview: Preview) -> None:
    address, port = shared_preview.server.server_address[:2]
    conn = http.client.HTTPConnection(address, port, timeout=10)
    conn.putrequest("GET", "/", skip_host=True)
    conn.putheader("Host", f"127.0.0.1:{port}")
    conn.putheader("Host", "evil.example")
    conn.endheaders()
    assert conn.getresponse().status == 403
    conn.close()


@pytest.mark.parametrize("target", [
    "/events?w=%C2%B2",                                  # '²'.isdigit() is True
    "/events?w=" + "9" * 5000,
    "/events?w=-1",
    "/events?w=%EF%BC%91",                               # a full-width digit
    "/page/long/zh-Hans/fake/1.png?w=%C2%B2",
    "/page/long/zh-Hans/fake/1.png?w=" + "9" * 5000,
    "/page/long/zh-Hans/fake/1.png",                     # no width
])
def test_bad_numbers_in_queries_are_400(shared_preview: Preview, target: str) -> None:
    status, body, _ = _get(shared_preview, target)
    assert status == 400 and b"Traceback" not in body


def test_many_simultaneous_connections_are_all_answered(shared_preview: Preview) -> None:
    """The listen backlog was socketserver's 5: of 200 clients connecting at once, half timed
    out. Now all 200 connect at once and each gets its answer."""
    import socket
    from concurrent.futures import ThreadPoolExecutor

    address, port = shared_preview.server.server_address[:2]
    socks = [socket.create_connection((address, port), timeout=10) for _ in range(200)]
    try:
        def ask(sock: socket.socket) -> bytes:
            sock.sendall(f"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         f"Connection: close\r\n\r\n".encode())
            return sock.recv(12)
        with ThreadPoolExecutor(32) as pool:
            answers = list(pool.map(ask, socks))
    finally:
        for sock in socks:
            sock.close()
    assert answers == [b"HTTP/1.1 200"] * 200


def test_a_client_that_never_finishes_its_headers_is_dropped(shared_preview: Preview,
                                                               monkeypatch) -> None:
    """Slow-header connections used to hold a thread each for ever; now the read times out."""
    import socket
    import time

    from paiban.preview import server as server_module

    handler = shared_preview.server.RequestHandlerClass
    monkeypatch.setattr(handler, "timeout", 0.5)
    address, port = shared_preview.server.server_address[:2]
    sock = socket.create_connection((address, port), timeout=10)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")  # and never the rest
        started = time.monotonic()
        assert sock.recv(100) == b""  # the server closed it
        assert time.monotonic() - started < 5
    finally:
        sock.close()
    assert server_module.READ_TIMEOUT_S <= 30


def test_cli_prints_the_real_port_and_stops_on_ctrl_c(project: Path) -> None:
    """``paiban preview --port 0`` picks a free port, prints it, serves, exits 0 on SIGINT."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "paiban", "preview", "--port", "0", "--layout", "fake"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"})
    try:
        line = proc.stdout.readline()
        assert line.startswith("paiban preview: serving http://127.0.0.1:"), line
        url = line.split()[3]
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert port not in (0, 8000)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            out, err = proc.communicate(timeout=30)
            raise AssertionError("did not stop on Ctrl-C:\n" + err[-8000:]) from None
    assert proc.returncode == 0, err
