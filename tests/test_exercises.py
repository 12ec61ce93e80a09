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


@pytest.mark.parametrize(
    ("answer", "expected", "message"),
    [
        ([1, 0, 2], [1, -100, 2], r"labels\[1\]: expected -100, got 0"),
        ([1, 2], [1, 2, 3], "expected 3 items, got 2"),
        ("B-PER", "I-PER", "expected 'I-PER', got 'B-PER'"),
        ({"PER": 1}, {"PER": 1, "LOC": 2}, r"keys differ \(missing \['LOC'\]"),
        (0.5, 0.25, "expected 0.25, got 0.5"),
        ("3", 3, "expected a number, got str"),
        (True, 1, "expected a number, got bool"),
    ],
)
def test_wrong_answers_say_what_is_wrong(answer, expected, message):
    with pytest.raises(AssertionError, match=message):
        check(answer, expected, what="labels", hint="look again")
