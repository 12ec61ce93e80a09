"""Helpers that several test modules share (test modules never import each other). Fixtures live in
conftest.py; this module holds plain functions and constants, imported as ``from helpers import ...``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_ORDER = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
"""dslim/bert-base-NER's label order, not the course's."""


# ------------------------------------------------------------------------ notebook cells by tag


def tagged_cells(notebook: str | Path, tag: str, count: int | None = 1) -> list:
    """The cells of ``notebooks/<notebook>`` that carry the Jupyter tag ``tag`` (nbformat cells, in
    order); with ``count``, exactly that many, or the test fails saying so."""
    import nbformat

    path = ROOT / "notebooks" / notebook
    cells = [cell for cell in nbformat.read(path, as_version=4).cells if tag in cell.metadata.get("tags", [])]
    assert count is None or len(cells) == count, (
        f"{path.name}: expected {count} cell(s) tagged {tag!r}, found {len(cells)}"
    )
    return cells


def tagged_source(notebook: str | Path, tag: str) -> str:
    """The source of the one cell of ``notebooks/<notebook>`` tagged ``tag``."""
    return tagged_cells(notebook, tag)[0].source


# ------------------------------------------------------------------------ built once per test run


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """``ROOT_TMP/name``, built by ``build(folder)`` once for the whole run, whatever the number of
    xdist workers (pytest-xdist's docs, "Making session-scoped fixtures execute only once").

    The first worker to take the lock builds; the others wait on the lock and then find the done
    marker, which is written only after ``build`` returned: nobody reads a half-built folder.
    Without xdist the run's own base temporary folder is used (its parent is shared by runs)."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            if folder.exists():  # left half-built by a worker that failed
                shutil.rmtree(folder)
            build(folder)
            done.touch()
    return folder


# ---------------------------------------------------------------------------------- model copies


def save_permuted_copy(finetuned: str, folder: Path, order: list[str] = PUBLIC_ORDER) -> str:
    """The fine-tuned model with its classifier rows and id2label/label2id permuted together: the
    same model, numbering its labels in ``order``."""
    import torch

    import nercourse

    model, tokenizer = nercourse.load_finetuned(finetuned)
    rows = [model.config.label2id[name] for name in order]  # new id -> old id
    with torch.no_grad():
        model.classifier.weight.copy_(model.classifier.weight[rows].clone())
        model.classifier.bias.copy_(model.classifier.bias[rows].clone())
    model.config.id2label = dict(enumerate(order))
    model.config.label2id = {name: i for i, name in enumerate(order)}
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


def save_without_label_names(finetuned: str, folder: Path, generic: bool = False) -> str:
    """A copy of a fine-tuned model whose config.json has no id2label/label2id (``generic``: the
    names transformers makes up instead, LABEL_0 ... LABEL_8)."""
    import nercourse

    shutil.copytree(finetuned, folder)
    config = json.loads((folder / "config.json").read_text())
    del config["id2label"], config["label2id"]
    if generic:
        config["id2label"] = {str(i): f"LABEL_{i}" for i in range(len(nercourse.LABEL_NAMES))}
        config["label2id"] = {f"LABEL_{i}": i for i in range(len(nercourse.LABEL_NAMES))}
    (folder / "config.json").write_text(json.dumps(config))
    return str(folder)


# ------------------------------------------------------------------------------------ processes


def run_cli_process(
    *args: str | bytes, stdin: str | bytes | None = None, env=None, cwd=None, timeout=600
) -> subprocess.CompletedProcess:
    """``python -m nercourse`` in a fresh process, end to end. Arguments and stdin may be bytes (not
    UTF-8, say); stdout must be UTF-8 (decoded strictly), stderr is decoded leniently. Most CLI tests
    use the ``cli`` fixture instead (in-process, seconds faster)."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"), HF_HUB_OFFLINE="1")
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "nercourse", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=environment,
        cwd=cwd,
        timeout=timeout,
    )
    result.stdout = result.stdout.decode("utf-8")
    result.stderr = result.stderr.decode("utf-8", errors="replace")
    return result


def run_script(*arguments: str) -> subprocess.CompletedProcess:
    """A script of the repository (``benchmarks/x.py ...``) run from the repository root."""
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=600)


# ----------------------------------------------------------------------------------- benchmarks

MACHINE_KEYS = {"date", "device", "precision", "python", "torch", "transformers", "datasets", "tokenizers"}


def run_benchmark(script: str, out: Path, *arguments: str) -> tuple[dict, str]:
    """Run ``benchmarks/<script>`` with ``arguments`` and ``--json out``: the report it wrote, checked
    traceable (:func:`assert_traceable`), and what it printed."""
    result = run_script(f"benchmarks/{script}", *arguments, "--json", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert_traceable(report, script)
    return report, result.stdout


def assert_traceable(report: dict, script: str) -> None:
    """Machine, versions, the command line and the load average around the run are recorded."""
    assert MACHINE_KEYS <= set(report["machine"]), MACHINE_KEYS - set(report["machine"])
    assert report["command"].startswith(f"python benchmarks/{script}"), report["command"]
    for key in ("load_average_before", "load_average_after"):
        assert report[key] is None or len(report[key]) == 3, key
