"""The loading cell written out in notebook 01 (``load_dataset`` for the pinned Hub copy, or
``read_conll`` on local files) gives what ``nercourse.load_conll2003`` gives: the notebook teaches
the same data the rest of the course uses."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from helpers import tagged_source

import nercourse

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01_conll2003.ipynb"
TAG = "inline-loading"


def run_loading_cell(data_dir) -> tuple[dict, str]:
    """Run the notebook's cell tagged ``inline-loading`` with only ``nercourse`` and ``DATA_DIR`` in
    its globals; return its namespace and what it printed."""
    namespace = {"nercourse": nercourse, "DATA_DIR": data_dir}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tagged_source(NOTEBOOK.name, TAG), f"{NOTEBOOK.name}[{TAG}]", "exec"), namespace)
    return namespace, printed.getvalue()


def assert_same_as_helper(loaded, data_dir) -> None:
    helper = nercourse.load_conll2003(data_dir)
    assert sorted(loaded) == sorted(helper) == ["test", "train", "validation"]
    for split in helper:
        ours, theirs = loaded[split], helper[split]
        assert len(ours) == len(theirs), split
        assert ours.features["ner_tags"] == theirs.features["ner_tags"], split
        assert ours.features["tokens"] == theirs.features["tokens"], split
        assert list(ours["tokens"]) == list(theirs["tokens"]), split
        assert list(ours["ner_tags"]) == list(theirs["ner_tags"]), split


def test_the_local_files_path_equals_the_helper(mini_corpus):
    namespace, printed = run_loading_cell(str(mini_corpus))
    assert_same_as_helper(namespace["raw_inline"], mini_corpus)
    assert "read_conll" in printed and printed.count("\n") == 1, printed  # one sentence says which path ran


def test_without_the_hub_it_says_so_and_reads_local_files():
    """The tests run with HF_HUB_OFFLINE=1 (conftest): load_dataset cannot reach the Hub."""
    namespace, printed = run_loading_cell(None)
    assert "could not reach the Hub" in printed and "NERCOURSE_DATA_DIR" in printed, printed
    assert printed.count("\n") == 1, printed
    assert namespace["DATA_DIR"] == str(nercourse.MINI_CORPUS_DIR)  # the later cells read the same files
    assert_same_as_helper(namespace["raw_inline"], nercourse.MINI_CORPUS_DIR)
