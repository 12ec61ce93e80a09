"""A model whose labels come in another order (as dslim/bert-base-NER's do: O, B-MISC, I-MISC, B-PER, ...)
gives the same entities and the same word-level scores as the course's order, through the notebooks'
path: NerTagger, and notebook 04 executed top to bottom with that model as its setting."""

from __future__ import annotations

import pytest
import run_notebooks  # tools/, on pytest's pythonpath
from helpers import PUBLIC_ORDER, ROOT

import nercourse

TEXTS = [
    "Angela Merkel visited the Volkswagen plant in Wolfsburg on Tuesday.",
    "Reuters reported that the U.S. Treasury and Deutsche Bank agreed in Frankfurt.",
    "",
]


def test_the_tagger_reads_predictions_by_name(finetuned_tiny, permuted_tiny, mini_corpus):
    course, public = (
        nercourse.NerTagger.from_pretrained(finetuned_tiny),
        nercourse.NerTagger.from_pretrained(permuted_tiny),
    )
    assert public.label_names == PUBLIC_ORDER
    for ours, theirs in zip(course.entities_batch(TEXTS), public.entities_batch(TEXTS), strict=True):
        # same spans and types; the scores are softmax over the same logits in another order (last-bit rounding)
        assert [(e.type, e.start, e.end) for e in ours] == [(e.type, e.start, e.end) for e in theirs]
        assert [e.score for e in ours] == pytest.approx([e.score for e in theirs], abs=1e-6)
    sentences = list(nercourse.load_conll2003(mini_corpus)["validation"]["tokens"])
    assert course.predict_words(sentences)[0] == public.predict_words(sentences)[0]


@pytest.mark.newest_only  # the tagger's code path, which the test above checks in both CI passes
@pytest.mark.slow
def test_notebook_04_scores_the_same_for_both_orders(finetuned_tiny, permuted_tiny, tiny_bert, mini_corpus, tmp_path):
    figures = {}
    for name, model in (("course order", finetuned_tiny), ("public order", permuted_tiny)):
        env = run_notebooks.notebook_environment(
            model=tiny_bert, data_dir=mini_corpus, profile="smoke", finetuned=model, output_dir=tmp_path / name
        )
        record = run_notebooks.run_notebook(
            ROOT / "notebooks" / "04_evaluation.ipynb", env, tmp_path / name, timeout=600
        )
        assert record["status"] == "ok", record["error"]
        figures[name] = record["figures"]
    assert figures["course order"]["model_source"] == "setting"
    assert figures["course order"]["test_f1"] > 0  # a score worth comparing
    for key in ("dev_f1", "test_f1"):
        assert figures["course order"][key] == figures["public order"][key], key
