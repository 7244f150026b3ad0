"""Resource loading is locked to the project's own folders."""

from __future__ import annotations

from pathlib import Path

from paiban.render.pdf import allowed_url


def test_only_files_inside_the_allowed_folders_load(tmp_path: Path):
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "a.css").write_text("p{}")
    (tmp_path / "secret.txt").write_text("x")
    roots = (styles,)
    assert allowed_url((styles / "a.css").as_uri(), roots)
    assert allowed_url("data:text/css,p{}", roots)
    assert not allowed_url((tmp_path / "secret.txt").as_uri(), roots)
    assert not allowed_url(styles.as_uri() + "/../secret.txt", roots)
    assert not allowed_url(styles.as_uri() + "/%2e%2e/secret.txt", roots)
    assert not allowed_url("file:///etc/passwd", roots)
    assert not allowed_url("file://otherhost/etc/passwd", roots)
    assert not allowed_url("http://127.0.0.1/x.css", roots)
    assert not allowed_url("https://example.org/x.css", roots)
    assert not allowed_url((styles / "missing.css").as_uri(), roots)


def test_symlinks_out_of_the_allowed_folders_are_refused(tmp_path: Path):
    styles = tmp_path / "styles"
    styles.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (styles / "link.css").symlink_to(tmp_path / "secret.txt")
    assert not allowed_url((styles / "link.css").as_uri(), (styles,))
