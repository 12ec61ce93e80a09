"""Self-checking exercises: ``check(answer, expected)`` says exactly what is wrong, or that it is right.

Every notebook ends with exercises. An answer cell starts as ``answer = ...`` (not answered yet,
so running the notebook top to bottom never stops there); once the learner fills it in,
``check`` compares it with the expected value, which the notebook computes with the helper
package, and explains the first difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


class NotAnswered:
    """Marker type: ``answer = ...`` or ``None`` mean "not answered yet"."""


def _difference(answer, expected, where: str, tolerance: float) -> str | None:
    if isinstance(expected, bool) or expected is None:
        return None if answer == expected else f"{where}: expected {expected!r}, got {answer!r}"
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            return f"{where}: expected a number, got {type(answer).__name__} {answer!r}"
        if math.isclose(float(answer), float(expected), rel_tol=tolerance, abs_tol=tolerance):
            return None
        return f"{where}: expected {expected!r}, got {answer!r}"
    if isinstance(expected, str):
        return None if answer == expected else f"{where}: expected {expected!r}, got {answer!r}"
    if isinstance(expected, Mapping):
        if not isinstance(answer, Mapping):
            return f"{where}: expected a dict, got {type(answer).__name__}"
        missing = [k for k in expected if k not in answer]
        extra = [k for k in answer if k not in expected]
        if missing or extra:
            return f"{where}: keys differ (missing {missing}, unexpected {extra})"
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
            return f"{where}: expected a list of {len(expected)} items, got {type(answer).__name__}"
        if len(answer) != len(expected):
            return f"{where}: expected {len(expected)} items, got {len(answer)}"
        for i, (a, e) in enumerate(zip(answer, expected)):
            found = _difference(a, e, f"{where}[{i}]", tolerance)
            if found:
                return found
        return None
    return None if answer == expected else f"{where}: expected {expected!r}, got {answer!r}"


def check(answer, expected, what: str = "your answer", hint: str = "", tolerance: float = 1e-6) -> None:
    """Compare an exercise answer with the expected value.

    Prints "not answered yet" for ``...``/``None``, prints a confirmation when correct, and raises
    ``AssertionError`` naming the first difference otherwise. Returns nothing, so a check cell
    shows only the message.
    Numbers are compared with ``tolerance``; lists, tuples, arrays and dicts element by element.
    """
    if answer is Ellipsis or answer is None or isinstance(answer, NotAnswered):
        print(f"Not answered yet: fill in {what} and run the cell again.")
        return
    problem = _difference(answer, expected, what, tolerance)
    if problem:
        raise AssertionError(problem + (f"\nHint: {hint}" if hint else ""))
    print(f"Correct ({what}).")
