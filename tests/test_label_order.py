"""A model whose labels come in another order (as dslim/bert-base-NER's do: O, B-MISC, I-MISC, B-PER, ...)
gives the same entities and the same word-level scores as the course's order, through the notebooks'
path: NerTagger, and notebook 04 executed top to bottom with that model as its setting."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import nercourse

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_ORDER = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


@pytest.fixture(scope="module")
def permuted_tiny(finetuned_tiny, tmp_path_factory) -> str:
    """The tiny fine-tuned model with its classifier rows and id2label reordered together."""
    import torch

    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    order = [nercourse.LABEL_NAMES.index(name) for name in PUBLIC_ORDER]  # new id -> old id
    with torch.no_grad():
        model.classifier.weight.copy_(model.classifier.weight[order].clone())
        model.classifier.bias.copy_(model.classifier.bias[order].clone())
    model.config.id2label = dict(enumerate(PUBLIC_ORDER))
    model.config.label2id = {name: i for i, name in enumerate(PUBLIC_ORDER)}
    folder = tmp_path_factory.mktemp("permuted")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


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


@pytest.mark.slow
def test_notebook_04_scores_the_same_for_both_orders(finetuned_tiny, permuted_tiny, tiny_bert, mini_corpus, tmp_path):
    spec = importlib.util.spec_from_file_location("run_notebooks", ROOT / "tools" / "run_notebooks.py")
    run_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_notebooks)
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
