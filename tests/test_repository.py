"""The repository itself: notebooks without outputs and in sync, README and CI agree, lint passes,
nothing depends on files outside the clone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))


def test_notebook_names_and_solutions_pair_up():
    assert MAIN, "no notebooks"
    for path in MAIN:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
    assert [p.name.replace("_solutions", "") for p in SOLUTIONS] == [p.name for p in MAIN]


def test_notebooks_are_committed_without_outputs():
    for path in MAIN + SOLUTIONS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        dirty = [
            i
            for i, c in enumerate(notebook["cells"])
            if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
        ]
        assert not dirty, f"{path.name}: cells {dirty} carry outputs; run python tools/sync_notebooks.py"


def test_every_notebook_has_one_parameters_cell():
    for path in MAIN + SOLUTIONS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
        source = "".join(tagged[0]["source"])
        assert "NERCOURSE_" in source or "default_profile" in source, f"{path.name}: settings come from NERCOURSE_*"


def test_generated_parts_are_in_sync():
    result = subprocess.run(
        [sys.executable, "tools/sync_notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert match, "README.md must give the test command after <!-- test-command -->"
    command = match.group(1).strip().splitlines()[-1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines(), f"{command!r} is not a line of .ci/run"


def test_readme_images_and_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?!https?://|#)[^)\s]+)\)", readme):
        assert (ROOT / target).exists(), f"README links to missing {target}"


def test_nothing_reads_the_shared_folder():
    # The team's shared folder (real CoNLL-2003, notes) is not in a fresh clone. The patterns are
    # assembled so that this file does not contain them itself.
    patterns = ["..", "/work"]
    patterns = [prefix + "/" + "shared" for prefix in patterns]
    for folder in ("tests", "notebooks", ".ci", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".ipynb", ""} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="ignore")
                assert not any(pattern in text for pattern in patterns), path


def test_no_login_or_upload_in_the_default_path():
    for path in MAIN + SOLUTIONS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "notebook_login" not in code, path.name
        if "push_to_hub" in code or "login(" in code:
            assert re.search(r"^SHARE_TO_HUB = False", code, re.M), f"{path.name}: sharing must be off by default"


def test_ruff_lint_and_format():
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
