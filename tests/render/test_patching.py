"""paiban.render.patching.Patch: what every WeasyPrint patch module installs and takes out.

Each module's own tests check that its patch changes what it should; these check the
installing: once only, only on WeasyPrint 70.0, and undone to exactly what was there.
"""

from __future__ import annotations

import types

import pytest
import weasyprint

from paiban.render import columns, justify, memory, subset, tags, textops
from paiban.render.patching import Patch
from paiban.render.pdf import _weasyprint

MODULES = [justify, columns, memory, subset, tags, textops]


class Base:
    def hello(self) -> str:
        return "base"


class Owner(Base):
    def own(self) -> str:
        return "own"


def replaced(self) -> str:
    return "patched"


@pytest.fixture
def owner():
    saved = dict(vars(Owner))
    module = types.SimpleNamespace(function=len)
    yield module
    assert dict(vars(Owner)) == saved, "a test left Owner patched"


def test_uninstall_restores_what_each_attribute_held(owner):
    def apply(patch: Patch) -> None:
        patch.set(owner, "function", abs)
        patch.set(Owner, "own", replaced)
        patch.set(Owner, "hello", replaced)  # inherited: Owner had none of its own

    patch = Patch("test", apply)
    assert not patch.installed()
    patch.install()
    assert patch.installed()
    assert owner.function is abs and Owner().own() == Owner().hello() == "patched"
    assert Base().hello() == "base"
    patch.uninstall()
    assert not patch.installed()
    assert owner.function is len and Owner().own() == "own" and Owner().hello() == "base"
    assert "hello" not in vars(Owner)
    patch.uninstall()  # a second time: nothing left to undo
    assert owner.function is len


def test_install_is_idempotent(owner):
    calls = []

    def apply(patch: Patch) -> None:
        calls.append(1)
        patch.set(owner, "function", abs)

    patch = Patch("test", apply)
    patch.install()
    patch.install()
    assert calls == [1] and owner.function is abs
    patch.uninstall()
    patch.install()  # after an uninstall it applies again
    assert calls == [1, 1] and owner.function is abs
    patch.uninstall()


def test_a_patch_that_sets_nothing_is_not_installed(owner):
    calls = []
    patch = Patch("test", lambda patch: calls.append(1))
    patch.install()
    assert not patch.installed()
    patch.install()  # tried again: the conditions that stopped it may have changed
    assert calls == [1, 1]


def test_a_failing_patch_takes_back_what_it_had_set(owner):
    def apply(patch: Patch) -> None:
        patch.set(owner, "function", abs)
        patch.set(Owner, "hello", replaced)
        raise RuntimeError("the second edit did not match")

    patch = Patch("test", apply)
    with pytest.raises(RuntimeError, match="second edit"):
        patch.install()
    assert not patch.installed()
    assert owner.function is len and Owner().hello() == "base"


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_install_refuses_another_weasyprint_version(monkeypatch, module):
    _weasyprint()
    module.uninstall()
    try:
        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        with pytest.raises(RuntimeError, match="70.0"):
            module.install()
        assert not module.installed()
    finally:
        monkeypatch.undo()
        module.install()  # leave the process patched as pdf.py expects
    assert module.installed()
