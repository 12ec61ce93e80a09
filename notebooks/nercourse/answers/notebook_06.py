"""Expected answers of notebook 06 (long texts): why each word is read in the window with the most
context (question 1), what the window stride changes (exercise 2), sorting for speed and restoring
the order (exercise 3).

Each function computes its answer from the objects the notebook hands it (its model, tokenizer,
tagger and sentences), so the answers stay right for every model and profile.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..exercises import Choice
from ..inference import NerTagger


def exercise_2(tagger: NerTagger, words: Sequence[str]) -> list[int]:
    """Indices of the words of one long text whose tag changes when the windows do not overlap
    (``stride=0``) instead of overlapping by ``tagger.stride``."""
    no_overlap = NerTagger(
        tagger.model,
        tagger.tokenizer,
        label_names=tagger.label_names,
        batch_size=tagger.batch_size,
        device=str(tagger.device),
        max_length=tagger.max_length,
        stride=0,
        precision=tagger.precision,
    )
    default_tags = tagger.predict_words([list(words)])[0][0]
    no_overlap_tags = no_overlap.predict_words([list(words)])[0][0]
    return [i for i, (a, b) in enumerate(zip(default_tags, no_overlap_tags, strict=True)) if a != b]


def exercise_3(tagger: NerTagger, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """The tags of ``sentences`` in input order, however they were sorted for tagging."""
    return tagger.predict_words([list(s) for s in sentences])[0]


def question_1() -> Choice:
    """Why a word in an overlap takes its prediction from the window where it is farthest from a cut."""
    return Choice(
        right="b",
        why=(
            "A word's tag depends on the words around it. Next to a cut the model sees the text on one side "
            "only, as if the text began or ended there; farther from the cut it sees context on both sides, "
            "as it did in training. (a) The model reads a short window no more precisely than a long "
            "one; where the word sits matters, not the window's size. (c) Every training sentence starts at the first positions, so they are "
            "not the weak ones; what is missing next to a cut is context, not training. (d) The order in "
            "which windows run changes nothing: every word is predicted in both, and one prediction is kept."
        ),
    )
