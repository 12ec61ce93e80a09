"""Expected answers of notebook 00's exercises (00_welcome.ipynb): IOB2 tags, entity counts, the size
of a classification head, and why BERT's masking recipe does not always use ``[MASK]``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..exercises import Choice
from ..labels import LABEL_NAMES, tag_spans

EXERCISE_1_ENTITIES = {("Angela", "Merkel"): "PER", ("Volkswagen",): "ORG", ("Wolfsburg",): "LOC"}
"""The entities the statement of exercise 1 names, as word sequences and their types."""

BERT_LARGE_HIDDEN_SIZE = 1024
"""Devlin et al. 2019, section 3: BERT-large has hidden size 1024."""
EXERCISE_3_LABELS = [*LABEL_NAMES, "B-DATE", "I-DATE"]


def exercise_1(words: Sequence[str]) -> list[str]:
    """The IOB2 tags of ``words``, with the entities of :data:`EXERCISE_1_ENTITIES` wherever they occur."""
    tags = ["O"] * len(words)
    for entity, kind in EXERCISE_1_ENTITIES.items():
        for start in range(len(words) - len(entity) + 1):
            if tuple(words[start : start + len(entity)]) == entity:
                tags[start : start + len(entity)] = ["B-" + kind] + ["I-" + kind] * (len(entity) - 1)
    return tags


def exercise_2(tags: Sequence[str]) -> dict[str, int]:
    """How many entities of each type ``tags`` holds, read the way the course's metrics read them."""
    return dict(Counter(kind for kind, _, _ in tag_spans(tags)))


def exercise_3() -> int:
    """Parameters of a token-classification head on BERT-large for 11 labels: one linear layer."""
    import torch

    head = torch.nn.Linear(BERT_LARGE_HIDDEN_SIZE, len(EXERCISE_3_LABELS))
    return sum(parameter.numel() for parameter in head.parameters())


def question_4() -> Choice:
    return Choice(
        right="c",
        why=(
            "[MASK] never appears in the text a model sees after pretraining (fine-tuning data, your sentences), so "
            "a model that only ever predicted at [MASK] would learn less useful vectors for real words. Keeping or "
            "replacing some chosen tokens makes it predict from real tokens too (Devlin et al. 2019, section 3.1)."
        ),
    )
