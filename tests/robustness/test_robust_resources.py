"""Resource loading is locked to the project: a stylesheet asking for another file or for the
network gets nothing. Proved twice: a server on a localhost port receives no connection, and
WeasyPrint's own fetcher is never handed a URL outside the project.

tests/render/test_fetcher.py checks ``allowed_url``; here a hostile stylesheet goes through a
whole build.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
from paiban.outputs import output_path


from robust_helpers import GOOD, ROOT, assert_one_error_line, cli_build, copy_project, write_text

OUTSIDE_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"


@pytest.fixture(scope="module")
def listener():
    """A TCP port on localhost that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    connections: list[tuple[str, int]] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            connections.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


RULES = {
    "import-http": "@import url(http://127.0.0.1:{port}/x.css);",
    "import-file": "@import url(file:///etc/passwd);",
    "import-relative": '@import "../../../../../../../../etc/passwd";',
    "background-file": "body {{ background: url(file:///etc/passwd) }}",
    "background-http": ".para {{ background-image: url(http://127.0.0.1:{port}/bg.png) }}",
    "font-http": ("@font-face {{ font-family: Far; src: url(http://127.0.0.1:{port}/f.woff2) }}"
                  " .para {{ font-family: Far, serif }}"),
    "font-outside": ("@font-face {{ font-family: Outside; src: url(file://" + OUTSIDE_FONT + ") }}"
                     " .para {{ font-family: Outside, serif }}"),
    "content-url": ".title::after {{ content: url(http://127.0.0.1:{port}/c.svg) }}",
}


@pytest.mark.parametrize("rule", RULES, ids=list(RULES))
def test_a_stylesheet_gets_nothing_from_outside(tmp_path, capsys, listener, fetched, rule):
    port, connections = listener
    proj = copy_project(tmp_path / "p")
    sheet = proj / "styles" / "print.css"
    css = RULES[rule].format(port=port)
    # @import must come first in a sheet; the other rules may come anywhere.
    sheet.write_text(css + "\n" + sheet.read_text("utf-8"), "utf-8")
    text = write_text(proj, "t.txt", GOOD)
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(text))
    if run.code == 0:
        assert (output_path(proj / "dist", "t", "zh-Hans")).read_bytes().startswith(b"%PDF-")
    else:
        assert_one_error_line(run, text, "refused to load")
    assert connections == [], f"{rule}: a request reached port {port}"
    assert fetched, "the project's own stylesheets are fetched"
    for url in fetched:
        assert url.startswith(f"file://{proj}/"), url


def test_the_unmodified_project_loads_only_its_stylesheets(tmp_path, capsys, fetched):
    proj = copy_project(tmp_path / "p")
    text = write_text(proj, "t.txt", GOOD)
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(text))
    assert run.code == 0, run.err
    names = sorted(Path(url).name for url in fetched)
    assert names == sorted(p.name for p in (ROOT / "styles").glob("*.css")
                           if p.name in ("base.css", "cjk.css", "feature.css", "print.css"))
