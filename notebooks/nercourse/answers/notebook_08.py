"""Expected answers of notebook 08 (document context): why the context carries -100 (question 1), the
context a budget buys (exercise 2), the share of positions that carry a label (exercise 3). Computed
from the notebook's own split, tokenizer and examples, so they hold for every model, profile and budget."""

from __future__ import annotations

from collections.abc import Sequence

from ..alignment import IGNORE_INDEX, tokenize_and_align
from ..context import context_examples
from ..exercises import Choice


def question_1() -> Choice:
    """Why context words carry -100."""
    return Choice(
        right="a",
        why=(
            "A word appears in the windows of several neighbouring sentences. Labelled there too, it would be "
            "trained on once per window, so words in long documents would weigh more, and scored once per window, "
            "so the scores would no longer give each word one prediction as conlleval does. With -100 on the "
            "context every word counts once, in its own sentence's example, exactly as in sentence-level "
            "training; the context is there to be read, not to be learned. (b) The head tags every position "
            "it is given, context included. (c) -100 positions stay in the input and take the same memory and "
            "compute: only the loss skips them. (d) A word's gold tag does not depend on which sentence is the "
            "target: the context's tags are other sentences' targets, exactly as reliable."
        ),
    )


def exercise_2(dataset, tokenizer, budgets: Sequence[int]) -> list[float]:
    """For each budget, the mean number of context subwords per example: the example's length
    without [CLS] and [SEP], minus the target sentence's own subwords."""
    own = [len(ids) - 2 for ids in tokenize_and_align(dataset, tokenizer)["input_ids"]]
    means = []
    for budget in budgets:
        lengths = [len(ids) - 2 for ids in context_examples(dataset, tokenizer, budget)["input_ids"]]
        means.append(sum(n - m for n, m in zip(lengths, own, strict=True)) / len(own))
    return means


def _labelled_share(examples) -> float:
    labels = examples["labels"]
    return sum(label != IGNORE_INDEX for row in labels for label in row) / sum(len(row) for row in labels)


def exercise_3(examples, sentence_level) -> list[float]:
    """``[share of positions with a label, with context; the same, sentence level]``."""
    return [_labelled_share(examples), _labelled_share(sentence_level)]
