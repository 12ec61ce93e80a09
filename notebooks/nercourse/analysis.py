"""Error analysis: which tags get confused, which entities go wrong and how, which sentences
the model finds hardest.

Taught in notebook 04. Entity errors are sorted into buckets by comparing gold and predicted
entity spans (type, first word, end word):

- ``correct``: same type and same boundaries;
- ``wrong_type``: same boundaries, another type;
- ``wrong_boundary``: overlaps a prediction of the same type, boundaries differ;
- ``wrong_type_and_boundary``: overlaps only predictions of other types with other boundaries;
- ``missed``: no prediction overlaps the gold entity;
- ``spurious``: a predicted entity that overlaps no gold entity.

The first five classify gold entities; ``spurious`` counts predicted ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .labels import LABEL_NAMES, tag_spans

BUCKETS = ("correct", "wrong_type", "wrong_boundary", "wrong_type_and_boundary", "missed", "spurious")


@dataclass(frozen=True)
class EntityError:
    """One bucketed entity: where it is and what gold and prediction said."""

    bucket: str
    sentence: int
    gold: tuple[str, int, int] | None  # (type, first word, end word)
    predicted: tuple[tuple[str, int, int], ...]  # the overlapping predictions

    def describe(self, words: Sequence[str]) -> str:
        """A readable line, e.g. ``wrong_type: "Santa Clara" gold LOC, predicted ORG "Santa Clara"``."""

        def show(span):
            return f'{span[0]} "{" ".join(words[span[1] : span[2]])}"'

        gold = f"gold {show(self.gold)}" if self.gold else "gold: nothing"
        predicted = ", ".join(show(p) for p in self.predicted) or "nothing"
        return f"{self.bucket}: {gold}; predicted {predicted}"


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def classify_entities(true_tags: Sequence[str], pred_tags: Sequence[str], sentence: int = 0) -> list[EntityError]:
    """Bucket every gold entity of one sentence, plus its spurious predicted entities."""
    gold_spans, predicted_spans = tag_spans(true_tags), tag_spans(pred_tags)
    results = []
    for gold in gold_spans:
        overlapping = tuple(p for p in predicted_spans if _overlaps(gold, p))
        if gold in overlapping:
            bucket = "correct"
        elif any(p[1:] == gold[1:] for p in overlapping):
            bucket = "wrong_type"
        elif any(p[0] == gold[0] for p in overlapping):
            bucket = "wrong_boundary"
        elif overlapping:
            bucket = "wrong_type_and_boundary"
        else:
            bucket = "missed"
        results.append(EntityError(bucket, sentence, gold, overlapping))
    for predicted in predicted_spans:
        if not any(_overlaps(predicted, g) for g in gold_spans):
            results.append(EntityError("spurious", sentence, None, (predicted,)))
    return results


def error_buckets(
    true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]
) -> dict[str, list[EntityError]]:
    """All bucketed entities of a split, by bucket (every bucket present, possibly empty)."""
    buckets: dict[str, list[EntityError]] = {name: [] for name in BUCKETS}
    for i, (gold, predicted) in enumerate(zip(true_tags, pred_tags, strict=True)):
        for error in classify_entities(gold, predicted, i):
            buckets[error.bucket].append(error)
    return buckets


def tag_confusion(
    true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]], label_names: Sequence[str] = LABEL_NAMES
) -> np.ndarray:
    """Word-tag confusion counts: rows are gold tags, columns predicted, in ``label_names`` order."""
    index = {name: i for i, name in enumerate(label_names)}
    matrix = np.zeros((len(label_names), len(label_names)), dtype=np.int64)
    for gold, predicted in zip(true_tags, pred_tags, strict=True):
        for g, p in zip(gold, predicted, strict=True):
            matrix[index[g], index[p]] += 1
    return matrix


def sentence_losses(
    word_probabilities: Sequence[np.ndarray], true_tags: Sequence[Sequence[str]], label_names: Sequence[str]
) -> np.ndarray:
    """Mean cross-entropy of the gold tags per sentence, from ``NerTagger.word_probabilities``.

    High-loss sentences are where the model disagrees most confidently with the labels, which is
    also where annotation mistakes tend to show up. Words without subwords are skipped.
    """
    index = {name: i for i, name in enumerate(label_names)}
    losses = np.zeros(len(true_tags))
    for s, (probabilities, gold) in enumerate(zip(word_probabilities, true_tags, strict=True)):
        picked = probabilities[np.arange(len(gold)), [index[t] for t in gold]] if len(gold) else np.zeros(0)
        seen = probabilities.sum(-1) > 0 if len(gold) else np.zeros(0, dtype=bool)
        losses[s] = float(-np.log(np.clip(picked[seen], 1e-12, None)).mean()) if seen.any() else 0.0
    return losses
