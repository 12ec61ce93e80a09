"""nercourse.answers.notebook_07: the expected answers of notebook 07's exercises are right."""

from __future__ import annotations

import math
import random

import pytest

import nercourse
from nercourse.answers import notebook_07 as answers


def test_exercise_1_calls_a_change_real_only_beyond_two_standard_deviations():
    baseline = [1.0, 2.0, 3.0]  # mean 2, sample standard deviation 1
    assert answers.exercise_1(baseline, [4.0, 5.0, 6.0]) == [3.0, 2.0, True]
    assert answers.exercise_1(baseline, [2.0, 3.0, 4.0]) == [1.0, 2.0, False]


@pytest.mark.parametrize(("gpus", "accumulation_steps"), [(1, 1), (4, 3), (8, 4)])
def test_exercise_4_multiplies_the_batch_and_covers_the_epoch(gpus, accumulation_steps):
    effective, steps = answers.exercise_4(gpus, accumulation_steps)
    assert effective == nercourse.PROFILES["full"].train_batch_size * gpus * accumulation_steps
    train = nercourse.CONLL2003_SIZES["train"]
    assert (steps - 1) * effective < train <= steps * effective


def ill_formed_predictions(gold: list[list[str]], seed: int = 0) -> list[list[str]]:
    """The gold tags with some B-X turned into I-X and some words given a random tag: the kind of
    sequences a softmax tagger outputs."""
    rng = random.Random(seed)
    predicted = []
    for tags in gold:
        noisy = []
        for tag in tags:
            if tag.startswith("B-") and rng.random() < 0.3:
                tag = "I-" + tag[2:]
            elif rng.random() < 0.05:
                tag = rng.choice(nercourse.LABEL_NAMES)
            noisy.append(tag)
        predicted.append(noisy)
    return predicted


def test_exercise_3_repair_keeps_the_default_f1_and_lifts_strict_f1_to_it(mini_corpus):
    validation = nercourse.read_conll(mini_corpus / "validation.txt")
    gold = nercourse.gold_tags(validation)
    predicted = ill_formed_predictions(gold)
    before = nercourse.score_words(gold, predicted)
    assert before["strict_f1"] < before["f1"] - 0.05  # the noise made ill-formed entities

    after = answers.exercise_3(validation, predicted)

    assert set(after) == {"f1", "strict_f1"}
    assert math.isclose(after["f1"], before["f1"])
    assert math.isclose(after["strict_f1"], after["f1"])


def test_question_2_takes_only_the_reading_default_scoring_already_had(capsys):
    question = answers.question_2()
    assert isinstance(question, nercourse.Choice)
    nercourse.check("c", question)
    assert "Correct" in capsys.readouterr().out
    for wrong in "abd":
        with pytest.raises(AssertionError):
            nercourse.check(wrong, question)


def test_exercise_5_builds_the_course_order_of_labels():
    assert answers.exercise_5(nercourse.ENTITY_TYPES) == nercourse.LABEL_NAMES
    assert len(answers.exercise_5(["A", "B", "C"])) == 7
