"""paiban (排版): raw Chinese feature texts in, print-ready magazine PDFs out.

The Python API (see ``paiban.api``)::

    from paiban import inspect_text, typeset
"""

__version__ = "0.1.0"

_API = ("BuildResult", "TargetResult", "init_project", "inspect_text", "load_config", "typeset")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    # Imported on first use, so `paiban --version` and the CLI's start stay light.
    if name in _API:
        from paiban import api

        return getattr(api, name)
    raise AttributeError(f"module 'paiban' has no attribute {name!r}")
