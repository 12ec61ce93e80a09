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


def test_exercise_1_counts_sentences_with_any_wrong_tag(gold):
    predicted = noisy(gold)
    by_word = sum(any(g != p for g, p in zip(gs, ps)) for gs, ps in zip(gold, predicted))
    assert 0 < answers.exercise_1(gold, predicted) == by_word < len(gold)
    assert answers.exercise_1(gold, gold) == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_exercise_2_equals_seqeval_default_precision_and_recall(gold, seed):
    predicted = noisy(gold, seed)
    scores = nercourse.score_words(gold, predicted)
    precision, recall = answers.exercise_2(gold, predicted)
    assert precision == pytest.approx(scores["precision"], abs=1e-12)
    assert recall == pytest.approx(scores["recall"], abs=1e-12)
    assert precision < 1.0 and recall < 1.0


def test_exercise_3_is_the_one_sentence_example_scored_both_ways():
    default_f1, strict_f1 = answers.exercise_3()
    assert default_f1 == pytest.approx(1.0)  # the lone I-PER starts a PER entity, which is right
    assert strict_f1 == pytest.approx(2 / 3)  # precision 1/1, recall 1/2


def test_exercise_4_removes_the_type_from_both_sides(gold):
    assert answers.exercise_4(gold, gold) == [1.0, 1.0]
    # every MISC entity missed, every other entity right: without MISC on both sides, F1 is perfect
    predicted = [["O" if tag.endswith("MISC") else tag for tag in tags] for tags in gold]
    with_misc, without_misc = answers.exercise_4(gold, predicted)
    assert with_misc < 1.0 and without_misc == pytest.approx(1.0)
    assert all("MISC" not in tag for tags in answers.without_type(gold, "MISC") for tag in tags)


def test_question_5_accepts_only_the_word_level_number(capsys):
    nercourse.check("C", answers.question_5())
    assert "Correct" in capsys.readouterr().out
    for wrong in "abd":
        with pytest.raises(AssertionError) as raised:
            nercourse.check(wrong, answers.question_5())
        assert answers.question_5().why not in str(raised.value)
