"""CoNLL-format files: read them into sentences, tags and documents, checked line by line.

Taught in notebook 01; notebook 07 reads files with labels of your own. A CoNLL file holds one word
per line (the word first, the NER tag last, optionally POS and chunk columns between), a blank line
between sentences and ``-DOCSTART-`` lines between documents. IOB1, BIOES/IOBES and BILOU files are
converted to IOB2 (:func:`nercourse.to_iob2`), with one warning per file that says so; anything else
that cannot be read raises :class:`nercourse.CoNLLFormatError` naming the file and line.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from .errors import CoNLLFormatError, NerCourseError
from .labels import LABEL_NAMES, TAG_SYNTAX, gold_tags, labels_from_tags, tag_problem, to_iob2


class IOB1ConversionWarning(UserWarning):
    """A file was in IOB1 (or had entity-initial I- tags) and was converted to IOB2."""


class BIOESConversionWarning(UserWarning):
    """A file was in BIOES/IOBES (S-, E-) or BILOU (U-, L-) and was converted to IOB2."""


class NoEntityWarning(UserWarning):
    """A data file has no entity at all: every word is tagged O."""


def entity_types(label_names: Sequence[str]) -> list[str]:
    """The entity types of a label list, in its order: ``["PER", "ORG", "LOC", "MISC"]`` for CoNLL-2003's."""
    return list(dict.fromkeys(name[2:] for name in label_names if name != "O"))


def unknown_type_fix(kind: str, label_names: Sequence[str], labels_from: str | None) -> tuple[str, str]:
    """The problem and the fix to report for an entity type that is not one of ``label_names``' types;
    ``labels_from`` names the file the labels were read from (the training file), if any."""
    types = entity_types(label_names)
    if labels_from is not None:
        return (
            f"type {kind!r} does not occur in {labels_from}, where the labels come from (its types: {', '.join(types)})",
            f"every entity type of validation and test must occur in train: add examples of {kind} to train, or "
            "correct this tag",
        )
    return (
        f"type {kind!r} is not one of the types {types} of label_names={list(label_names)}",
        "pass label_names=... for another tag set, or label_names=None to read the labels from the file",
    )


def _check_tag(
    tag: str, label_names: Sequence[str] | None, path: str, line_number: int, labels_from: str | None
) -> None:
    problem = tag_problem(tag)
    if problem is not None:
        raise CoNLLFormatError(path, line_number, problem, TAG_SYNTAX)
    if label_names is not None and tag != "O" and tag[2:] not in entity_types(label_names):
        problem, fix = unknown_type_fix(tag[2:], label_names, labels_from)
        raise CoNLLFormatError(path, line_number, f"unknown tag {tag!r}: {problem}", fix)


def warn_if_no_entity(path: str, tag_lists: Sequence[Sequence[str]], stacklevel: int = 3) -> None:
    """A :class:`NoEntityWarning` when every tag of a file is O."""
    if all(tag == "O" for tags in tag_lists for tag in tags):
        warnings.warn(
            f"{path}: no entity at all, every word is tagged O. A model learns nothing from it, and a split "
            "without entities scores 0. Is this the right file, with the tags in the last column?",
            NoEntityWarning,
            stacklevel=stacklevel,
        )


def read_conll_rows(path: str | os.PathLike) -> list[list[tuple[int, list[str]]]]:
    """The token lines of a CoNLL file as sentences of ``(line_number, columns)``.

    Blank lines end sentences, ``-DOCSTART-`` lines are skipped, every token line must have the
    same number of columns (at least 2).
    """
    return _read_rows_and_documents(path)[0]


