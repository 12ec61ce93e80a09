"""Expected answers of notebook 01's exercises (01_conll2003.ipynb), computed from the splits the
notebook loaded, so they hold for the real CoNLL-2003 and for the course's mini corpus alike."""

from __future__ import annotations

from collections.abc import Sequence

from ..data import tag_counts
from ..exercises import Choice
from ..labels import iob1_to_iob2, tag_names, tag_spans


def question_1() -> Choice:
    return Choice(
        right="a",
        why=(
            "Most words are O, so predicting O everywhere is right on most words while finding no entity at all; "
            "entity-level F1 gives that model 0, which is why the course scores whole entities. (b): seqeval has "
            "accuracy_score, a word accuracy; (c): the course reads one prediction per word back from its first "
            "subword (notebook 02), so a word accuracy can be computed; (d): the later test articles are a reason "
            "why test scores are lower, not why F1 is used."
        ),
    )


def exercise_2(iob1_tags: Sequence[str]) -> list[str]:
    """``iob1_tags`` in IOB2."""
    return iob1_to_iob2(iob1_tags)


def exercise_3(raw) -> int:
    """Sentences of the validation split without any entity."""
    return sum(1 for tag_ids in raw["validation"]["ner_tags"] if not tag_spans(tag_names(tag_ids)))


def exercise_4(raw) -> float:
    """The share of the validation split's words tagged O."""
    counts = tag_counts(raw["validation"])
    return counts["O"] / sum(counts.values())


def exercise_5(raw) -> tuple[str, float]:
    """The entity type whose entities in the test split are longest on average (in words), and that mean."""
    lengths: dict[str, list[int]] = {}
    for tag_ids in raw["test"]["ner_tags"]:
        for kind, start, end in tag_spans(tag_names(tag_ids)):
            lengths.setdefault(kind, []).append(end - start)
    means = {kind: sum(found) / len(found) for kind, found in lengths.items()}
    kind = max(means, key=means.get)
    return (kind, means[kind])
