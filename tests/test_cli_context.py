"""``train --context-budget``, ``evaluate`` and ``predict`` of a model trained with document context, and
NerTagger reading a pasted article in context: such a model is used the way it was trained, unless told otherwise."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from helpers import built_once

import nercourse
from nercourse.cli import main


@pytest.fixture(scope="session")
def context_model(tiny_bert, mini_corpus, tmp_path_factory) -> str:
    """``train --context-budget 40`` of the tiny BERT, run in-process once per test run."""

    def train(output: Path) -> None:
        command = ["train", "--model", tiny_bert, "--data-dir", str(mini_corpus), "--output-dir", str(output)]
        errors = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
            code = main([*command, "--profile", "smoke", "--context-budget", "40"])
        assert code == 0, errors.getvalue()[-3000:]

    return str(built_once(tmp_path_factory, "tiny-ner-context", train))


@pytest.mark.slow
def test_train_saves_the_budget_and_evaluate_scores_in_that_context(context_model, mini_corpus, cli):
    assert json.loads((Path(context_model) / "config.json").read_text())["nercourse_context_budget"] == 40
    validation = nercourse.load_conll2003(str(mini_corpus))["validation"]
    tagger = nercourse.NerTagger.from_pretrained(context_model)
    in_context, _ = nercourse.evaluate_in_context(tagger, validation, 40)
    alone, _ = nercourse.evaluate_split(tagger, validation)

    default = cli("evaluate", "--model", context_model, "--data-dir", str(mini_corpus))
    assert default.returncode == 0, default.stderr[-3000:]
    scores = json.loads(default.stdout)
    assert scores["context_budget"] == 40
    assert scores["f1"] == pytest.approx(in_context["f1"]) and scores["words"] == in_context["words"]

    sentence = cli("evaluate", "--model", context_model, "--data-dir", str(mini_corpus), "--context-budget", "0")
    assert sentence.returncode == 0, sentence.stderr[-3000:]
    assert json.loads(sentence.stdout)["context_budget"] == 0
    assert json.loads(sentence.stdout)["f1"] == pytest.approx(alone["f1"])


@pytest.mark.slow
def test_a_sentence_model_is_scored_sentence_by_sentence(finetuned_tiny, mini_corpus, cli):
    result = cli("evaluate", "--model", finetuned_tiny, "--data-dir", str(mini_corpus))
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["context_budget"] == 0


@pytest.mark.parametrize(
    ("command", "value", "message"),
    [
        ("train", "0", "above 0"),
        ("train", "-3", "above 0"),
        ("evaluate", "-1", "0 or more"),
        ("evaluate", "x", "whole"),
    ],
)
def test_bad_budgets_are_refused_with_a_reason(command, value, message, cli):
    result = cli(command, "--context-budget", value)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_budget_beyond_the_model_is_a_clear_error(finetuned_tiny, mini_corpus, cli):
    result = cli("evaluate", "--model", finetuned_tiny, "--data-dir", str(mini_corpus), "--context-budget", "5000")
    assert result.returncode == 2, result.stderr[-3000:]
    assert "does not fit the model" in result.stderr and "Traceback" not in result.stderr


ARTICLE = (
    "Hallam Forest beat Stella Rossa 2-1 in Kingsbridge on Saturday. The coach said the win was deserved.\n"
    "Stella Rossa play Hallam Forest again in May."
)


def entities_by_hand(tagger, text: str, budget: int):
    """The article's entities, each sentence predicted with the others as its context (one document)."""
    from nercourse.inference import entities_from_words

    sentences = nercourse.split_sentences(text)
    words = [[w.text for w in sentence] for sentence in sentences]
    tags, scores = nercourse.predict_in_context(tagger, words, [0] * len(words), budget)
    return [e for s, t, p in zip(sentences, tags, scores, strict=True) for e in entities_from_words(text, s, t, p)]


@pytest.mark.slow
def test_a_context_model_tags_a_pasted_article_in_context(context_model, cli):
    tagger = nercourse.NerTagger.from_pretrained(context_model)
    assert tagger.context_budget == 40  # read from the model's config
    found = tagger.entities(ARTICLE)
    assert found == entities_by_hand(tagger, ARTICLE, 40)
    assert [(w, t) for w, t in tagger.tag_text(ARTICLE)] == [
        (w.text, t)
        for sentence, tags in zip(
            nercourse.split_sentences(ARTICLE),
            nercourse.predict_in_context(
                tagger,
                [[w.text for w in s] for s in nercourse.split_sentences(ARTICLE)],
                [0] * len(nercourse.split_sentences(ARTICLE)),
                40,
            )[0],
            strict=True,
        )
        for w, t in zip(sentence, tags, strict=True)
    ]
    alone = nercourse.NerTagger.from_pretrained(context_model, context_budget=0)
    assert alone.entities(ARTICLE) == entities_by_hand(alone, ARTICLE, 0)
    # two texts in one batch are two documents: each is tagged as if it came alone
    assert tagger.entities_batch([ARTICLE, ARTICLE]) == [found, found]

    result = cli("predict", "--model", context_model, "--format", "conll", ARTICLE)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line.split() for line in result.stdout.splitlines() if line]
    assert [tuple(line) for line in lines] == tagger.tag_text(ARTICLE)


def test_a_sentence_model_has_no_context_and_bad_budgets_are_refused(finetuned_tiny):
    assert nercourse.NerTagger.from_pretrained(finetuned_tiny).context_budget == 0
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="context_budget"):
            nercourse.NerTagger.from_pretrained(finetuned_tiny, context_budget=bad)
    with pytest.raises(ValueError, match="does not fit"):
        nercourse.NerTagger.from_pretrained(finetuned_tiny, context_budget=10_000)
