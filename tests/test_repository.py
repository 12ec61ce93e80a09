"""The repository itself: notebooks without outputs and in sync, README and CI agree, lint passes,
nothing depends on files outside the clone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.newest_only  # the repository's own rules (lint, sync, README): one pass covers them

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
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci, f"{command!r} is not a line of .ci/run (its newest pass runs README's command as it stands)"
    # every other pass runs the same command with a selection added (-m ...), nothing else changed
    runner = " ".join(command.split()[:3])  # python -m pytest
    runs = [line for line in ci if line.lstrip().startswith(runner)]
    assert len(runs) == 2, runs
    assert all(line == command or re.fullmatch(re.escape(command) + r" -m (['\"])[\w ]+\1", line) for line in runs), (
        runs
    )


def test_readme_images_and_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?!https?://|#)[^)\s]+)\)", readme):
        assert (ROOT / target).exists(), f"README links to missing {target}"


def public_files() -> list[Path]:
    """Every file a reader of the repository gets: tracked or new and not ignored by git (a walk
    that skips environments, caches and build outputs where git is not there)."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True
    )
    if listing.returncode == 0 and listing.stdout:
        paths = [ROOT / name for name in listing.stdout.decode("utf-8").split("\0") if name]
        return sorted(path for path in paths if path.is_file())
    skipped = re.compile(
        r"^(\.git|\.venv.*|venv|build|dist|\.hypothesis|\.carry|ner-model|trainer_output|.*\.egg-info|__pycache__|\..*_cache|\.ipynb_checkpoints)$"
    )
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not skipped.match(name)]  # os.walk descends into what is left
        found += [Path(folder, name) for name in names]
    return sorted(found)


TEXT_SUFFIXES = {".py", ".ipynb", "", ".md", ".json", ".txt", ".toml", ".cfg", ".yml", ".yaml", ".sh"}


def test_nothing_reads_the_shared_folder():
    # The team's shared folder (real CoNLL-2003, notes) is not in a fresh clone. The patterns are
    # assembled so that this file does not contain them itself.
    patterns = ["..", "/work"]
    patterns = [prefix + "/" + "shared" for prefix in patterns]
    checked = [path for path in public_files() if path.suffix in TEXT_SUFFIXES]
    assert any(path.suffix == ".md" for path in checked) and any(path.suffix == ".py" for path in checked)
    for path in checked:
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert not any(pattern in text for pattern in patterns), path


# What the team's own tooling is called, which a reader of the course never meets: the bundle folder
# for remote runs, machines on loan, the tool that lends them, the team's issue numbers. A citation
# of another project's issue ("google-research/bert issues #223") is fine. Assembled, as above.
INTERNAL = re.compile(
    "|".join(
        [
            r"(?<![\w.])\." + "carry" + r"\b",
            r"\blent\s+(?:GPUs?|machines?|H[12]00|devices?)\b",
            r"\b(?:was|were|is|are|be|been)\s+" + "lent" + r"\b",
            r"\bdevice\s+" + "tool" + r"\b",
            r"\bissues?\s+#?\d+",
        ]
    ),
    re.IGNORECASE,
)
CITATION = re.compile(r"[\w.-]+/[\w.-]+\s+$")  # owner/name right before "issue N"


def internal_mentions(text: str) -> list[str]:
    return [
        m.group()
        for m in INTERNAL.finditer(text)
        if not (m.group().lower().startswith("issue") and CITATION.search(text[max(0, m.start() - 100) : m.start()]))
    ]


def test_internal_mentions_are_caught_and_citations_are_not():
    assert internal_mentions("Run it on the lent GPU with the .carry/ bundle (issue 6).") == [
        "lent GPU",
        ".carry",
        "issue 6",
    ]
    assert internal_mentions("No GPU was lent to us; see Issue #12 and the device tool.") == [
        "was lent",
        "Issue #12",
        "device tool",
    ]
    legitimate = (
        "See google-research/bert issues #223 and #345. A known issue: 3 epochs carry the model far; "
        "the library lent itself to it. Scores carry over (self.carry_on). Device: the GPU."
    )
    assert internal_mentions(legitimate) == []


def test_public_text_speaks_of_the_course_only():
    """Markdown (README, benchmarks/RESULTS.md, notebooks' and any other *.md), notebooks, the helper
    package, benchmarks and their results, tools: written for a learner or a user of the course."""
    failures = []
    for path in public_files():
        relative = path.relative_to(ROOT).as_posix()
        public = path.suffix == ".md" or (
            relative.startswith(("notebooks/", "benchmarks/", "tools/")) and path.suffix in {".py", ".ipynb", ".json"}
        )
        if public:
            found = internal_mentions(path.read_text(encoding="utf-8", errors="ignore"))
            if found:
                failures.append(f"{relative}: {found[:5]}")
    assert not failures, "public files speak of the team's internals:\n" + "\n".join(failures)


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
