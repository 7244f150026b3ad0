"""Fixtures shared by the robustness tests."""

from __future__ import annotations

import pytest

import paiban.render.pdf as pdf_module


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL that reached WeasyPrint's real fetcher (past paiban's lock)."""
    urls: list[str] = []
    base = pdf_module._weasyprint().URLFetcher
    real = base.fetch

    def fetch(self, url, headers=None):
        urls.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(base, "fetch", fetch)
    return urls
