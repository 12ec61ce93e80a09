"""nercourse.exercises.check: silent for unanswered, precise about the first difference."""

from __future__ import annotations

import numpy as np
import pytest

from nercourse import check


def test_unanswered_does_not_stop_the_notebook(capsys):
    check(..., [1, 2])
    check(None, 3)
    assert capsys.readouterr().out.count("Not answered yet") == 2


def test_correct_answers(capsys):
    check([1, -100, 2], [1, -100, 2], what="the labels")
    check(0.3333333, 1 / 3, tolerance=1e-6)
    check(np.array([1, 2]), [1, 2])
    check({"PER": 2, "LOC": [1.0, 2.0]}, {"PER": 2, "LOC": (1.0, 2.0)})
    output = capsys.readouterr().out
    assert "Correct (the labels)." in output and output.count("Correct") == 4


CASES = [
    ([1, 0, 2], [1, -100, 2], r"labels\[1\]: 0 is too high"),
    ([1, 2], [1, 2, 3], "expected 3 items, got 2"),
    ("B-PER", "I-PER", "'B-PER' is not right"),
    ({"PER": 1}, {"PER": 1, "LOC": 2}, r"1 key is missing \(1 of 2 given\)"),
    ({"PER": 1, "GPE": 2}, {"PER": 1}, "key 'GPE' should not be there"),
    (0.5, 0.25, "0.5 is too high"),
    (0.125, 0.25, "0.125 is too low"),
    ("3", 3, "expected a number, got str"),
    (True, 1, "expected a number, got bool"),
    (1, True, "expected True or False, got int"),
    (["B-LOC", "O"], ["B-ORG", "O"], r"labels\[0\]: 'B-LOC' is not right"),
    ([[1, 2], [3, 4]], [[1, 2], [3, 5]], r"labels\[1\]\[1\]: 4 is too low"),
    (7, [1, 2], "expected a list of 2 items, got int"),
]


@pytest.mark.parametrize(("answer", "expected", "message"), CASES)
def test_wrong_answers_say_how_they_are_wrong(answer, expected, message):
    with pytest.raises(AssertionError, match=message) as error:
        check(answer, expected, what="labels", hint="look again")
    assert "Hint: look again" in str(error.value)
    # how to reveal a solution is said once per notebook, above its first exercise, not after every mistake
    assert "reveal" not in str(error.value) and str(error.value).endswith("Hint: look again")


HIDDEN = [  # expected values distinctive enough that finding them in the output means they were shown
    ([1, 0, 2], [1, -9137, 2]),
    ([11, 22], [11, 22, 9137]),
    ("B-PER", "I-ORG-9137"),
    ({"PER": 1}, {"PER": 1, "LOC9137": 9137}),
    ({"PER": 1}, {"PER": 9137}),
    (0.5, 0.9137),
    ("x", 9137),
    (1, True),
    (["B-LOC", "O"], ["B-ORG9137", "O"]),
    ([[1, 2], [3, 4]], [[1, 2], [3, 9137]]),
    (7, [9137, 9138]),
]


@pytest.mark.parametrize(("answer", "expected"), HIDDEN)
def test_the_expected_value_is_never_shown(answer, expected, capsys):
    """Not in the message, not on stdout: the learner can try again."""
    with pytest.raises(AssertionError) as error:
        check(answer, expected, what="labels")
    shown = str(error.value) + capsys.readouterr().out
    for value in _leaves(expected):
        if not any(value == leaf for leaf in _leaves(answer)):  # what the learner typed may be echoed
            assert repr(value) not in shown, (value, shown)


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_the_solution_is_shown_only_when_asked(capsys):
    check([1, 0, 2], [1, -100, 2], what="the labels", reveal=True)
    assert "[1, -100, 2]" in capsys.readouterr().out


# ------------------------------------------------------------------- multiple-choice questions

from nercourse import Choice  # noqa: E402

QUESTION = Choice("c", "Because the first subword carries the label.", options="abcd")


def test_a_choice_accepts_its_letter_in_any_case_and_says_why(capsys):
    check("C", QUESTION, what="your choice")
    check(" c ", QUESTION, what="your choice")
    output = capsys.readouterr().out
    assert output.count("Correct (your choice). Because the first subword carries the label.") == 2


@pytest.mark.parametrize("answer", ["a", "b", "d"])
def test_a_wrong_choice_hides_the_right_letter_and_the_reason(answer, capsys):
    with pytest.raises(AssertionError) as error:
        check(answer, QUESTION, what="your choice", hint="think about -100")
    shown = str(error.value) + capsys.readouterr().out
    assert "is not the best answer" in shown and "Hint: think about -100" in shown
    assert "'c'" not in shown and "(c)" not in shown and "first subword carries" not in shown


@pytest.mark.parametrize("answer", ["e", "ab", 3, ["c"]])
def test_an_answer_that_is_no_option_says_which_letters_are(answer):
    with pytest.raises(AssertionError, match="one letter, one of a, b, c, d"):
        check(answer, QUESTION)


def test_reveal_shows_the_choice_and_why(capsys):
    check(..., QUESTION, reveal=True)
    assert "The best answer: (c). Because the first subword" in capsys.readouterr().out


def test_a_choice_must_be_one_of_its_options():
    with pytest.raises(ValueError, match="not one of the options"):
        Choice("e", "why", options="abcd")
