"""benchmarks/conllpp_benchmark.py runs on the tiny model and the mini corpus's pair of golds, and its
record adds up: the same predictions scored against both, every corrected sentence given a verdict."""

from __future__ import annotations

import pytest
from helpers import run_benchmark

import nercourse
from nercourse.conllpp import MINI_CORRECTED_TEST
from nercourse.labels import gold_tags

pytestmark = pytest.mark.newest_only  # a benchmark script: one pass covers it


@pytest.mark.slow
def test_conllpp_benchmark_scores_one_prediction_against_both_golds(finetuned_tiny, mini_corpus, tmp_path):
    out = tmp_path / "conllpp.json"
    report, printed = run_benchmark(
        "conllpp_benchmark.py",
        out,
        *("--model", finetuned_tiny, "--data-dir", str(mini_corpus), "--conllpp", str(MINI_CORRECTED_TEST)),
    )
    original = nercourse.read_conll(mini_corpus / "test.txt")
    corrected = nercourse.read_conll(MINI_CORRECTED_TEST)
    changed = sum(a != b for a, b in zip(gold_tags(original), gold_tags(corrected), strict=True))
    assert report["sentences"] == len(original)
    assert report["corrected_sentences"] == changed > 0
    assert sum(report["verdicts"].values()) == changed
    assert len(report["agrees_with_correction"]) == report["verdicts"]["agrees with correction"]
    # the same predictions: scored against the original gold they give what evaluate_split gives
    tagger = nercourse.NerTagger.from_pretrained(finetuned_tiny)
    scores, _ = nercourse.evaluate_split(tagger, original)
    assert report["scores"]["conll2003"]["f1"] == pytest.approx(100 * scores["f1"], abs=0.006)
    assert "CoNLL++" in printed
