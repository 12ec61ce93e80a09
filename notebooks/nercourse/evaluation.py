"""Evaluate a fine-tuned model on a split, and read/write predictions in CoNLL format.

Taught in notebook 04 (:func:`evaluate_split`; notebook 08 scores in document context with
:func:`evaluate_in_context`). Every word of every sentence gets exactly one prediction (long sentences
are windowed, never truncated), and predictions are kept in the split's order, so the scores are
the CoNLL metric on the whole split. Predictions files use conlleval's layout, ``word gold pred``
per line, so any external scorer can check the course's numbers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .conll import read_conll_rows
from .documents import DOCUMENT_COLUMN, warn_if_one_document
from .errors import CoNLLFormatError, NerCourseError
from .labels import LABEL_NAMES, allowed_tags, gold_tags, label_names_of
from .metrics import score_words
from .runner import predict_in_context


def _check_predictable(tagger, dataset) -> None:
    """Raise when ``tagger`` predicts tags that ``dataset`` does not have: its scores would mean nothing."""
    unknown = sorted(set(tagger.label_names) - set(label_names_of(dataset)))
    if unknown:
        raise NerCourseError(
            f"The model predicts tags {unknown} that this split does not have, so its scores would mean nothing.\n"
            "  How to fix: evaluate a model fine-tuned on this data set's tags."
        )


def evaluate_split(tagger, dataset) -> tuple[dict, list[list[str]]]:
    """Word-level scores of ``tagger`` on a split, and its predicted tags (one batched pass).

    Gold and predictions meet as tag *names*: the split's ids through the split's names, the
    model's outputs through the model's, so label order never matters.
    """
    _check_predictable(tagger, dataset)
    predictions, _ = tagger.predict_words(list(dataset["tokens"]))
    return score_words(gold_tags(dataset), predictions), predictions


def evaluate_in_context(tagger, dataset, budget: int) -> tuple[dict, list[list[str]]]:
    """Word-level scores of ``tagger`` on a split predicted in document context (the split's
    ``document`` column, file order), and the predicted tags: :func:`evaluate_split` with
    :func:`nercourse.predict_in_context` in place of sentence-by-sentence prediction."""
    _check_predictable(tagger, dataset)
    if DOCUMENT_COLUMN not in dataset.column_names:
        raise NerCourseError(
            "This split has no document column, so its sentences have no document context.\n"
            "  How to fix: load the data with nercourse.load_conll2003 or nercourse.read_conll, which add it."
        )
    if budget:
        warn_if_one_document(list(dataset[DOCUMENT_COLUMN]), "this split")
    predictions, _ = predict_in_context(tagger, list(dataset["tokens"]), list(dataset[DOCUMENT_COLUMN]), budget)
    return score_words(gold_tags(dataset), predictions), predictions


def write_predictions(
    path: str | os.PathLike,
    sentences: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    true_tags: Sequence[Sequence[str]] | None = None,
) -> None:
    """Write ``word gold pred`` (or ``word pred`` without gold) lines, a blank line per sentence."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for i, (words, predicted) in enumerate(zip(sentences, pred_tags)):
            gold = true_tags[i] if true_tags is not None else None
            for j, (word, tag) in enumerate(zip(words, predicted)):
                handle.write(f"{word} {gold[j]} {tag}\n" if gold is not None else f"{word} {tag}\n")
            handle.write("\n")


def read_predictions(
    path: str | os.PathLike, label_names: Sequence[str] = LABEL_NAMES
) -> tuple[list[list[str]], list[list[str]] | None, list[list[str]]]:
    """Read a predictions file: ``(words, gold tags or None, predicted tags)``.

    With three or more columns the last two are gold and predicted tags (conlleval's layout);
    with two, the second is the prediction. Tags are kept as written (no IOB1 repair), so strict
    scoring sees ill-formed predictions as they are.
    """
    allowed = allowed_tags(label_names)
    words, gold, predicted = [], [], []
    has_gold = None
    for rows in read_conll_rows(path):
        has_gold = len(rows[0][1]) >= 3
        for line_number, parts in rows:
            for tag in parts[-2:] if has_gold else parts[-1:]:
                if tag not in allowed:
                    raise CoNLLFormatError(
                        str(path),
                        line_number,
                        f"unknown tag {tag!r}",
                        f"tags are {sorted(allowed)}; for a model with other types, give its tags "
                        "(label_names=..., or --label-names on the command line)",
                    )
        words.append([parts[0] for _, parts in rows])
        gold.append([parts[-2] for _, parts in rows])
        predicted.append([parts[-1] for _, parts in rows])
    return words, (gold if has_gold else None), predicted


def score_predictions_file(path: str | os.PathLike, dataset=None, label_names: Sequence[str] | None = None) -> dict:
    """Score a predictions file, against its own gold column or, given ``dataset``, the split's tags.

    With a split, the file must hold the split's words sentence by sentence (checked), and the
    split's gold tags are used. ``label_names`` are the tags the file may contain (by default the
    split's, else the course's); their order does not matter.
    """
    if label_names is None:
        label_names = label_names_of(dataset) if dataset is not None else LABEL_NAMES
    words, gold, predicted = read_predictions(path, label_names)
    if dataset is not None:
        split_words = list(dataset["tokens"])
        if len(split_words) != len(words):
            raise CoNLLFormatError(
                str(path),
                None,
                f"{len(words)} sentences, but the split has {len(split_words)}",
                "write one prediction per word of every sentence of the split, in order",
            )
        for i, (expected, found) in enumerate(zip(split_words, words)):
            if list(expected) != found:
                raise CoNLLFormatError(
                    str(path),
                    None,
                    f"sentence {i + 1} has words {found[:6]}..., the split has {list(expected)[:6]}...",
                    "the file must follow the split's sentences and words in order",
                )
        gold = gold_tags(dataset)
    elif gold is None:
        raise CoNLLFormatError(
            str(path),
            None,
            "no gold column (2 columns) and no split to compare with",
            "pass the split, or use 'word gold pred' lines",
        )
    return score_words(gold, predicted)
