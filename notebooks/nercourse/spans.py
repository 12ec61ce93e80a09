"""JSONL span annotations, as annotation tools export them, turned into words and IOB2 tags.

Taught in notebook 07 (your own labels, optional). One record per line, in either of two forms:

- ``{"text": "...", "label": [[start, end, "TYPE"], ...]}`` (doccano's export);
- ``{"text": "...", "spans": [{"start": ..., "end": ..., "label": "TYPE"}, ...]}`` (Prodigy's, among others).

Offsets count characters of ``text``, end exclusive. The words are :func:`nercourse.split_words`' (CoNLL-2003's
tokenization), and each span tags the words it covers: ``B-TYPE`` on the first, ``I-TYPE`` on the rest. Spaces
at a span's ends are left out. A span that starts or ends inside a word is an error (``align="strict"``),
unless ``align="expand"`` widens it to the words it touches (a warning says how many); overlapping spans are
an error, never dropped. One record is one example: a sentence, or a short text.
"""

from __future__ import annotations

import json
import os
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from .conll import entity_types, tagged_dataset, unknown_type_fix, warn_if_no_entity
from .errors import DataFormatError, NerCourseError
from .labels import labels_from_tags, tag_problem
from .words import Word, split_words

ALIGN_MODES = ("strict", "expand")
_FORMS = (
    'one JSON object per line: {"text": "...", "label": [[start, end, "TYPE"], ...]} or '
    '{"text": "...", "spans": [{"start": 0, "end": 5, "label": "TYPE"}, ...]}'
)


class LabelLooksLikeTagWarning(UserWarning):
    """A JSONL span label such as ``B-PER``: a tag where an entity type (``PER``) was meant."""


class SpanExpansionWarning(UserWarning):
    """Spans that did not fall on word boundaries were expanded to the words they touch (``align="expand"``)."""


class _SpanProblem(Exception):
    """What is wrong with one record, and the fix; the caller adds the file and line."""

    def __init__(self, problem: str, fix: str = ""):
        super().__init__(problem)
        self.problem, self.fix = problem, fix


def _offset(value, span) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _SpanProblem(
            f"span {span} has the offset {value!r}, not an integer", "offsets count characters: 0, 1, ..."
        )
    return value


def _span(item) -> tuple[int, int, str]:
    """``[start, end, "TYPE"]`` or ``{"start": ..., "end": ..., "label": ...}`` as a checked tuple."""
    if isinstance(item, dict) and {"start", "end", "label"} <= item.keys():
        start, end, label = item["start"], item["end"], item["label"]
    elif isinstance(item, (list, tuple)) and len(item) == 3:
        start, end, label = item
    else:
        raise _SpanProblem(f"span {json.dumps(item)} is neither [start, end, TYPE] nor {{start, end, label}}", _FORMS)
    shown = json.dumps(item)
    start, end = _offset(start, shown), _offset(end, shown)
    if not isinstance(label, str) or not label or any(c.isspace() for c in label):
        raise _SpanProblem(f"span {shown} has the label {label!r}", "a label is an entity type: a name without spaces")
    if label == "O":
        raise _SpanProblem(
            f"span {shown}: the label 'O' is a tag for no entity, not an entity type",
            "leave the span out: text outside every span is O",
        )
    return start, end, label


def _record_spans(record: dict) -> list:
    if "label" in record and "spans" in record:
        raise _SpanProblem("the record has both 'label' and 'spans'", "give the spans once, in one of the two forms")
    if "label" not in record and "spans" not in record:
        raise _SpanProblem(
            f"the record has no 'label' or 'spans' (its keys: {', '.join(map(str, record))})",
            f"{_FORMS}; a text without entities has an empty list",
        )
    spans = record.get("label", record.get("spans"))
    if not isinstance(spans, list):
        raise _SpanProblem(f"the spans are {json.dumps(spans)}, not a list", _FORMS)
    return spans


def _around(text: str, words: Sequence[Word], first: int, last: int) -> str:
    """The words around ``words[first:last + 1]``, those in brackets: ``sold the [AeroBook Pro] 14 to``."""
    before = " ".join(w.text for w in words[max(0, first - 3) : first])
    inside = " ".join(w.text for w in words[first : last + 1])
    after = " ".join(w.text for w in words[last + 1 : last + 4])
    return " ".join(filter(None, [before, f"[{inside}]", after]))


def _tag_words(text: str, spans: Sequence, align: str) -> tuple[list[Word], list[str], int]:
    """Words, their IOB2 tags and how many spans were expanded; raises :class:`_SpanProblem`."""
    words = split_words(text)
    if not words:
        raise _SpanProblem("the text has no words", "leave out records with an empty text")
    starts, ends = [w.start for w in words], [w.end for w in words]
    placed, expanded = [], 0  # (first word, last word, label, span as given)
    for item in spans:
        start, end, label = _span(item)
        shown = f"[{start}, {end}, {label!r}]"
        if not 0 <= start < end <= len(text):
            raise _SpanProblem(
                f"span {shown} is outside the text, which has {len(text)} characters (0 <= start < end <= {len(text)})",
                "offsets count characters of 'text' from 0, end exclusive; were they counted in bytes?",
            )
        while text[start].isspace() and start < end - 1:  # spaces a selection took along
            start += 1
        while text[end - 1].isspace() and end - 1 > start:
            end -= 1
        first, last = bisect_right(ends, start), bisect_left(starts, end) - 1
        if first > last:
            raise _SpanProblem(f"span {shown} {text[start:end]!r} covers no word", "mark words, not spaces or symbols")
        if (starts[first], ends[last]) != (start, end):
            if align != "expand":
                raise _SpanProblem(
                    f"span {shown} {text[start:end]!r} does not fall on word boundaries; the words around it: "
                    f"{_around(text, words, first, last)}",
                    "correct the offsets so the span starts and ends with a word (as nercourse.split_words splits "
                    "the text), or expand such spans to the words they touch: align='expand' (command line: "
                    "--expand-spans)",
                )
            expanded += 1
        placed.append((first, last, label, f"{shown} {text[start:end]!r}"))
    placed.sort()
    for (_, last, _, one), (first, _, _, other) in zip(placed, placed[1:]):
        if first <= last:
            whole = " (once widened to whole words)" if align == "expand" else ""
            raise _SpanProblem(
                f"spans {one} and {other} overlap{whole}",
                "a word belongs to one entity at most: keep one of the two spans (the course's tags cannot nest)",
            )
    tags = ["O"] * len(words)
    for first, last, label, _ in placed:
        tags[first : last + 1] = [f"B-{label}"] + [f"I-{label}"] * (last - first)
    return words, tags, expanded


