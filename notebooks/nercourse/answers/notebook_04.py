"""Expected answers of notebook 04 (evaluation), computed from the notebook's own gold tags and
predictions, so they hold for every model and every profile."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import error_buckets
from ..exercises import Choice
from ..metrics import score_words

Tags = Sequence[Sequence[str]]

EXERCISE_1_GOLD = ["B-ORG", "I-ORG", "O", "B-PER"]
EXERCISE_1_PREDICTED = ["B-ORG", "I-ORG", "O", "I-PER"]


def exercise_1() -> list[float]:
    """``[default F1, strict F1]`` of the exercise's one-sentence example."""
    found = score_words([EXERCISE_1_GOLD], [EXERCISE_1_PREDICTED])
    return [found["f1"], found["strict_f1"]]


OVERLAP_CREDITED = ("correct", "wrong_boundary")
"""The buckets whose gold entities a prediction of their own type overlaps."""


def exercise_2(gold: Tags, predictions: Tags) -> float:
    """Recall when a gold entity counts as found as soon as a prediction of its type overlaps it."""
    buckets = error_buckets(gold, predictions)
    gold_entities = sum(len(found) for name, found in buckets.items() if name != "spurious")
    credited = sum(len(buckets[name]) for name in OVERLAP_CREDITED)
    return credited / gold_entities if gold_entities else 0.0


def without_type(tags: Tags, kind: str) -> list[list[str]]:
    """The tags with every ``B-kind``/``I-kind`` replaced by ``O``."""
    return [["O" if tag[2:] == kind else tag for tag in sentence] for sentence in tags]


def exercise_3(gold: Tags, predictions: Tags, kind: str = "MISC") -> float:
    """F1 (default mode) once ``kind`` is removed from gold and predictions alike."""
    return score_words(without_type(gold, kind), without_type(predictions, kind))["f1"]


def question_4() -> Choice:
    """Which number to put next to a published CoNLL-2003 result."""
    return Choice(
        right="a",
        why=(
            "Published CoNLL-2003 scores are conlleval's: one tag per word, entities compared by type and both "
            "boundaries. The subword number scores another sequence: a name split into five pieces counts five "
            "times in accuracy, and tags on later pieces, which first-subword training never trained, can break "
            "an entity in two. (b) More positions do not make it a better estimate of the word-level F1: it "
            "estimates another quantity. (c) Averaging two different quantities gives a third. (d) Papers report "
            "entity F1, and word accuracy, dominated by O, says little."
        ),
    )


def exercise_5(gold: Tags, predictions: Tags) -> int:
    """How many sentences have at least one word whose predicted tag differs from gold."""
    return sum(list(g) != list(p) for g, p in zip(gold, predictions, strict=True))
