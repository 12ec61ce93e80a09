"""Word-level NER scores with seqeval: the CoNLL metric, in default and strict IOB2 mode.

Taught in notebook 03 (``compute_metrics``) and notebook 04 (the full report). Entity-level
precision, recall and F1 are computed on one tag per *word*, as conlleval does; scoring every
subword instead gives a different number (lower or higher, depending on how the model was
trained) that is not comparable to published results.

- default mode (conlleval-compatible, the headline): an I-X after O starts an entity.
- strict mode (IOB2 scheme): an entity must start with B-X, so ill-formed predictions are errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .alignment import IGNORE_INDEX
from .labels import LABEL_NAMES


def _check_lengths(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> None:
    if len(true_tags) != len(pred_tags):
        raise ValueError(f"{len(true_tags)} gold sentences but {len(pred_tags)} predicted ones")
    for i, (gold, pred) in enumerate(zip(true_tags, pred_tags)):
        if len(gold) != len(pred):
            raise ValueError(
                f"sentence {i} has {len(gold)} gold tags but {len(pred)} predicted tags: "
                "every word needs exactly one prediction"
            )


def _as_lists(tags: Sequence[Sequence[str]]) -> list[list[str]]:
    return [list(sentence) for sentence in tags]


def score_words(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> dict:
    """Entity-level scores on word tags (strings such as "B-PER"), one list per sentence.

    Returns ``precision``/``recall``/``f1`` (seqeval default mode, comparable to conlleval),
    ``strict_precision``/``strict_recall``/``strict_f1`` (strict IOB2), word ``accuracy``, the
    number of ``sentences``, ``words`` and gold ``entities``, and ``per_type``: for each entity type
    its default-mode ``precision``, ``recall``, ``f1`` and ``support`` (gold entities of that type).
    All values are plain Python numbers, ready for JSON.
    """
    from seqeval.metrics import accuracy_score, classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    _check_lengths(true_tags, pred_tags)
    y_true, y_pred = _as_lists(true_tags), _as_lists(pred_tags)
    strict = {"mode": "strict", "scheme": IOB2}
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    per_type = {
        name: {
            "precision": float(values["precision"]),
            "recall": float(values["recall"]),
            "f1": float(values["f1-score"]),
            "support": int(values["support"]),
        }
        for name, values in sorted(report.items())
        if not name.endswith(" avg")
    }
    return {
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "strict_precision": float(precision_score(y_true, y_pred, zero_division=0, **strict)),
        "strict_recall": float(recall_score(y_true, y_pred, zero_division=0, **strict)),
        "strict_f1": float(f1_score(y_true, y_pred, zero_division=0, **strict)),
        "accuracy": float(accuracy_score(y_true, y_pred)) if any(y_true) else 0.0,
        "sentences": len(y_true),
        "words": sum(len(sentence) for sentence in y_true),
        "entities": sum(values["support"] for values in per_type.values()),
        "per_type": per_type,
    }


def first_subword_tags(
    predictions: np.ndarray, labels: np.ndarray, label_names: Sequence[str] = LABEL_NAMES
) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted word tags from subword arrays whose labels are -100 except on first subwords.

    ``predictions`` holds label ids (N, L) or logits (N, L, C). Rows travel with their labels, so
    this is correct in whatever order the rows come.
    """
    predictions = np.asarray(predictions)
    if predictions.ndim == 3:
        predictions = predictions.argmax(-1)
    labels = np.asarray(labels)
    true_tags, pred_tags = [], []
    for pred_row, label_row in zip(predictions, labels):
        keep = label_row != IGNORE_INDEX
        true_tags.append([label_names[i] for i in label_row[keep]])
        pred_tags.append([label_names[i] for i in pred_row[: len(label_row)][keep]])
    return true_tags, pred_tags


def make_compute_metrics(label_names: Sequence[str] = LABEL_NAMES):
    """A ``compute_metrics`` for ``Trainer``: word-level F1 (default and strict) and accuracy.

    The evaluation set must be tokenized with first-subword labels (``tokenize_and_align`` with
    ``all_subwords=False``), which makes every labelled position exactly one word.
    """

    def compute_metrics(eval_prediction) -> dict[str, float]:
        predictions, labels = eval_prediction[0], eval_prediction[1]
        scores = score_words(*first_subword_tags(predictions, labels, label_names))
        keys = ("precision", "recall", "f1", "strict_f1", "accuracy")
        return {key: scores[key] for key in keys}

    return compute_metrics


compute_metrics = make_compute_metrics()
"""``compute_metrics`` for the CoNLL-2003 labels."""
