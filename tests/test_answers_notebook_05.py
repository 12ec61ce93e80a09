"""nercourse.answers.notebook_05: the expected answers of notebook 05's exercises are right."""

from __future__ import annotations

import pytest

import nercourse
from nercourse.answers import notebook_05 as answers


class Tagger:
    """Stands in for NerTagger: fixed entities per text."""

    def __init__(self, found: dict[str, list[nercourse.Entity]]):
        self.found = found

    def entities(self, text: str) -> list[nercourse.Entity]:
        return self.found[text]


TEXT = "Angela Merkel visited the U.S. today."
MERKEL = nercourse.Entity(type="PER", text="Angela Merkel", start=0, end=13, score=0.875)
US = nercourse.Entity(type="LOC", text="U.S.", start=26, end=30, score=0.5)


def test_exercise_1_compares_type_and_offsets_only():
    tagger = Tagger({"one": [MERKEL, US], "two": [MERKEL, US]})
    pipeline_says = {
        "one": [
            {"entity_group": "PER", "start": 0, "end": 13, "score": 0.1, "word": "angela merkel"},
            {"entity_group": "LOC", "start": 26, "end": 30, "score": 0.2, "word": "u. s."},
        ],
        "two": [
            {"entity_group": "PER", "start": 0, "end": 13, "score": 0.875, "word": "Angela Merkel"},
            {"entity_group": "LOC", "start": 26, "end": 27, "score": 0.5, "word": "U"},
        ],
    }
    assert answers.exercise_1(pipeline_says.__getitem__, tagger, {"a": "one", "b": "two"}) == {"a": True, "b": False}


def test_exercise_2_gives_the_pipelines_keys_in_order():
    found = answers.exercise_2(Tagger({TEXT: [MERKEL, US]}), TEXT)
    assert [list(entity) for entity in found] == [["entity_group", "score", "word", "start", "end"]] * 2
    assert [(e["entity_group"], e["word"], TEXT[e["start"] : e["end"]]) for e in found] == [
        ("PER", "Angela Merkel", "Angela Merkel"),
        ("LOC", "U.S.", "U.S."),
    ]
    assert all(type(e["score"]) is float for e in found)


def test_question_3_accepts_only_the_training_reason(capsys):
    nercourse.check("D", answers.question_3())
    assert "Correct" in capsys.readouterr().out
    for wrong in "abc":
        with pytest.raises(AssertionError):
            nercourse.check(wrong, answers.question_3())
