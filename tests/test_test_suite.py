"""The test suite itself: each test module stands alone, and every test belongs to CI's passes by one
visible rule (the ``newest_only`` marker, see conftest.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from helpers import built_once

pytestmark = pytest.mark.newest_only  # about the files of the repository, not about library versions

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def imported_names(path: Path) -> set[str]:
    """Every module an ``import`` statement of the file names, at any depth (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                names.add(node.module)
            if node.level or not node.module:  # from . import test_x
                names.update(alias.name for alias in node.names)
    return {name.split(".")[-1] if name.startswith(".") else name for name in names}


def test_no_test_module_imports_another():
    test_modules = {path.stem for path in TESTS.glob("test_*.py")} | {"conftest"}
    offenders = {
        path.name: sorted(name for name in imported_names(path) if name.split(".")[0] in test_modules)
        for path in sorted(TESTS.glob("*.py"))
    }
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, f"shared helpers go to tests/helpers.py, shared fixtures to tests/conftest.py: {offenders}"


def test_the_check_sees_every_form_of_import(tmp_path):
    path = tmp_path / "test_x.py"
    path.write_text("import test_a\nfrom test_b import f\ndef g():\n    from . import test_c\n    import test_d.sub\n")
    assert {"test_a", "test_b", "test_c", "test_d.sub"} <= imported_names(path)


def test_the_pass_marker_is_registered_and_the_colab_pass_leaves_it_out():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\s*"newest_only: ', pyproject, re.M), "register the marker in pyproject.toml"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"""-m ["']not newest_only["']""", ci), ".ci/run's Colab pass must deselect newest_only"


def test_built_once_builds_once_and_never_hands_out_a_half_built_folder(tmp_path_factory):
    calls = []

    def build(folder):
        calls.append(folder)
        folder.mkdir()
        if len(calls) == 1:
            raise RuntimeError("the first build fails half-way")
        (folder / "model").write_text("done")

    with pytest.raises(RuntimeError):
        built_once(tmp_path_factory, "probe", build)
    first = built_once(tmp_path_factory, "probe", build)  # the half-built folder is removed, built again
    second = built_once(tmp_path_factory, "probe", build)
    assert first == second and (first / "model").read_text() == "done" and len(calls) == 2
