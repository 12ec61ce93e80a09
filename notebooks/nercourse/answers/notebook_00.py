"""Expected answers of notebook 00's exercises (00_welcome.ipynb): the size of a classification
head, IOB2 tags, entity counts, and why BERT's masking recipe does not always use ``[MASK]``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..exercises import Choice
from ..labels import LABEL_NAMES, tag_spans

BERT_LARGE_HIDDEN_SIZE = 1024
"""Devlin et al. 2019, section 3: BERT-large has hidden size 1024."""
EXERCISE_1_LABELS = [*LABEL_NAMES, "B-DATE", "I-DATE"]

EXERCISE_2_ENTITIES = {
    ("Fiat",): "ORG",
    ("Gianni", "Agnelli"): "PER",
    ("Turin",): "LOC",
    ("New", "York"): "LOC",
}
"""The entities the statement of exercise 2 names, as word sequences and their types."""


def exercise_1() -> int:
    """Parameters of a token-classification head on BERT-large for 11 labels: one linear layer."""
    import torch

    head = torch.nn.Linear(BERT_LARGE_HIDDEN_SIZE, len(EXERCISE_1_LABELS))
    return sum(parameter.numel() for parameter in head.parameters())


def exercise_2(words: Sequence[str]) -> list[str]:
    """The IOB2 tags of ``words``, with the entities of :data:`EXERCISE_2_ENTITIES` wherever they occur."""
    tags = ["O"] * len(words)
    for entity, kind in EXERCISE_2_ENTITIES.items():
        for start in range(len(words) - len(entity) + 1):
            if tuple(words[start : start + len(entity)]) == entity:
                tags[start : start + len(entity)] = ["B-" + kind] + ["I-" + kind] * (len(entity) - 1)
    return tags


def exercise_3(tags: Sequence[str]) -> dict[str, int]:
    """How many entities of each type ``tags`` holds, read the way the course's metrics read them."""
    return dict(Counter(kind for kind, _, _ in tag_spans(tags)))


def question_4() -> Choice:
    return Choice(
        right="d",
        why=(
            "[MASK] never appears in the text a model reads after pretraining (fine-tuning data, your sentences), "
            "so a model that only ever predicted at [MASK] would learn less useful vectors for real tokens; keeping "
            "or replacing some chosen tokens makes it predict from real tokens too (Devlin et al. 2019, section 3.1). "
            "(a): every chosen position is predicted and counts in the loss, whatever it holds; (b): next-sentence "
            "prediction is a separate task on [CLS], and 80% [MASK] of 15% of the positions leaves most words "
            "intact anyway; (c): the random 10% does add noise, but the paper gives the pretraining/fine-tuning "
            "mismatch as the reason, and the unchanged 10% adds no noise at all."
        ),
    )
