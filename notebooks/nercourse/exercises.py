"""Self-checking exercises: ``check(answer, expected)`` says *how* an answer is wrong, never what is right.

Every notebook ends with exercises. An answer cell starts as ``answer = ...`` (not answered yet,
so running the notebook top to bottom never stops there); once the learner fills it in,
``check`` compares it with the expected value, which the notebook computes with the helper
package, and explains the first difference: the wrong type, the wrong length, a number too high
or too low, which element or key differs. It never prints the expected value, so a learner can try
again; ``check(..., reveal=True)`` shows it once they ask for it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class NotAnswered:
    """Marker type: ``answer = ...`` or ``None`` mean "not answered yet"."""


@dataclass(frozen=True)
class Choice:
    """The expected answer of a multiple-choice "explain why" question: the right option's letter
    and why it is right (shown once the learner has it right, or asks with ``reveal=True``).

    The notebook prints the question and its options; the package (``nercourse.answers``) holds
    the ``Choice``, so the answer never sits in a visible cell.
    """

    right: str
    why: str
    options: str = "abcd"

    def __post_init__(self):
        if self.right not in self.options:
            raise ValueError(f"right={self.right!r} is not one of the options {self.options!r}")


def _choice_difference(answer, expected: Choice, where: str) -> str | None:
    letters = ", ".join(expected.options)
    if not isinstance(answer, str) or len(answer.strip()) != 1 or answer.strip().lower() not in expected.options:
        return f"{where}: answer with one letter, one of {letters}; got {answer!r}"
    if answer.strip().lower() == expected.right:
        return None
    return f"{where}: {answer!r} is not the best answer"


def _kind(value) -> str:
    return type(value).__name__


def _difference(answer, expected, where: str, tolerance: float) -> str | None:
    """The first way ``answer`` differs from ``expected``, described without showing ``expected``."""
    if isinstance(expected, bool) or expected is None:
        if answer == expected and type(answer) is type(expected):
            return None
        if isinstance(expected, bool) and not isinstance(answer, bool):
            return f"{where}: expected True or False, got {_kind(answer)} {answer!r}"
        return f"{where}: {answer!r} is not right"
    if isinstance(expected, (int, float)):
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            return f"{where}: expected a number, got {_kind(answer)} {answer!r}"
        if math.isclose(float(answer), float(expected), rel_tol=tolerance, abs_tol=tolerance):
            return None
        direction = "too high" if answer > expected else "too low"
        return f"{where}: {answer!r} is {direction}"
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return f"{where}: expected a string, got {_kind(answer)} {answer!r}"
        return None if answer == expected else f"{where}: {answer!r} is not right"
    if isinstance(expected, Mapping):
        if not isinstance(answer, Mapping):
            return f"{where}: expected a dict, got {_kind(answer)}"
        extra = [k for k in answer if k not in expected]
        if extra:
            return f"{where}: key {extra[0]!r} should not be there"
        missing = sum(k not in answer for k in expected)
        if missing:
            return f"{where}: {missing} key{'s are' if missing > 1 else ' is'} missing ({len(answer)} of {len(expected)} given)"
        for key in expected:
            found = _difference(answer[key], expected[key], f"{where}[{key!r}]", tolerance)
            if found:
                return found
        return None
    if isinstance(expected, Sequence) or hasattr(expected, "tolist"):
        expected = expected.tolist() if hasattr(expected, "tolist") else list(expected)
        if hasattr(answer, "tolist"):
            answer = answer.tolist()
        if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence):
            return f"{where}: expected a list of {len(expected)} items, got {_kind(answer)}"
        if len(answer) != len(expected):
            return f"{where}: expected {len(expected)} items, got {len(answer)}"
        for i, (a, e) in enumerate(zip(answer, expected)):
            found = _difference(a, e, f"{where}[{i}]", tolerance)
            if found:
                return found
        return None
    return None if answer == expected else f"{where}: {answer!r} is not right"


def check(
    answer, expected, what: str = "your answer", hint: str = "", tolerance: float = 1e-6, reveal: bool = False
) -> None:
    """Compare an exercise answer with the expected value.

    Prints "not answered yet" for ``...``/``None``, prints a confirmation when correct, and raises
    ``AssertionError`` describing the first difference otherwise (plus the hint), without the
    expected value. With ``reveal=True`` it prints the expected value instead of checking: for a
    learner who has tried and wants to see the solution.
    Numbers are compared with ``tolerance``; lists, tuples, arrays and dicts element by element.
    A :class:`Choice` takes one letter (any case); when it is right, ``check`` says why.
    Returns nothing, so a check cell shows only the message.
    """
    if reveal:
        if isinstance(expected, Choice):
            print(f"The best answer: ({expected.right}). {expected.why}")
        else:
            print(f"The expected {what}: {expected!r}")
        return
    if answer is Ellipsis or answer is None or isinstance(answer, NotAnswered):
        print(f"Not answered yet: fill in {what} and run the cell again.")
        return
    if isinstance(expected, Choice):
        problem = _choice_difference(answer, expected, what)
    else:
        problem = _difference(answer, expected, what, tolerance)
    if problem:
        # How to reveal a solution (reveal=True) is said once per notebook, above its first exercise.
        raise AssertionError(problem + (f"\nHint: {hint}" if hint else ""))
    print(f"Correct ({what})." + (f" {expected.why}" if isinstance(expected, Choice) else ""))
