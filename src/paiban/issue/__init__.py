"""A whole issue: cover, contents, the articles with continuous folios, one PDF per edition.

In: an issue manifest (``issue.toml``, see ``manifest``), the project config, the editions.
Out: per edition, ``<out>/<slug>/<slug>.<edition>.pdf`` (the issue the printer gets) and the
articles' own PDFs carrying their real folios, ``<out>/<slug>/<stem>.<edition>.pdf``.

The stages, each in its own module: ``manifest`` reads and checks the manifest; ``makeup`` is
pure arithmetic — given each article's page count, where each one starts, which pages are
filled, how the whole is padded to the binding; ``render`` lays out the cover, the contents page
and the articles (the articles in worker processes, each a pure function of its inputs plus its
first folio); ``assemble`` joins the PDFs with pikepdf and writes the bookmarks, page labels and
metadata; ``issue.check`` measures an issue PDF.
"""

from paiban.issue.run import build_issue

__all__ = ["build_issue"]