def _read_rows_and_documents(path: str | os.PathLike) -> tuple[list[list[tuple[int, list[str]]]], list[int]]:
    """:func:`read_conll_rows` and :func:`document_ids` in one reading of the file."""
    path = str(path)
    sentences: list[list[tuple[int, list[str]]]] = []
    documents: list[int] = []
    rows: list[tuple[int, list[str]]] = []
    columns = None
    document = -1  # as document_ids counts: the sentences before the second -DOCSTART- are document 0
    try:
        with open(path, encoding="utf-8-sig", newline=None) as handle:
            for line_number, line in enumerate(handle, start=1):
                parts = line.split()
                if not parts or parts[0] == "-DOCSTART-":
                    if rows:
                        sentences.append(rows)
                        rows = []
                    if parts:
                        document += 1
                    continue
                if not rows:
                    documents.append(max(document, 0))
                if len(parts) < 2:
                    raise CoNLLFormatError(
                        path,
                        line_number,
                        f"expected a word and its tag separated by whitespace, got {line.strip()!r}",
                        "each line holds 'word tag' or 'word POS chunk tag'; sentences end with a blank line",
                    )
                if columns is None:
                    columns = len(parts)
                elif len(parts) != columns:
                    raise CoNLLFormatError(
                        path,
                        line_number,
                        f"this line has {len(parts)} columns but earlier lines have {columns}: {line.strip()!r}",
                        "words must not contain spaces; every line needs the same columns",
                    )
                rows.append((line_number, parts))
    except FileNotFoundError:
        raise NerCourseError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        raise CoNLLFormatError(path, None, f"not UTF-8 text ({exc})", "save the file as UTF-8") from None
    if rows:
        sentences.append(rows)
    if not sentences:
        raise CoNLLFormatError(path, None, "no sentences found", "is this the right file? It is empty.")
    return sentences, documents


def document_ids(path: str | os.PathLike) -> list[int]:
    """The document of each sentence of a CoNLL file, in the order :func:`read_conll_rows` reads them:
    0 for the sentences before the second ``-DOCSTART-`` line, 1 up to the third, and so on (a file
    without ``-DOCSTART-`` lines is one document, 0). Used to rebuild articles from their sentences."""
    ids: list[int] = []
    document, inside = -1, False
    with open(str(path), encoding="utf-8-sig", newline=None) as handle:
        for line in handle:
            parts = line.split()
            if parts and parts[0] == "-DOCSTART-":
                document, inside = document + 1, False
            elif not parts:
                inside = False
            elif not inside:
                ids.append(max(document, 0))
                inside = True
    return ids


