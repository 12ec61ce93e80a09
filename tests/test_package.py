"""The package's shape: layers that import only downward, no private names across modules, a public
API written out by hand, notebooks that use only that API, one version."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import nercourse

pytestmark = pytest.mark.newest_only  # the package's layout and names do not change with library versions

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "notebooks" / "nercourse"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))

NAMESPACES = {
    "plots": "the figures, nercourse.plots.plot_*: a family of its own, drawn where a notebook shows one",
    "answers": "from nercourse.answers import notebook_NN: the expected answers stay out of the visible cells",
    "tiny": "nercourse.tiny.build_tiny_bert: the smoke model, never part of what a notebook teaches",
    "environment": "nercourse.environment.summary() in the setup cell that tools/sync_notebooks.py writes",
    "finetuned": "the resolver's places (DRIVE_DIR, PUBLIC_MODEL) that notebooks 00 and 03 name",
}
"""The only submodules notebooks may reach into, and why; everything else is ``nercourse.NAME``."""


def package_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_modules_import_only_from_the_layers_below_them():
    # import-linter reads every import statement, those inside functions too; the contract is
    # [tool.importlinter] in pyproject.toml, exhaustive: a new module must be given a layer.
    check = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
    )
    path = os.pathsep.join(filter(None, [str(ROOT / "notebooks"), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "0 broken" in result.stdout


def test_no_module_uses_another_modules_private_names():
    found = []
    for path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("nercourse")):
                found += [f"{where} imports {alias.name}" for alias in node.names if alias.name.startswith("_")]
            if isinstance(node, ast.Attribute) and re.match(r"_(?!_)", node.attr):
                owner = node.value.id if isinstance(node.value, ast.Name) else None
                if owner not in ("self", "cls"):
                    found.append(f"{where} uses {ast.unparse(node)}")
    assert not found, "\n".join(found)


def test_the_public_api_is_written_out_and_exists():
    names = nercourse.__all__
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    assert [name for name in names if not hasattr(nercourse, name)] == []
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }
    assert imported == set(names), (
        f"imported, not exported: {imported - set(names)}; the reverse: {set(names) - imported}"
    )


def test_every_module_has_a_row_in_the_packages_table():
    table = nercourse.__doc__
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__", "__main__"} | {"answers"}
    assert {module for module in modules if not re.search(rf"^{module}\s", table, re.MULTILINE)} == set()


def test_the_version_is_pyprojects():
    declared = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert nercourse.__version__ == declared[1]
    assert "__version__ =" not in (PACKAGE / "__init__.py").read_text(encoding="utf-8")  # written in one place


# ------------------------------------------------------------------------------- notebooks' names


def _code(cell) -> str:
    """A code cell's Python, its IPython magics and shell lines left out."""
    return "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))


def _is_public_in(namespace: str, name: str) -> bool:
    module = importlib.import_module(f"nercourse.{namespace}")
    if name.startswith("_"):
        return False
    return hasattr(module, name) or importlib.util.find_spec(f"nercourse.{namespace}.{name}") is not None


def nercourse_names(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """``(line, name, attribute)`` for each use of the package in ``tree``: ``nercourse.name...``, and
    ``nercourse.namespace.attribute`` for the submodules of :data:`NAMESPACES`; for ``import nercourse.name``
    and ``from nercourse import name``, ``(line, name, None)``; for ``from nercourse.name import attribute``,
    ``(line, name, attribute)``."""
    aliases = {"nercourse"} | {  # a notebook imports it once, in its setup cell
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "nercourse"
    }
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[1], None) for a in node.names if a.name.startswith("nercourse.")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "nercourse":
            submodule = ".".join(node.module.split(".")[1:])
            found += [(node.lineno, submodule or a.name, a.name if submodule else None) for a in node.names]
        elif isinstance(node, ast.Attribute) and id(node) not in inner:
            chain = ast.unparse(node).split(".")
            if chain[0] in aliases and all(part.isidentifier() for part in chain[:3]):
                name, attribute = chain[1], chain[2] if len(chain) > 2 and chain[1] in NAMESPACES else None
                found.append((node.lineno, name, attribute))
    return found


def test_notebooks_use_only_exported_names():
    exported = set(nercourse.__all__)
    wrong = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            where = f"{path.relative_to(ROOT)} (cell {cell.get('id')})"
            for line, name, attribute in nercourse_names(ast.parse(_code(cell))):
                if name.startswith("__"):
                    continue
                if attribute is None and name not in exported | NAMESPACES.keys():
                    wrong.append(f"{where}, line {line}: nercourse.{name} is not in nercourse.__all__")
                elif attribute is not None and (name not in NAMESPACES or not _is_public_in(name, attribute)):
                    wrong.append(f"{where}, line {line}: nercourse.{name}.{attribute}: use nercourse.{attribute}")
    assert not wrong, "\n".join(wrong)


def test_the_notebook_check_sees_every_way_of_reaching_into_the_package():
    source = (
        "import nercourse\nimport nercourse.plots\nfrom nercourse import quiet\nfrom nercourse.data import find_split_files\n"
        "nercourse.hub.hub_unreachable_reason()\nnercourse.plots.plot_seed_spread\nnercourse.check\n"
    )
    assert sorted(nercourse_names(ast.parse(source)), key=str) == [
        (2, "plots", None),
        (3, "quiet", None),
        (4, "data", "find_split_files"),
        (5, "hub", None),
        (6, "plots", "plot_seed_spread"),
        (7, "check", None),
    ]
