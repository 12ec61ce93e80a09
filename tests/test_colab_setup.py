"""The notebooks' first code cell on Google Colab: it installs what Colab lacks and, when that fails,
stops with a message that says what to do (not a CalledProcessError traceback). Colab itself is
simulated: a stand-in ``google.colab`` module and the real cell's source, run in a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.newest_only  # pip and Colab are simulated, no library version is involved: one pass covers it

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)


PUBLISH = json.loads((ROOT / "tools" / "publish.json").read_text(encoding="utf-8"))
MAIN = [path for path in NOTEBOOKS if path.parent.name == "notebooks"]


def header_markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(cells[0]["source"]) if "nercourse-header" in cells[0]["metadata"].get("tags", []) else ""


def setup_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code" and "nercourse-header" in c["metadata"].get("tags", [])]
    assert len(code) == 1, f"{path.name}: one setup cell expected"
    return "".join(code[0]["source"])


def run_as_on_colab(cell: str, pip_exit_code: int, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the cell with google.colab importable and pip answering ``pip_exit_code`` (recorded calls)."""
    calls = tmp_path / "pip-calls.json"
    prelude = textwrap.dedent(
        f"""
        import json, subprocess, sys, types
        sys.modules["google"] = types.ModuleType("google")
        sys.modules["google.colab"] = types.ModuleType("google.colab")
        seen = []
        def fake_run(command, **kwargs):
            seen.append(command)
            open({str(calls)!r}, "w").write(json.dumps(seen))
            return subprocess.CompletedProcess(command, {pip_exit_code}, "", "ERROR: could not resolve host github.com")
        subprocess.run = fake_run
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"))
    result = subprocess.run(
        [sys.executable, "-c", prelude + cell], capture_output=True, text=True, env=env, timeout=120
    )
    result.calls = json.loads(calls.read_text()) if calls.exists() else []
    return result


def test_every_notebook_has_the_same_setup_cell():
    cells = {setup_cell(path) for path in NOTEBOOKS}
    assert len(cells) == 1


def test_a_failed_install_stops_with_what_to_do(tmp_path):
    result = run_as_on_colab(setup_cell(NOTEBOOKS[0]), 1, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "CalledProcessError" not in result.stderr
    assert "Could not install seqeval>=1.2.2" in result.stderr and "could not resolve host" in result.stderr
    assert "What to do" in result.stderr and "sync_notebooks.py --repository" in result.stderr
    assert len(result.calls) == 1  # it stopped at the first failure


def test_a_working_install_installs_seqeval_then_the_course_at_its_tag_without_dependencies(tmp_path):
    result = run_as_on_colab(setup_cell(NOTEBOOKS[0]), 0, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "transformers" in result.stdout  # the environment summary printed after the install
    course = f"git+https://github.com/{PUBLISH['repository']}.git@{PUBLISH['ref']}"
    assert [call[-1] for call in result.calls] == ["seqeval>=1.2.2", course]
    assert "--no-deps" in result.calls[1]


def test_the_course_installs_the_tag_of_its_own_version():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"$', pyproject, re.M).group(1)
    assert PUBLISH == {"repository": "nercourse/bert-ner-course", "ref": f"v{version}"}
    import nercourse

    assert nercourse.__version__ == version
    assert setup_cell(NOTEBOOKS[0]).count(f".git@v{version}") == 1


def test_colab_links_open_the_published_ref():
    link = f"https://colab.research.google.com/github/{PUBLISH['repository']}/blob/{PUBLISH['ref']}/notebooks/"
    for path in NOTEBOOKS:
        assert link in header_markdown(path), path.name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"https://colab\.research\.google\.com/github/[^)\s]+", readme)
    assert badges and all(badge.startswith(link) for badge in badges), badges


def test_the_top_of_every_notebook_says_what_to_do_on_colab():
    import sync_notebooks as sync

    for path in MAIN:
        header = header_markdown(path)
        checklist = header.split("**On Colab:**", 1)[1]
        assert "Runtime → Change runtime type → T4 GPU" in checklist and "setup cell" in checklist, path.name
        assert sync.MODEL_SOURCE[path.name[:2]] in checklist, path.name
        assert len(checklist.split()) <= 60, f"{path.name}: {len(checklist.split())} words"
    for path in NOTEBOOKS:
        if path.parent.name == "solutions":
            checklist = header_markdown(path).split("**On Colab:**", 1)[1]
            assert "T4 GPU" in checklist and len(checklist.split()) <= 30, path.name


def test_on_a_colab_runtime_without_a_gpu_the_setup_cell_warns(tmp_path):
    result = run_as_on_colab(setup_cell(NOTEBOOKS[0]), 0, tmp_path)  # the tests run on a CPU
    assert result.returncode == 0, result.stderr
    assert "WARNING: no GPU" in result.stdout and "Runtime → Change runtime type → T4 GPU" in result.stdout


def test_outside_colab_the_cell_installs_nothing():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"))
    code = "import subprocess\nsubprocess.run = None\n" + setup_cell(NOTEBOOKS[0])  # any call would fail
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stdout  # no GPU here, but no Colab either: nothing to switch


@pytest.mark.slow
def test_publishing_under_another_slug_and_ref_is_one_command(tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(
        ROOT / "notebooks", copy / "notebooks", ignore=shutil.ignore_patterns("models", "outputs", "__pycache__")
    )
    shutil.copytree(ROOT / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "img", copy / "img")
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    tool = [sys.executable, "tools/sync_notebooks.py"]
    command = [*tool, "--repository", "a-teacher/ner-class-2027", "--ref", "2027-spring"]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    published = json.loads((copy / "tools" / "publish.json").read_text())
    assert published == {"repository": "a-teacher/ner-class-2027", "ref": "2027-spring"}
    for path in [*sorted((copy / "notebooks").glob("**/[0-9][0-9]_*.ipynb")), copy / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "github/a-teacher/ner-class-2027/blob/2027-spring/notebooks/" in text, path.name
        assert "nercourse/bert-ner-course" not in text, path.name
        if path.suffix == ".ipynb":
            assert "git+https://github.com/a-teacher/ner-class-2027.git@2027-spring" in text, path.name
    commit = subprocess.run([*tool, "--ref", "3f2a9c1"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert commit.returncode == 0, commit.stderr
    assert json.loads((copy / "tools" / "publish.json").read_text())["repository"] == "a-teacher/ner-class-2027"
    assert "ner-class-2027.git@3f2a9c1" in (copy / "notebooks" / "00_welcome.ipynb").read_text(encoding="utf-8")
    bad = subprocess.run([*tool, "--repository", "not a slug"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "OWNER/NAME" in bad.stderr
    for branch in ("main", "master", "HEAD", "not/a tag"):
        refused = subprocess.run([*tool, "--ref", branch], cwd=copy, capture_output=True, text=True, timeout=300)
        assert refused.returncode != 0 and "--ref" in refused.stderr and "tag or a commit" in refused.stderr, branch
    assert json.loads((copy / "tools" / "publish.json").read_text())["ref"] == "3f2a9c1"  # refused: nothing written
