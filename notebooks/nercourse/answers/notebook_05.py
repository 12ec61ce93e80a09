"""Expected answers of notebook 05 (inference): where the pipeline and ``NerTagger`` agree, the
pipeline's output format, and why ``first`` is the aggregation strategy that matches training.

Each function computes its answer from the objects the notebook hands it (its tagger, its pipeline,
its sentences), so the answers stay right for every model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..exercises import Choice


def exercise_1(ner: Callable, tagger, texts: Mapping[str, str]) -> dict[str, bool]:
    """Per text: does the pipeline find exactly the tagger's entities, compared as (type, start, end)?"""
    return {
        name: [(e["entity_group"], e["start"], e["end"]) for e in ner(text)]
        == [(e.type, e.start, e.end) for e in tagger.entities(text)]
        for name, text in texts.items()
    }


def exercise_2(tagger, text: str) -> list[dict]:
    """``tagger.entities(text)`` in the pipeline's format: one dict per entity, in order."""
    return [
        {"entity_group": e.type, "score": e.score, "word": e.text, "start": e.start, "end": e.end}
        for e in tagger.entities(text)
    ]


def question_3() -> Choice:
    """Why ``first`` is the strategy that matches first-subword training."""
    return Choice(
        right="d",
        why=(
            "In training only a word's first subword carried its label; every later subword had -100, so "
            "the loss never looked at the classifier's output there, and first reads the one trained position. "
            "(a) Piece length says nothing about which position was trained (lever, ##kus, ##en). (b) No loss was "
            "computed on the later subwords at all: -100 left them out, nothing was averaged. (c) Nothing taught "
            "the model O there; a trained model's later subwords often agree with the first, but nothing trained "
            "them to."
        ),
    )
