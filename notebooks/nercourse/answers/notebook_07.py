"""Expected answers of notebook 07 (going further): a real or a lucky improvement (exercise 1), what
repairing ill-formed entities does to the scores (question 2, exercise 3), batch sizes on several GPUs
(exercise 4, optional), the labels of another data set (exercise 5, optional).

Each function computes its answer from the objects the notebook hands it (the scores it lists, the
``full`` profile, the model's predictions on the profile's validation sentences), so the answers
stay right for every profile and every model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..data import CONLL2003_SIZES
from ..exercises import Choice
from ..labels import gold_tags, iob1_to_iob2
from ..metrics import score_words
from ..training import PROFILES


def exercise_1(baseline_f1: Sequence[float], change_f1: Sequence[float]) -> list:
    """``[difference of the means, twice the baseline's sample standard deviation, is_real]``."""
    import numpy as np

    difference = float(np.mean(change_f1) - np.mean(baseline_f1))
    two_std = float(2 * np.std(baseline_f1, ddof=1))
    return [difference, two_std, difference > two_std]


def question_2() -> Choice:
    """What rewriting every I-X that continues nothing as B-X does to the default and the strict F1."""
    return Choice(
        right="c",
        why=(
            "Default scoring (conlleval's rule) already reads an I-X that continues nothing as the start of an X "
            "entity. The repair only writes that reading out as B-X, so default scoring finds the same entities "
            "as before; strict scoring, which dropped them, now counts them, right or wrong, so its F1 becomes the "
            "default F1 (lower where the dropped entities were mostly wrong). (a) No entity changed its type or "
            "its boundaries, so none became right. (b) Default scoring never skipped them: strict scoring did. "
            "(d) Strict scoring does look at how an entity is spelled: it drops one that starts with I-."
        ),
    )


def exercise_3(validation, predicted: Sequence[Sequence[str]]) -> dict[str, float]:
    """Default and strict F1 of ``predicted`` once every I-X that continues nothing is made a B-X."""
    repaired = [iob1_to_iob2(tags) for tags in predicted]
    scores = score_words(gold_tags(validation), repaired)
    return {"f1": scores["f1"], "strict_f1": scores["strict_f1"]}


def exercise_4(gpus: int = 4, accumulation_steps: int = 3) -> list[int]:
    """``[effective batch, optimizer steps per epoch]`` of the ``full`` profile on CoNLL-2003's training split."""
    effective = PROFILES["full"].train_batch_size * gpus * accumulation_steps
    return [effective, math.ceil(CONLL2003_SIZES["train"] / effective)]


def exercise_5(entity_types: Sequence[str]) -> list[str]:
    """The IOB2 label list in the course's order: "O", then B- and I- of each type in the given order."""
    return ["O", *(f"{prefix}-{kind}" for kind in entity_types for prefix in ("B", "I"))]