def spans_to_tags(text: str, spans: Sequence, *, align: str = "strict") -> tuple[list[str], list[str]]:
    """One text's words (:func:`nercourse.split_words`) and their IOB2 tags, from character spans given as
    ``[start, end, "TYPE"]`` or ``{"start": ..., "end": ..., "label": ...}``. See :func:`read_jsonl`."""
    _check_align(align)
    try:
        words, tags, _ = _tag_words(text, spans, align)
    except _SpanProblem as exc:
        raise NerCourseError(f"{exc.problem}\n  How to fix: {exc.fix}") from None
    return [w.text for w in words], tags


def _check_align(align: str) -> None:
    if align not in ALIGN_MODES:
        raise NerCourseError(f"align={align!r} is not one of {ALIGN_MODES}.")


def _record(line: str, path: str, line_number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataFormatError(path, line_number, f"not valid JSON ({exc.msg}, column {exc.colno})", _FORMS) from None
    if not isinstance(record, dict):
        raise DataFormatError(path, line_number, f"a record is a JSON object, this is {type(record).__name__}", _FORMS)
    if "text" not in record:
        raise DataFormatError(path, line_number, f"the record has no 'text' (its keys: {', '.join(record)})", _FORMS)
    if not isinstance(record["text"], str):
        raise DataFormatError(path, line_number, f"'text' is {json.dumps(record['text'])}, not a string", _FORMS)
    return record


def read_jsonl(
    path: str | os.PathLike,
    label_names: Sequence[str] | None = None,
    *,
    align: str = "strict",
    labels_from: str | None = None,
):
    """Read a JSONL file of span annotations into a course split (``id``, ``tokens``, ``ner_tags``,
    ``document``: each record is a document of its own), like :func:`nercourse.read_conll` reads a CoNLL file.

    ``label_names=None`` (the default) reads the labels from the spans (:func:`nercourse.labels_from_tags`);
    given ones make any other type an error (``labels_from`` names the file they came from, for the message).
    Blank lines are skipped. Invalid JSON, a record without ``text``, a span outside the text or with an
    offset that is not an integer, a span off word boundaries (with ``align="strict"``) and overlapping
    spans raise :class:`nercourse.DataFormatError` naming the file and line; so does a file with no
    record. A file without any entity gets a :class:`nercourse.conll.NoEntityWarning`.
    """
    _check_align(align)
    path = str(path)
    sentences, tag_lists, expanded = [], [], 0
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                record = _record(line, path, line_number)
                try:
                    words, tags, changed = _tag_words(record["text"], _record_spans(record), align)
                except _SpanProblem as exc:
                    raise DataFormatError(path, line_number, exc.problem, exc.fix) from None
                known = entity_types(label_names) if label_names is not None else None
                for kind in dict.fromkeys(tag[2:] for tag in tags if tag != "O"):
                    if known is not None and kind not in known:
                        problem, fix = unknown_type_fix(kind, label_names, labels_from)
                        raise DataFormatError(path, line_number, f"unknown label {kind!r}: {problem}", fix)
                sentences.append([w.text for w in words])
                tag_lists.append(tags)
                expanded += changed
    except FileNotFoundError:
        raise NerCourseError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        raise DataFormatError(path, None, f"not UTF-8 text ({exc})", "save the file as UTF-8") from None
    if not sentences:
        raise DataFormatError(path, None, "no records found", f"is this the right file? It is empty; {_FORMS}")
    if expanded:
        warnings.warn(
            f"{path}: {expanded:,} spans did not fall on word boundaries and were expanded to the words they touch "
            "(align='expand'). Check a few: a span that cut a word may have been a mistake.",
            SpanExpansionWarning,
            stacklevel=2,
        )
    warn_if_no_entity(path, tag_lists)
    kinds = {tag[2:] for tags in tag_lists for tag in tags if tag != "O"}
    tag_like = sorted(kind for kind in kinds if kind != "O" and tag_problem(kind) is None)  # B-PER, not PER
    if tag_like:
        warnings.warn(
            f"{path}: the span labels {tag_like} look like tags, not entity types; their entities will be "
            f"called {tag_like[0]!r} and so on. If {tag_like[0][2:]!r} is the type, label the spans with it: "
            "the B-/I- tags are made from the spans.",
            LabelLooksLikeTagWarning,
            stacklevel=2,
        )
    label_names = list(label_names) if label_names is not None else labels_from_tags(tag_lists)
    return tagged_dataset(sentences, tag_lists, list(range(len(sentences))), label_names)