def read_conll_sentences(
    path: str | os.PathLike, label_names: Sequence[str] | None = LABEL_NAMES, tag_column: int = -1
) -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL file into (sentences, IOB2 tag lists); the tag is the last column by default.
    See :func:`read_conll`."""
    sentences, tags, _, _ = read_tagged_sentences(path, label_names, tag_column)
    return sentences, tags


def read_tagged_sentences(
    path: str | os.PathLike,
    label_names: Sequence[str] | None,
    tag_column: int = -1,
    *,
    labels_from: str | None = None,
) -> tuple[list[list[str]], list[list[str]], list[int], list[str]]:
    """Sentences, IOB2 tags, the document of each sentence (:func:`document_ids`) and the label names, in one
    reading. ``label_names=None`` reads the labels from the file (:func:`nercourse.labels_from_tags`);
    ``labels_from`` names the file given ``label_names`` came from, for the message of an unknown type."""
    path = str(path)
    sentences, tag_lists = [], []
    all_rows, documents = _read_rows_and_documents(path)
    checked: set[str] = set()  # each distinct tag is checked once
    for rows in all_rows:
        for line_number, parts in rows:
            if parts[tag_column] not in checked:
                _check_tag(parts[tag_column], label_names, path, line_number, labels_from)
                checked.add(parts[tag_column])
        sentences.append([parts[0] for _, parts in rows])
        tag_lists.append([parts[tag_column] for _, parts in rows])

    converted = [to_iob2(sentence_tags) for sentence_tags in tag_lists]
    _say_what_was_converted(path, tag_lists, converted)
    if label_names is None:
        label_names = labels_from_tags(converted)
    for sentence_tags in converted:
        for tag in sentence_tags:
            if tag not in label_names:  # a B-X made from I-X whose B-X is not a label
                raise CoNLLFormatError(path, None, f"tag {tag!r} is not in label_names {list(label_names)}")
    warn_if_no_entity(path, converted, stacklevel=4)
    return sentences, converted, documents, list(label_names)


def _say_what_was_converted(path: str, tag_lists: list[list[str]], converted: list[list[str]]) -> None:
    """One warning per scheme that was converted to IOB2, with how many tags changed."""
    pairs = [(old, new) for old_tags, new_tags in zip(tag_lists, converted) for old, new in zip(old_tags, new_tags)]
    bioes = sum(old[:2] in ("S-", "E-", "U-", "L-") for old, _ in pairs)
    iob1 = sum(old[:2] == "I-" and new[:2] == "B-" for old, new in pairs)
    if bioes:
        warnings.warn(
            f"{path}: converted BIOES/IOBES (or BILOU) to IOB2 ({bioes:,} S-/E-/U-/L- tags became B- or I-).",
            BIOESConversionWarning,
            stacklevel=4,
        )
    if iob1:
        warnings.warn(
            f"{path}: converted IOB1 to IOB2 ({iob1:,} entity-initial I- tags became B-).",
            IOB1ConversionWarning,
            stacklevel=4,
        )


def conll_features(label_names: Sequence[str] = LABEL_NAMES):
    """The datasets features of a course split: ``id``, ``tokens``, ``ner_tags`` (ClassLabel) and
    ``document`` (the article each sentence comes from: 0, 1, 2, ... in file order)."""
    from datasets import ClassLabel, Features, List, Value

    return Features(
        {
            "id": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=list(label_names))),
            "document": Value("int32"),
        }
    )


def tagged_dataset(sentences, tags, documents, label_names: Sequence[str]):
    """A course split (:func:`conll_features`) from words, IOB2 tags and each sentence's document."""
    from datasets import Dataset

    index = {name: i for i, name in enumerate(label_names)}
    return Dataset.from_dict(
        {
            "id": [str(i) for i in range(len(sentences))],
            "tokens": sentences,
            "ner_tags": [[index[tag] for tag in sentence_tags] for sentence_tags in tags],
            "document": documents,
        },
        features=conll_features(label_names),
    )


def with_labels(split, label_names: Sequence[str]):
    """The same split with another label list (the same tags, new ids): e.g. a test file's labels widened to a
    model's, so a type the file lacks is still a label."""
    return tagged_dataset(list(split["tokens"]), gold_tags(split), list(split["document"]), label_names)


def read_conll(
    path: str | os.PathLike, label_names: Sequence[str] | None = LABEL_NAMES, *, labels_from: str | None = None
):
    """Read one CoNLL-format file into a ``datasets.Dataset`` with ``id``, ``tokens``, ``ner_tags``
    and ``document`` (each sentence's document, from the ``-DOCSTART-`` lines: :func:`document_ids`).

    Accepts 2-column (word tag) and 4-column (word POS chunk tag) files, ``-DOCSTART-`` lines,
    CRLF line ends, a byte-order mark and trailing whitespace. Tags in IOB1, BIOES/IOBES or BILOU are
    converted to IOB2, with an :class:`IOB1ConversionWarning` or :class:`BIOESConversionWarning` that
    says how many changed; a file without any entity gets a :class:`NoEntityWarning`. Bad tags
    (``B-``, ``X-FOO``, ``b-per``), types not in ``label_names`` and malformed lines raise
    :class:`CoNLLFormatError` naming the file and line.

    ``label_names`` are CoNLL-2003's by default; ``None`` reads them from the file's tags
    (:func:`nercourse.labels_from_tags`: O, then B-/I- per type, types sorted by name).
    """
    sentences, tags, documents, label_names = read_tagged_sentences(path, label_names, labels_from=labels_from)
    return tagged_dataset(sentences, tags, documents, label_names)
