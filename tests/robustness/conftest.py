"""Fixtures shared by the robustness tests."""

from __future__ import annotations

import pytest

import paiban.render.pdf as pdf_module


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL that got past paiban's lock: served from the files the build read, or (the
    preview's way) by WeasyPrint's real fetcher."""
    urls: list[str] = []
    base = pdf_module._weasyprint().URLFetcher
    real, real_serve = base.fetch, pdf_module.serve

    def fetch(self, url, headers=None):
        urls.append(url)
        return real(self, url, headers)

    def serve(url, data):
        urls.append(url)
        return real_serve(url, data)

    monkeypatch.setattr(base, "fetch", fetch)
    monkeypatch.setattr(pdf_module, "serve", serve)
    return urls
