"""nercourse.metrics against hand-computed seqeval cases."""

from __future__ import annotations

import numpy as np
import pytest

import nercourse
from nercourse.metrics import first_subword_tags, make_compute_metrics, score_words

GOLD = [["B-PER", "I-PER", "O", "B-LOC", "O"]]


@pytest.mark.parametrize(
    ("predicted", "default_f1", "strict_f1"),
    [
        (["B-PER", "I-PER", "O", "B-LOC", "O"], 1.0, 1.0),
        (["I-PER", "I-PER", "O", "B-LOC", "O"], 1.0, 2 / 3),  # no B-: conlleval accepts, strict drops it
        (["B-PER", "I-PER", "O", "I-LOC", "O"], 1.0, 2 / 3),
        (["B-PER", "I-LOC", "O", "B-LOC", "O"], 0.4, 0.5),  # P 1/3, R 1/2 | P 1/2, R 1/2
        (["O", "O", "O", "O", "O"], 0.0, 0.0),
    ],
)
def test_default_and_strict_modes_on_hand_computed_cases(predicted, default_f1, strict_f1):
    scores = score_words(GOLD, [predicted])
    assert scores["f1"] == pytest.approx(default_f1)
    assert scores["strict_f1"] == pytest.approx(strict_f1)


def test_hand_counted_precision_recall_and_supports():
    gold = [["B-PER", "I-PER", "O", "B-ORG"], ["B-LOC", "O", "B-LOC", "B-MISC"]]
    pred = [["B-PER", "I-PER", "O", "B-LOC"], ["B-LOC", "O", "O", "B-MISC"]]
    # gold: PER, ORG, LOC, LOC, MISC (5); predicted: PER, LOC, LOC, MISC (4); correct: PER, LOC, MISC (3)
    scores = score_words(gold, pred)
    assert scores["precision"] == pytest.approx(3 / 4)
    assert scores["recall"] == pytest.approx(3 / 5)
    assert scores["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert scores["accuracy"] == pytest.approx(6 / 8)
    assert {k: v["support"] for k, v in scores["per_type"].items()} == {"LOC": 2, "MISC": 1, "ORG": 1, "PER": 1}
    assert scores["per_type"]["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert scores["per_type"]["LOC"]["precision"] == pytest.approx(1 / 2)
    assert (scores["sentences"], scores["words"], scores["entities"]) == (2, 8, 5)
    assert all(type(v) in (int, float) for k, v in scores.items() if k != "per_type")  # JSON-ready


def test_length_mismatch_names_the_sentence():
    with pytest.raises(ValueError, match="sentence 1 has 2 gold tags but 1 predicted"):
        score_words([["O"], ["O", "O"]], [["O"], ["O"]])


def test_first_subword_tags_and_compute_metrics_are_order_independent():
    names = nercourse.LABEL_NAMES
    ids = {n: i for i, n in enumerate(names)}
    # two sentences, padded; -100 on specials, later subwords and padding
    labels = np.array(
        [
            [-100, ids["B-PER"], -100, ids["I-PER"], ids["O"], -100, -100],
            [-100, ids["B-LOC"], ids["O"], -100, -100, -100, -100],
        ]
    )
    predicted = np.array(
        [
            [0, ids["B-PER"], ids["B-ORG"], ids["I-PER"], ids["O"], 3, 3],
            [0, ids["B-ORG"], ids["O"], 5, 0, 0, 0],
        ]
    )
    gold, pred = first_subword_tags(predicted, labels)
    assert gold == [["B-PER", "I-PER", "O"], ["B-LOC", "O"]]
    assert pred == [["B-PER", "I-PER", "O"], ["B-ORG", "O"]]

    logits = np.eye(len(names))[predicted]  # (N, L, C) one-hot logits give the same argmax
    metrics = make_compute_metrics()((logits, labels))
    assert metrics["f1"] == pytest.approx(0.5)
    shuffled = make_compute_metrics()((logits[::-1], labels[::-1]))
    assert shuffled == metrics
    assert set(metrics) == {"precision", "recall", "f1", "strict_f1", "accuracy"}


def test_seqeval_needs_strings_so_the_helper_converts():
    assert nercourse.tag_names([0, 1, 2]) == ["O", "B-PER", "I-PER"]
