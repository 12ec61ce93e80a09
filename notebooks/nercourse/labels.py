"""Tags and label names: IOB2, entities as spans, and the names label ids stand for.

Taught in notebook 01 (the nine CoNLL-2003 tags, IOB1 -> IOB2, entities as spans) and notebook 04
(labels meet by name). Label ids mean nothing on their own: a split's ``ner_tags`` are numbered by
its ``ClassLabel`` names, a model's outputs by its config's ``id2label``, and two of them may number
the same tags in different orders. This module is the one place that turns ids into names and back:

- :data:`LABEL_NAMES`: CoNLL-2003's tags in their canonical order (the course's default);
- :func:`label_names_of`: the names a split or a model stores, in id order;
- :func:`tag_names` and :func:`gold_tags`: ids to tag strings, for a sentence or a whole split;
- :func:`label_maps`: ``id2label`` and ``label2id`` for a model config;
- :func:`label_mapping`: which data label id each of a model's outputs means, matched by name;
- :func:`labels_from_tags`: the label list of a data set you bring, read from its training tags
  (notebook 07: your own labels); :func:`tag_problem` and :func:`to_iob2` check tags and turn IOB1,
  BIOES/IOBES and BILOU into IOB2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .errors import NerCourseError

LABEL_NAMES = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
"""CoNLL-2003's nine IOB2 tags in the order of its Hub copy's ``ClassLabel``."""
ENTITY_TYPES = ["PER", "ORG", "LOC", "MISC"]


def label_names_of(source) -> list[str]:
    """The tag names ``source``'s label ids stand for, in id order, as ``source`` stores them:
    a split's ``ner_tags`` ``ClassLabel`` names, or a model's (or model config's) ``id2label``.

    Gold ids are decoded with the split's names and predictions with the model's. A model may number
    the same tags in another order (``dslim/bert-base-NER``: O, B-MISC, I-MISC, B-PER, ...), so
    tags always meet by name, never by position.
    """
    config = getattr(source, "config", source)
    if hasattr(config, "id2label"):
        return [config.id2label[i] for i in range(config.num_labels)]
    feature = getattr(source.features["ner_tags"], "feature", None)
    names = getattr(feature, "names", None)
    if names is None:
        raise NerCourseError(
            f"The split's ner_tags are {feature!r}, not ClassLabel ids, so their tag names are unknown.\n"
            "  How to fix: load the data with nercourse.load_conll2003 or nercourse.read_conll, or cast the "
            "column: dataset.cast_column('ner_tags', List(ClassLabel(names=[...])))."
        )
    return list(names)


def tag_names(tag_ids: Sequence[int], label_names: Sequence[str] = LABEL_NAMES) -> list[str]:
    """Label ids to tag strings (seqeval wants strings)."""
    return [label_names[i] for i in tag_ids]


def gold_tags(dataset) -> list[list[str]]:
    """The gold tags of a split, as strings, decoded with the split's own label names."""
    names = label_names_of(dataset)
    return [tag_names(tag_ids, names) for tag_ids in dataset["ner_tags"]]


def label_maps(label_names: Sequence[str] = LABEL_NAMES) -> tuple[dict[int, str], dict[str, int]]:
    """``id2label`` and ``label2id`` for a model config."""
    id2label = dict(enumerate(label_names))
    return id2label, {name: i for i, name in id2label.items()}


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """Turn every I-X that starts an entity into B-X (IOB1 -> IOB2); IOB2 input comes back equal.

    An I-X starts an entity when it follows O, the start of the sentence, or a tag of another type.
    """
    converted = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        converted.append(tag)
        previous = tag
    return converted


def tag_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities as ``(type, first_word, end_word)`` (end exclusive) from IOB tags.

    The rule is conlleval's (and seqeval's default mode): an entity starts at B-X or at an I-X that
    does not continue an entity of type X, and continues over I-X of the same type.
    """
    spans = []
    current = None  # [type, start]
    for i, tag in enumerate(tags):
        kind = tag[2:] if tag[:2] in ("B-", "I-") else None
        continues = current is not None and tag.startswith("I-") and kind == current[0]
        if current is not None and not continues:
            spans.append((current[0], current[1], i))
            current = None
        if kind is not None and not continues:
            current = [kind, i]
    if current is not None:
        spans.append((current[0], current[1], len(tags)))
    return spans


def allowed_tags(label_names: Sequence[str] = LABEL_NAMES) -> set[str]:
    """The tags a file may hold for ``label_names``: the labels, plus I-X for every B-X (IOB1 files and
    ill-formed predictions use I-X where IOB2 has B-X)."""
    return set(label_names) | {"I-" + name[2:] for name in label_names if name.startswith("B-")}


_TAG = re.compile(r"(?P<prefix>[BIESLU])-(?P<type>\S+)")
TAG_SYNTAX = (
    "tags are O, or B-TYPE and I-TYPE (IOB2, IOB1); S-TYPE and E-TYPE (BIOES/IOBES) and U-TYPE and L-TYPE "
    "(BILOU) are read too and converted to IOB2. Prefixes are upper case; TYPE is any name without spaces"
)
"""The tag syntax every reader accepts, for error messages."""


def tag_problem(tag: str) -> str | None:
    """What is wrong with one tag string, or None when it is a tag the course reads: ``O``, or a prefix
    (``B-``, ``I-``; ``S-``, ``E-`` of BIOES; ``U-``, ``L-`` of BILOU) followed by a type."""
    if tag == "O" or _TAG.fullmatch(tag):
        return None
    if tag in ("0", "o"):
        return f"tag {tag!r} is not the letter O"
    prefix, dash, kind = tag.partition("-")
    if not dash:
        return f"tag {tag!r} has no prefix (B-, I-, ...) before its type"
    if not kind:
        return f"tag {tag!r} has no entity type after {prefix + dash!r}"
    if _TAG.fullmatch(prefix.upper() + dash + kind):
        return f"tag {tag!r} has a lower-case prefix {prefix + dash!r}"
    return f"tag {tag!r} has an unknown prefix {prefix + dash!r}"


def to_iob2(tags: Sequence[str]) -> list[str]:
    """One sentence's tags in IOB2, from IOB2, IOB1, BIOES/IOBES or BILOU (tags checked by :func:`tag_problem`).

    ``S-X`` and ``U-X`` (a one-word entity) become ``B-X``, ``E-X`` and ``L-X`` (an entity's last word)
    become ``I-X``, and then :func:`iob1_to_iob2` turns an ``I-X`` that starts an entity into ``B-X``.
    IOB2 input comes back equal.
    """
    single, last = ("S-", "U-"), ("E-", "L-")
    return iob1_to_iob2(["B-" + t[2:] if t[:2] in single else "I-" + t[2:] if t[:2] in last else t for t in tags])


def labels_from_tags(tag_lists: Iterable[Sequence[str]]) -> list[str]:
    """The label list of a data set, read from its (IOB2) tags: ``O`` first, then ``B-X`` and ``I-X`` for each
    entity type ``X``, types sorted by name, so the order (and every label id) is the same on every run.

    When the types are exactly CoNLL-2003's four (PER, ORG, LOC, MISC), the list is :data:`LABEL_NAMES`,
    CoNLL-2003's own order (not sorted), so a model trained on CoNLL-2003 files has the ids it always had.
    """
    types = {tag[2:] for tags in tag_lists for tag in tags if tag != "O"}
    if types == set(ENTITY_TYPES):
        return list(LABEL_NAMES)
    return ["O"] + [f"{prefix}-{kind}" for kind in sorted(types) for prefix in ("B", "I")]


def label_mapping(model_label_names: Sequence[str], data_label_names: Sequence[str]) -> list[tuple[int, str, int]]:
    """How a model's output ids map to a data set's label ids, by name: ``(model id, name, data id)``.

    A public model may order its labels differently (``dslim/bert-base-NER``: O, B-MISC, I-MISC, B-PER, ...);
    predictions are always read through the model's own ``id2label`` names, never by position.
    """
    missing = [name for name in model_label_names if name not in data_label_names]
    if missing:
        raise NerCourseError(
            f"The model predicts labels {missing} that the data does not have (its labels: "
            f"{', '.join(data_label_names)}).\n"
            "  How to fix: use a model fine-tuned on this data's tags, or evaluate it on data with its tags."
        )
    data = {name: i for i, name in enumerate(data_label_names)}
    return [(i, name, data[name]) for i, name in enumerate(model_label_names)]
