"""CoNLL-format files: read them into sentences, tags and documents, checked line by line.

Taught in notebook 01. A CoNLL file holds one word per line (the word first, the NER tag last,
optionally POS and chunk columns between), a blank line between sentences and ``-DOCSTART-``
lines between documents. IOB1 files are converted to IOB2 (:func:`nercourse.iob1_to_iob2`);
anything else that cannot be read raises :class:`nercourse.CoNLLFormatError` naming the file and line.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from .errors import CoNLLFormatError, NerCourseError
from .labels import LABEL_NAMES, allowed_tags, iob1_to_iob2


class IOB1ConversionWarning(UserWarning):
    """A file was in IOB1 (or had entity-initial I- tags) and was converted to IOB2."""


def _check_tag(tag: str, allowed: set[str], path: str, line_number: int) -> None:
    if tag in allowed:
        return
    if tag[:2] in ("E-", "S-", "L-", "U-"):
        problem = f"tag {tag!r} is IOBES/BILOU; the course reads IOB1 and IOB2 only"
        fix = "convert the file to IOB2 (S-X -> B-X, E-X -> I-X)"
    else:
        problem = f"unknown tag {tag!r}"
        fix = f"tags must be one of {sorted(allowed)}; pass label_names=... for another tag set"
    raise CoNLLFormatError(path, line_number, problem, fix)


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
    path: str | os.PathLike, label_names: Sequence[str] = LABEL_NAMES, tag_column: int = -1
) -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL file into (sentences, IOB2 tag lists); the tag is the last column by default.
    See :func:`read_conll`."""
    sentences, tags, _ = _read_sentences(path, label_names, tag_column)
    return sentences, tags


def _read_sentences(
    path: str | os.PathLike, label_names: Sequence[str], tag_column: int = -1
) -> tuple[list[list[str]], list[list[str]], list[int]]:
    """Sentences, IOB2 tags and the document of each sentence (:func:`document_ids`), one reading."""
    allowed = allowed_tags(label_names)
    sentences, tag_lists = [], []
    all_rows, documents = _read_rows_and_documents(path)
    for rows in all_rows:
        for line_number, parts in rows:
            _check_tag(parts[tag_column], allowed, str(path), line_number)
        sentences.append([parts[0] for _, parts in rows])
        tag_lists.append([parts[tag_column] for _, parts in rows])

    converted = [iob1_to_iob2(sentence_tags) for sentence_tags in tag_lists]
    changed = sum(a != b for old, new in zip(tag_lists, converted) for a, b in zip(old, new))
    if changed:
        warnings.warn(
            f"{path}: converted IOB1 to IOB2 ({changed:,} entity-initial I- tags became B-).",
            IOB1ConversionWarning,
            stacklevel=3,
        )
    for sentence_tags in converted:
        for tag in sentence_tags:
            if tag not in label_names:  # a B-X made from I-X whose B-X is not a label
                raise CoNLLFormatError(str(path), None, f"tag {tag!r} is not in label_names {list(label_names)}")
    return sentences, converted, documents


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


def read_conll(path: str | os.PathLike, label_names: Sequence[str] = LABEL_NAMES):
    """Read one CoNLL-format file into a ``datasets.Dataset`` with ``id``, ``tokens``, ``ner_tags``
    and ``document`` (each sentence's document, from the ``-DOCSTART-`` lines: :func:`document_ids`).

    Accepts 2-column (word tag) and 4-column (word POS chunk tag) files, ``-DOCSTART-`` lines,
    CRLF line ends, a byte-order mark and trailing whitespace. IOB1 files are converted to IOB2,
    with an :class:`IOB1ConversionWarning` that says how many tags changed. Unknown tags and
    malformed lines raise :class:`CoNLLFormatError` naming the file and line.
    """
    from datasets import Dataset

    sentences, tags, documents = _read_sentences(path, label_names)
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
