"""nercourse.answers.notebook_04: the expected answers of notebook 04's exercises are right."""

from __future__ import annotations

import random

import pytest

import nercourse
from nercourse.answers import notebook_04 as answers


@pytest.fixture(scope="module")
def gold(mini_corpus) -> list[list[str]]:
    return nercourse.gold_tags(nercourse.read_conll(mini_corpus / "validation.txt"))


def noisy(gold: list[list[str]], seed: int = 0, rate: float = 0.08) -> list[list[str]]:
    """The gold tags with some words given a random tag: right and wrong entities, ill-formed ones too."""
    rng = random.Random(seed)
    return [[rng.choice(nercourse.LABEL_NAMES) if rng.random() < rate else tag for tag in tags] for tags in gold]


def test_exercise_1_is_the_one_sentence_example_scored_both_ways():
    default_f1, strict_f1 = answers.exercise_1()
    assert default_f1 == pytest.approx(1.0)  # the lone I-PER starts a PER entity, which is right
    assert strict_f1 == pytest.approx(2 / 3)  # precision 1/1, recall 1/2


def overlap_recall_by_hand(gold: list[list[str]], predicted: list[list[str]]) -> float:
    """Gold entities overlapped by a predicted entity of their own type, over all gold entities."""
    found = total = 0
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        predicted_spans = nercourse.tag_spans(predicted_tags)
        for kind, start, end in nercourse.tag_spans(gold_tags):
            total += 1
            found += any(k == kind and s < end and start < e for k, s, e in predicted_spans)
    return found / total


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exercise_2_counts_every_same_type_overlap_as_found(gold, seed):
    predicted = noisy(gold, seed)
    recall = nercourse.score_words(gold, predicted)["recall"]
    with_overlaps = answers.exercise_2(gold, predicted)
    assert with_overlaps == pytest.approx(overlap_recall_by_hand(gold, predicted), abs=1e-12)
    assert recall < with_overlaps < 1.0  # some boundaries are wrong and forgiven, some entities stay missed
    assert answers.exercise_2(gold, gold) == 1.0


def test_exercise_2_does_not_forgive_another_type():
    gold = [["B-ORG", "I-ORG", "I-ORG", "O"]]
    assert answers.exercise_2(gold, [["O", "B-ORG", "I-ORG", "O"]]) == 1.0  # wrong boundary, right type
    assert answers.exercise_2(gold, [["O", "B-LOC", "I-LOC", "O"]]) == 0.0  # wrong type and boundary


def test_exercise_3_removes_the_type_from_both_sides(gold):
    assert answers.exercise_3(gold, gold) == 1.0
    # every MISC entity missed, every other entity right: without MISC on both sides, F1 is perfect
    predicted = [["O" if tag.endswith("MISC") else tag for tag in tags] for tags in gold]
    assert nercourse.score_words(gold, predicted)["f1"] < 1.0
    assert answers.exercise_3(gold, predicted) == pytest.approx(1.0)
    assert all("MISC" not in tag for tags in answers.without_type(gold, "MISC") for tag in tags)


def test_question_4_accepts_only_the_word_level_number(capsys):
    nercourse.check("A", answers.question_4())
    assert "Correct" in capsys.readouterr().out
    for wrong in "bcd":
        with pytest.raises(AssertionError) as raised:
            nercourse.check(wrong, answers.question_4())
        assert answers.question_4().why not in str(raised.value)


def test_exercise_5_counts_sentences_with_any_wrong_tag(gold):
    predicted = noisy(gold)
    by_word = sum(any(g != p for g, p in zip(gs, ps)) for gs, ps in zip(gold, predicted))
    assert 0 < answers.exercise_5(gold, predicted) == by_word < len(gold)
    assert answers.exercise_5(gold, gold) == 0
