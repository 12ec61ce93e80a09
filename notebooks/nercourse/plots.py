"""The course's figures, drawn with matplotlib. Each function returns its ``Figure``.

Used in notebooks 01 (data), 03 (training curves), 04 (confusion matrix, per-type scores) and
06 (seed spread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .data import ENTITY_TYPES, LABEL_NAMES, entity_counts, tag_counts


def _figure(width: float = 7.0, height: float = 3.5):
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), layout="constrained")


def plot_tag_distribution(dataset, label_names: Sequence[str] = LABEL_NAMES, title: str = "Word tags (train)"):
    """Bar chart of word-tag counts, log scale: O dwarfs every entity tag."""
    counts = tag_counts(dataset, label_names)
    figure, axes = _figure()
    axes.bar(list(counts), list(counts.values()), color=["#999999"] + ["#4c72b0"] * (len(counts) - 1))
    axes.set_yscale("log")
    axes.set_ylabel("words (log scale)")
    axes.set_title(title)
    for x, value in enumerate(counts.values()):
        axes.annotate(f"{value:,}", (x, value), ha="center", va="bottom", fontsize=8)
    return figure


def plot_entities_per_split(dataset_dict, label_names: Sequence[str] = LABEL_NAMES):
    """Grouped bars: entities of each type in each split."""
    figure, axes = _figure()
    splits = list(dataset_dict)
    width = 0.8 / len(splits)
    for s, split in enumerate(splits):
        counts = entity_counts(dataset_dict[split], label_names)
        values = [counts.get(kind, 0) for kind in ENTITY_TYPES]
        positions = np.arange(len(ENTITY_TYPES)) + s * width
        axes.bar(positions, values, width, label=split)
        for x, value in zip(positions, values):
            axes.annotate(f"{value:,}", (x, value), ha="center", va="bottom", fontsize=7)
    axes.set_xticks(np.arange(len(ENTITY_TYPES)) + width * (len(splits) - 1) / 2, ENTITY_TYPES)
    axes.set_ylabel("entities")
    axes.set_title("Entities per type and split")
    axes.legend()
    return figure


def plot_sentence_lengths(dataset_dict, bins: int = 40):
    """Histogram of sentence lengths in words, one outline per split."""
    figure, axes = _figure()
    for split, data in dataset_dict.items():
        lengths = [len(tokens) for tokens in data["tokens"]]
        axes.hist(lengths, bins=bins, histtype="step", linewidth=1.5, label=f"{split} (max {max(lengths)})")
    axes.set_xlabel("words per sentence")
    axes.set_ylabel("sentences")
    axes.set_title("Sentence lengths")
    axes.legend()
    return figure


def plot_training_curves(log_history: Sequence[Mapping]):
    """Training loss per logging step and validation loss / F1 per evaluation, from
    ``trainer.state.log_history``."""
    train = [(entry["step"], entry["loss"]) for entry in log_history if "loss" in entry]
    evals = [
        (entry["step"], entry.get("eval_loss"), entry.get("eval_f1")) for entry in log_history if "eval_f1" in entry
    ]
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
    if train:
        left.plot(*zip(*train), label="training loss")
    if evals:
        steps, losses, f1s = zip(*evals)
        left.plot(steps, losses, "o-", label="validation loss")
        right.plot(steps, f1s, "o-", color="C2")
        for step, f1 in zip(steps, f1s):
            right.annotate(f"{f1:.3f}", (step, f1), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    left.set_xlabel("step")
    left.set_ylabel("loss")
    left.legend()
    right.set_xlabel("step")
    right.set_ylabel("validation F1 (word level)")
    right.set_ylim(0, 1.05)
    return figure


def plot_confusion_matrix(matrix: np.ndarray, label_names: Sequence[str] = LABEL_NAMES, normalize: bool = True):
    """Gold tags (rows) against predicted tags (columns); rows normalised to sum to 1 by default,
    so rare tags are as readable as O."""
    matrix = np.asarray(matrix, dtype=float)
    shown = matrix / np.clip(matrix.sum(1, keepdims=True), 1, None) if normalize else matrix
    figure, axes = _figure(6.5, 5.5)
    image = axes.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else None)
    axes.set_xticks(range(len(label_names)), label_names, rotation=45, ha="right")
    axes.set_yticks(range(len(label_names)), label_names)
    axes.set_xlabel("predicted tag")
    axes.set_ylabel("gold tag")
    for (row, column), value in np.ndenumerate(shown):
        if value >= 0.005:
            text = f"{value:.2f}" if normalize else f"{int(value):,}"
            axes.text(
                column,
                row,
                text,
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > 0.6 * shown.max() else "black",
            )
    figure.colorbar(image, ax=axes, shrink=0.8)
    axes.set_title("Word-tag confusion" + (" (row-normalised)" if normalize else ""))
    return figure


def plot_per_type_scores(scores: Mapping):
    """Precision, recall and F1 per entity type from :func:`nercourse.score_words`."""
    per_type = scores["per_type"]
    kinds = list(per_type)
    figure, axes = _figure()
    for m, metric in enumerate(("precision", "recall", "f1")):
        positions = np.arange(len(kinds)) + m * 0.27
        axes.bar(positions, [per_type[k][metric] for k in kinds], 0.27, label=metric)
    axes.set_xticks(np.arange(len(kinds)) + 0.27, [f"{k}\n({per_type[k]['support']:,})" for k in kinds])
    axes.set_ylim(0, 1.05)
    axes.set_ylabel("score")
    axes.set_title("Scores per entity type (support in brackets)")
    axes.legend(loc="lower right")
    return figure


def plot_seed_spread(results: Mapping[str, Sequence[float]]):
    """One dot per run and the mean, for each named metric (e.g. dev and test F1 over seeds)."""
    figure, axes = _figure(6, 3)
    for i, values in enumerate(results.values()):
        values = np.asarray(values, dtype=float)
        axes.scatter(np.full(len(values), i), values, alpha=0.7)
        axes.errorbar(
            i + 0.15,
            values.mean(),
            yerr=values.std(ddof=1) if len(values) > 1 else 0,
            fmt="o",
            color="black",
            capsize=4,
        )
    axes.set_xticks(range(len(results)), list(results))
    axes.set_ylabel("F1")
    axes.set_title("Run-to-run spread (dots: runs; black: mean ± std)")
    return figure
