"""Expected answers of notebook 01's exercises (01_conll2003.ipynb), computed from the splits the
notebook loaded, so they hold for the real CoNLL-2003 and for the course's mini corpus alike."""

from __future__ import annotations

from collections.abc import Sequence

from ..data import entity_counts, tag_counts
from ..exercises import Choice
from ..labels import iob1_to_iob2, tag_names, tag_spans


def exercise_1(raw) -> int:
    """Sentences of the validation split without any entity."""
    return sum(1 for tag_ids in raw["validation"]["ner_tags"] if not tag_spans(tag_names(tag_ids)))


def exercise_2(raw) -> tuple[str, int]:
    """The entity type with the most entities in the test split, and how many."""
    counts = entity_counts(raw["test"])
    kind = max(counts, key=counts.get)
    return (kind, counts[kind])


def exercise_3(iob1_tags: Sequence[str]) -> list[str]:
    """``iob1_tags`` in IOB2."""
    return iob1_to_iob2(iob1_tags)


def exercise_4(raw) -> float:
    """The share of the validation split's words tagged O."""
    counts = tag_counts(raw["validation"])
    return counts["O"] / sum(counts.values())


def question_5() -> Choice:
    return Choice(
        right="b",
        why=(
            "Most words are O, so predicting O everywhere is right on most words while finding no entity at all. "
            "Entity-level F1 gives that model 0, which is why the course scores whole entities."
        ),
    )
