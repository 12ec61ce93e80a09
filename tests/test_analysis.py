"""nercourse.analysis: error buckets on hand-made cases, confusion counts, sentence losses."""

from __future__ import annotations

import numpy as np
import pytest

import nercourse
from nercourse.analysis import classify_entities, error_buckets, sentence_losses, tag_confusion


def buckets(gold, predicted):
    return sorted((e.bucket, e.gold, e.predicted) for e in classify_entities(gold, predicted))


def test_each_bucket_on_a_hand_made_sentence():
    #        0        1        2      3        4        5       6       7        8
    gold = ["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "B-LOC", "O", "B-MISC", "O", "O"]
    pred = ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "B-LOC", "I-LOC", "O", "B-PER", "O"]
    assert buckets(gold, pred) == sorted(
        [
            ("correct", ("PER", 0, 2), (("PER", 0, 2),)),
            ("wrong_type", ("ORG", 3, 5), (("LOC", 3, 5),)),
            ("wrong_boundary", ("LOC", 6, 7), (("LOC", 6, 8),)),
            ("missed", ("MISC", 8, 9), ()),
            ("spurious", None, (("PER", 9, 10),)),
        ]
    )


def test_type_and_boundary_wrong():
    assert buckets(["B-ORG", "I-ORG", "I-ORG"], ["O", "B-LOC", "I-LOC"]) == [
        ("wrong_type_and_boundary", ("ORG", 0, 3), (("LOC", 1, 3),))
    ]


def test_one_gold_entity_split_in_two_predictions_is_a_boundary_error():
    result = buckets(["B-ORG", "I-ORG", "I-ORG"], ["B-ORG", "B-ORG", "I-ORG"])
    assert result == [("wrong_boundary", ("ORG", 0, 3), (("ORG", 0, 1), ("ORG", 1, 3)))]


def test_buckets_add_up_to_the_scores():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O", "B-MISC"], ["O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-LOC", "O", "B-MISC"], ["B-PER"]]
    found = error_buckets(gold, pred)
    assert set(found) == {"correct", "wrong_type", "wrong_boundary", "wrong_type_and_boundary", "missed", "spurious"}
    gold_entities = sum(len(found[b]) for b in found if b != "spurious")
    scores = nercourse.score_words(gold, pred)
    assert gold_entities == scores["entities"] == 4
    assert len(found["correct"]) / gold_entities == pytest.approx(scores["recall"])
    assert [e.sentence for e in found["spurious"]] == [2]
    words = ["Ada", "Lovelace", "in", "Turin"]
    assert found["wrong_boundary"][0].describe(words) == 'wrong_boundary: gold PER "Ada Lovelace"; predicted PER "Ada"'


def test_confusion_counts_every_word_once():
    gold = [["B-PER", "I-PER", "O"], ["B-LOC"]]
    pred = [["B-PER", "B-PER", "O"], ["B-ORG"]]
    matrix = tag_confusion(gold, pred)
    names = nercourse.LABEL_NAMES
    assert matrix.sum() == 4
    assert matrix[names.index("I-PER"), names.index("B-PER")] == 1
    assert matrix[names.index("B-LOC"), names.index("B-ORG")] == 1
    assert np.trace(matrix) == 2


def test_sentence_losses_rank_confident_mistakes_first():
    names = ["O", "B-PER", "I-PER"]
    confident_right = np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05]])
    confident_wrong = np.array([[0.01, 0.98, 0.01], [0.98, 0.01, 0.01]])
    with_empty_word = np.array([[0.5, 0.25, 0.25], [0.0, 0.0, 0.0]])
    losses = sentence_losses(
        [confident_right, confident_wrong, with_empty_word], [["O", "B-PER"], ["O", "B-PER"], ["O", "O"]], names
    )
    assert losses[0] == pytest.approx(-np.log(0.9))
    assert losses[1] == pytest.approx(-np.log(0.01))
    assert losses[2] == pytest.approx(-np.log(0.5))  # the word without subwords is skipped
    assert np.argsort(-losses)[0] == 1
