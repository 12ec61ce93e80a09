"""The helper package installs the way Google Colab installs it, and works from there.

Colab's first cell runs ``pip install --no-deps git+https://...`` into an environment that already
has the dependencies (notebook 00's setup cell). So a file the wheel leaves out (the mini corpus is
package data, see pyproject.toml), a module or the console script must fail here, not in a
learner's first cell. The wheel is built from the files a clone would get, copied to a temporary
folder (tracked and not-ignored files: no stale build/ or egg-info, nothing written into the
checkout), installed with ``--target`` (not the source tree, not editable), and then used with only
that folder on PYTHONPATH, from a working directory outside the repository.

Building needs PyPI: pip's build isolation fetches the build backend (setuptools) named in pyproject.toml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.newest_only  # building and installing the wheel: one pass covers it

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGE = ROOT / "notebooks" / "nercourse"
IGNORED_WHEN_COPYING = shutil.ignore_patterns(
    ".git", ".venv*", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".carry"
)


def _clone_like_copy(destination: Path) -> Path:
    """The repository's files as a clone would have them (git's list; without git, the tree minus build debris)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        shutil.copytree(ROOT, destination, ignore=IGNORED_WHEN_COPYING)
        return destination
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not there
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def _run(command: list[str], env: dict, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """Build the wheel, install it with --target, and return the folder and the environment that uses it."""
    scratch = tmp_path_factory.mktemp("packaging")
    source = _clone_like_copy(scratch / "source")
    wheels = scratch / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
        dict(os.environ),
        scratch,
        600,
    )
    (wheel,) = wheels.glob("nercourse-*.whl")
    site = scratch / "site"
    _run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        dict(os.environ),
        scratch,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HF_HUB_OFFLINE": "1"}  # notebooks/ is NOT on the path
    elsewhere = scratch / "elsewhere"
    elsewhere.mkdir()
    return {"site": site, "env": env, "cwd": elsewhere, "wheel": wheel}


@pytest.mark.slow
def test_wheel_holds_every_module_and_data_file_and_imports_from_the_install(installed):
    site = installed["site"]
    shipped = {
        p.relative_to(SOURCE_PACKAGE) for p in SOURCE_PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    got = {p.relative_to(site / "nercourse") for p in (site / "nercourse").rglob("*") if p.is_file()}
    assert not shipped - got, (
        f"the wheel leaves out {sorted(map(str, shipped - got))}: see [tool.setuptools] in pyproject.toml"
    )

    modules = sorted(
        "nercourse"
        + ("." + ".".join(p.relative_to(SOURCE_PACKAGE).with_suffix("").parts) if p.stem != "__init__" else "")
        for p in SOURCE_PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts and p.stem != "__main__"  # importing __main__ would run the CLI
    )
    probe = f"""
import importlib, json
import nercourse
from nercourse.data import find_split_files
files = {{name: importlib.import_module(name).__file__ for name in {modules!r}}}
corpus = nercourse.MINI_CORPUS_DIR
print(json.dumps({{"path": list(nercourse.__path__), "files": files, "corpus": str(corpus),
    "splits": {{split: str(path) for split, path in find_split_files(corpus).items()}}}}))
"""
    found = json.loads(_run([sys.executable, "-c", probe], installed["env"], installed["cwd"]).stdout.splitlines()[-1])

    package = (site / "nercourse").resolve()
    assert [Path(p).resolve() for p in found["path"]] == [package]  # submodules can come from nowhere else
    outside = {name: file for name, file in found["files"].items() if not Path(file).resolve().is_relative_to(package)}
    assert not outside, f"imported from outside the installed package: {outside}"
    assert Path(found["corpus"]).resolve().is_relative_to(package)
    assert sorted(found["splits"]) == ["test", "train", "validation"]
    for path in found["splits"].values():
        assert Path(path).stat().st_size > 0


@pytest.mark.slow
def test_console_script_runs_help_and_predict(installed, finetuned_tiny):
    script = installed["site"] / "bin" / "nercourse"
    assert script.is_file(), "no console script: see [project.scripts] in pyproject.toml"
    env, cwd = installed["env"], installed["cwd"]

    help_text = _run([str(script), "--help"], env, cwd).stdout
    for command in ("train", "evaluate", "predict"):
        assert command in help_text

    text = "Angela Merkel visited Volkswagen in Wolfsburg."
    results = json.loads(_run([str(script), "predict", "--model", finetuned_tiny, text], env, cwd).stdout)
    assert [result["text"] for result in results] == [text]
    for entity in results[0]["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.slow
def test_a_notebook_runs_against_the_installed_package(installed):
    report_path = installed["cwd"] / "notebooks.json"
    command = [sys.executable, str(ROOT / "tools" / "run_notebooks.py"), "--mode", "smoke", "--only", "00"]
    command += ["--no-solutions", "--installed", "--json", str(report_path)]
    _run(command, installed["env"], installed["cwd"], timeout=600)

    report = json.loads(report_path.read_text())
    (record,) = report["notebooks"]
    assert record["notebook"] == "00_welcome.ipynb" and record["status"] == "ok", record["error"]
    package = (installed["site"] / "nercourse").resolve()
    assert Path(record["nercourse_file"]).resolve().is_relative_to(package)  # inside the notebook's kernel
    assert Path(report["settings"]["NERCOURSE_DATA_DIR"]).resolve().is_relative_to(package)  # the installed corpus
