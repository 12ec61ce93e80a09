"""The notebooks' first code cell on Google Colab: it installs what Colab lacks and, when that fails,
stops with a message that says what to do (not a CalledProcessError traceback). Colab itself is
simulated: a stand-in ``google.colab`` module and the real cell's source, run in a subprocess."""

from __future__ import annotations

import json
import os
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


def test_a_working_install_installs_seqeval_then_the_course_without_dependencies(tmp_path):
    from nercourse.environment import REPOSITORY

    result = run_as_on_colab(setup_cell(NOTEBOOKS[0]), 0, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "transformers" in result.stdout  # the environment summary printed after the install
    assert [call[-1] for call in result.calls] == ["seqeval>=1.2.2", f"git+https://github.com/{REPOSITORY}.git"]
    assert "--no-deps" in result.calls[1]


def test_outside_colab_the_cell_installs_nothing():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"))
    code = "import subprocess\nsubprocess.run = None\n" + setup_cell(NOTEBOOKS[0])  # any call would fail
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_publishing_under_another_slug_is_one_command(tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(
        ROOT / "notebooks", copy / "notebooks", ignore=shutil.ignore_patterns("models", "outputs", "__pycache__")
    )
    shutil.copytree(ROOT / "tools", copy / "tools")
    shutil.copytree(ROOT / "img", copy / "img")
    command = [sys.executable, "tools/sync_notebooks.py", "--repository", "a-teacher/ner-class-2027"]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert 'REPOSITORY = "a-teacher/ner-class-2027"' in (copy / "notebooks/nercourse/environment.py").read_text()
    for path in sorted((copy / "notebooks").glob("**/[0-9][0-9]_*.ipynb")):
        text = path.read_text(encoding="utf-8")
        assert "github/a-teacher/ner-class-2027/blob/main/notebooks/" in text, path.name
        assert "git+https://github.com/a-teacher/ner-class-2027.git" in text, path.name
        assert "nercourse/bert-ner-course" not in text, path.name
    bad = subprocess.run([*command[:-1], "not a slug"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "OWNER/NAME" in bad.stderr
