"""nercourse.evaluation: whole-split evaluation and the predictions-file round trip."""

from __future__ import annotations

import pytest
from helpers import PUBLIC_ORDER

import nercourse
from nercourse.errors import CoNLLFormatError, NerCourseError
from nercourse.evaluation import evaluate_split, read_predictions, score_predictions_file, write_predictions
from nercourse.labels import gold_tags


@pytest.fixture(scope="module")
def test_split(mini_corpus):
    return nercourse.load_conll2003(mini_corpus)["test"]


def test_label_order_of_model_or_split_changes_nothing(finetuned_tiny, permuted_tiny, mini_corpus, tmp_path):
    # The same model with its labels numbered in another order, and the same split with its
    # ClassLabel ids in another order: tags, scores and predictions files must all be the same.
    splits = [
        nercourse.load_conll2003(mini_corpus)["test"],
        nercourse.load_conll2003(mini_corpus, label_names=PUBLIC_ORDER)["test"],
    ]
    assert splits[0]["ner_tags"] != splits[1]["ner_tags"]  # the ids differ, the tags do not
    taggers = [nercourse.NerTagger.from_pretrained(finetuned_tiny), nercourse.NerTagger.from_pretrained(permuted_tiny)]
    assert taggers[1].label_names == PUBLIC_ORDER
    words = list(splits[0]["tokens"])
    reference_scores, reference_predictions = evaluate_split(taggers[0], splits[0])
    assert reference_scores["f1"] > 0.05  # a score worth comparing
    reference_file = tmp_path / "reference.txt"
    write_predictions(reference_file, words, reference_predictions, gold_tags(splits[0]))
    for t, tagger in enumerate(taggers):
        for s, split in enumerate(splits):
            scores, predictions = evaluate_split(tagger, split)
            assert predictions == reference_predictions, (t, s)
            assert scores == reference_scores, (t, s)
            path = tmp_path / f"{t}-{s}.txt"
            write_predictions(path, words, predictions, gold_tags(split))
            assert path.read_text() == reference_file.read_text(), (t, s)
            only_predictions = tmp_path / f"{t}-{s}-pred.txt"
            write_predictions(only_predictions, words, predictions)
            assert score_predictions_file(only_predictions, split) == reference_scores, (t, s)


def test_a_model_with_tags_the_split_lacks_is_refused(finetuned_tiny, test_split):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    renamed = [name.replace("MISC", "EVENT") for name in nercourse.LABEL_NAMES]
    model.config.id2label = dict(enumerate(renamed))
    model.config.label2id = {name: i for i, name in enumerate(renamed)}
    with pytest.raises(NerCourseError, match=r"predicts tags \['B-EVENT', 'I-EVENT'\] that this split does not have"):
        evaluate_split(nercourse.NerTagger(model, tokenizer), test_split)


def test_supports_equal_the_gold_entity_counts(tagger, test_split):
    scores, predictions = evaluate_split(tagger, test_split)
    assert {k: v["support"] for k, v in scores["per_type"].items()} == nercourse.entity_counts(test_split)
    assert scores["sentences"] == len(test_split)
    assert scores["words"] == sum(len(t) for t in test_split["tokens"])
    assert [len(p) for p in predictions] == [len(t) for t in test_split["tokens"]]


def test_predictions_file_round_trip(tagger, test_split, tmp_path):
    scores, predictions = evaluate_split(tagger, test_split)
    words = list(test_split["tokens"])
    with_gold = tmp_path / "gold_pred.txt"
    write_predictions(with_gold, words, predictions, gold_tags(test_split))
    assert score_predictions_file(with_gold) == scores
    only_predictions = tmp_path / "pred.txt"
    write_predictions(only_predictions, words, predictions)
    assert score_predictions_file(only_predictions, test_split) == scores
    read_words, read_gold, read_pred = read_predictions(with_gold)
    assert read_words == words and read_gold == gold_tags(test_split) and read_pred == predictions


def test_predictions_keep_ill_formed_tags_for_strict_scoring(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("Ada B-PER I-PER\nLovelace I-PER I-PER\n\n")
    words, gold, pred = read_predictions(path)
    assert pred == [["I-PER", "I-PER"]]
    scores = score_predictions_file(path)
    assert scores["f1"] == 1.0 and scores["strict_f1"] == 0.0


def test_predictions_that_do_not_match_the_split_are_refused(tagger, test_split, tmp_path):
    words = list(test_split["tokens"])
    _, predictions = evaluate_split(tagger, test_split)
    path = tmp_path / "p.txt"
    write_predictions(path, words[:-1], predictions[:-1])
    with pytest.raises(CoNLLFormatError, match="sentences, but the split has"):
        score_predictions_file(path, test_split)
    shifted = [words[1], *words[1:]]
    write_predictions(path, shifted, [["O"] * len(w) for w in shifted])
    with pytest.raises(CoNLLFormatError, match="sentence 1 has words"):
        score_predictions_file(path, test_split)
    write_predictions(path, words, predictions)
    with pytest.raises(CoNLLFormatError, match="no gold column"):
        score_predictions_file(path)
