"""Notebook 04 prints seqeval's classification_report in default and strict mode, then checks the
helper's scores against it: on the mini corpus, with predictions that have wrong, missing and
ill-formed entities, the tagged cells run, their printed reports carry the helper's numbers, and the
helper's cell asserts what it claims (the notebook shows seqeval's numbers, not only the helper's)."""

from __future__ import annotations

import contextlib
import io
import random
import re
from pathlib import Path

import nbformat
import pytest
from helpers import tagged_cells
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

import nercourse

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_evaluation.ipynb"
TAGS = ("seqeval-report", "seqeval-report-strict", "helper-report")


def tagged_cell(tag: str):
    return tagged_cells(NOTEBOOK.name, tag)[0]


def run_cell(tag: str, namespace: dict) -> str:
    """Run the tagged cell in ``namespace``; what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tagged_cell(tag).source, f"{NOTEBOOK.name}[{tag}]", "exec"), namespace)
    return printed.getvalue()


def report_rows(text: str) -> dict[str, list[float]]:
    """seqeval's text report as {row name: [precision, recall, f1, support]}."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^\s*(\w+(?: avg)?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s*$", line)
        if match:
            rows[match.group(1)] = [float(match.group(i)) for i in range(2, 6)]
    return rows


@pytest.fixture(scope="module")
def tags(mini_corpus) -> tuple[list[list[str]], list[list[str]]]:
    gold = nercourse.evaluation.gold_tags(nercourse.read_conll(mini_corpus / "validation.txt"))
    rng = random.Random(0)
    predicted = [[rng.choice(nercourse.LABEL_NAMES) if rng.random() < 0.1 else t for t in s] for s in gold]
    return gold, predicted


def test_the_report_cells_are_on_the_core_path_and_come_before_the_helper():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    positions = {}
    for index, cell in enumerate(notebook.cells):
        for tag in TAGS:
            if tag in cell.metadata.get("tags", []):
                assert "optional" not in cell.metadata["tags"], f"{tag} must be on the core path"
                positions[tag] = index
    assert positions["seqeval-report"] < positions["seqeval-report-strict"] < positions["helper-report"]
    assert "digits=4" in tagged_cell("seqeval-report").source
    assert 'mode="strict", scheme=IOB2' in tagged_cell("seqeval-report-strict").source


def test_the_printed_reports_carry_the_helpers_scores(tags):
    gold, predictions = tags
    namespace = {"classification_report": classification_report, "IOB2": IOB2, "gold": gold, "predictions": predictions}
    default_text = run_cell("seqeval-report", namespace)
    strict_text = run_cell("seqeval-report-strict", namespace)
    scores = nercourse.score_words(gold, predictions)
    assert scores["strict_f1"] != scores["f1"], "the example must have ill-formed predictions"

    default, strict = report_rows(default_text), report_rows(strict_text)
    for kind, values in scores["per_type"].items():
        expected = [round(values[k], 4) for k in ("precision", "recall", "f1")] + [values["support"]]
        assert default[kind] == expected, kind
    for rows, prefix in ((default, ""), (strict, "strict_")):
        micro = [round(scores[prefix + k], 4) for k in ("precision", "recall", "f1")] + [scores["entities"]]
        assert rows["micro avg"] == micro, prefix or "default"


def test_the_helper_cell_checks_every_number_against_seqeval(tags):
    gold, predictions = tags
    namespace = {
        "classification_report": classification_report,
        "IOB2": IOB2,
        "nercourse": nercourse,
        "gold": gold,
        "predictions": predictions,
    }
    printed = run_cell("helper-report", namespace)
    assert namespace["scores"] == nercourse.score_words(gold, predictions)  # later cells and KEY_FIGURES read it
    assert all(kind in printed for kind in nercourse.ENTITY_TYPES) and "strict micro" in printed

    # the cell's asserts fail when the helper disagrees with seqeval
    wrong = nercourse.score_words(gold, predictions)
    wrong["strict_f1"] += 1e-9
    broken = dict(namespace, nercourse=type("Helper", (), {"score_words": staticmethod(lambda g, p: wrong)}))
    with pytest.raises(AssertionError):
        run_cell("helper-report", broken)
