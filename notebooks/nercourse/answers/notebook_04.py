"""Expected answers of notebook 04 (evaluation), computed from the notebook's own gold tags and
predictions, so they hold for every model and every profile."""

from __future__ import annotations

from collections.abc import Sequence

from ..exercises import Choice
from ..labels import tag_spans
from ..metrics import score_words

Tags = Sequence[Sequence[str]]


def exercise_1(gold: Tags, predictions: Tags) -> int:
    """How many sentences have at least one word whose predicted tag differs from gold."""
    return sum(list(g) != list(p) for g, p in zip(gold, predictions, strict=True))


def exercise_2(gold: Tags, predictions: Tags) -> list[float]:
    """``[precision, recall]`` in default mode, counted from entity spans (what the buckets hold)."""
    gold_spans = [set(tag_spans(tags)) for tags in gold]
    predicted_spans = [set(tag_spans(tags)) for tags in predictions]
    correct = sum(len(g & p) for g, p in zip(gold_spans, predicted_spans, strict=True))
    predicted = sum(map(len, predicted_spans))
    true = sum(map(len, gold_spans))
    return [correct / predicted if predicted else 0.0, correct / true if true else 0.0]


EXERCISE_3_GOLD = ["B-ORG", "I-ORG", "O", "B-PER"]
EXERCISE_3_PREDICTED = ["B-ORG", "I-ORG", "O", "I-PER"]


def exercise_3() -> list[float]:
    """``[default F1, strict F1]`` of the exercise's one-sentence example."""
    found = score_words([EXERCISE_3_GOLD], [EXERCISE_3_PREDICTED])
    return [found["f1"], found["strict_f1"]]


def without_type(tags: Tags, kind: str) -> list[list[str]]:
    """The tags with every ``B-kind``/``I-kind`` replaced by ``O``."""
    return [["O" if tag[2:] == kind else tag for tag in sentence] for sentence in tags]


def exercise_4(gold: Tags, predictions: Tags, kind: str = "MISC") -> list[float]:
    """``[F1 with every type, F1 once kind is removed from gold and predictions]`` (default mode)."""
    return [
        score_words(gold, predictions)["f1"],
        score_words(without_type(gold, kind), without_type(predictions, kind))["f1"],
    ]


def question_5() -> Choice:
    """Which number to put next to a published CoNLL-2003 result."""
    return Choice(
        right="c",
        why=(
            "Published CoNLL-2003 scores are conlleval's: one tag per word, entities compared by type and both "
            "boundaries. The subword number scores another sequence: a name split into five pieces counts five "
            "times in accuracy, and tags on later pieces, which first-subword training never trained, can break "
            "an entity in two. It may come out higher or lower; either way it is not the quantity the papers "
            "report, and averaging two different quantities gives a third."
        ),
    )
