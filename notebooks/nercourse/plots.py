"""The course's figures, drawn with matplotlib. Each function returns its ``Figure``.

Used in notebooks 01 (data), 03 (training curves), 04 (confusion matrix, per-type scores) and
07 (seed spread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .data import entity_counts, tag_counts
from .labels import ENTITY_TYPES, LABEL_NAMES


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


def _steps_per_epoch(log_history: Sequence[Mapping]) -> float | None:
    """Optimizer steps per epoch, from the entries that carry both ``step`` and ``epoch``."""
    pairs = [(entry["step"], entry["epoch"]) for entry in log_history if entry.get("epoch") and "step" in entry]
    return pairs[-1][0] / pairs[-1][1] if pairs else None


def _f1_limits(values: Sequence[float]) -> tuple[float, float]:
    """An F1 range around the values (at least 0.1 wide, inside [0, 1]), so small gains stay visible."""
    low, high = min(values), max(values)
    margin = max(0.05, (high - low) * 0.15)
    low, high = max(0.0, low - margin), min(1.0, high + margin)
    if high - low < 0.1:  # one point, or points close together near 0 or 1
        low, high = (max(0.0, high - 0.1), high) if high >= 0.1 else (0.0, 0.1)
    return low, high + 0.02 * (high - low)  # room for the value labels


def plot_training_curves(log_history: Sequence[Mapping], title: str = "Training curves"):
    """Loss, validation F1 and the learning-rate schedule against epochs, from ``trainer.state.log_history``.

    Three panels share the x axis (epochs at the bottom, optimizer steps on top): the training loss
    every ``logging_steps`` with the validation loss per evaluation; the word-level validation F1,
    on an axis scaled to its values; and the learning rate, which climbs during warmup and then
    decays. An evaluation is one point per epoch, so a one-epoch run has one: the F1 panel says so.
    """
    import matplotlib.pyplot as plt

    train = [(entry["epoch"], entry["loss"]) for entry in log_history if "loss" in entry]
    rates = [(entry["epoch"], entry["learning_rate"]) for entry in log_history if "learning_rate" in entry]
    evals = [(entry["epoch"], entry.get("eval_loss"), entry["eval_f1"]) for entry in log_history if "eval_f1" in entry]

    figure, (loss_axes, f1_axes, lr_axes) = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained", sharex=True)
    figure.suptitle(title)
    if train:
        loss_axes.plot(*zip(*train), label="training loss")
    if evals and any(loss is not None for _, loss, _ in evals):
        loss_axes.plot(
            [e for e, loss, _ in evals if loss is not None],
            [loss for _, loss, _ in evals if loss is not None],
            "o-",
            label="validation loss",
        )
    loss_axes.set_ylabel("loss")
    loss_axes.set_title("Loss")
    if loss_axes.lines:
        loss_axes.legend()

    f1_axes.set_ylabel("validation F1 (word level)")
    f1_axes.set_title("Validation F1, one point per evaluation")
    if evals:
        epochs, _, f1s = zip(*evals)
        f1_axes.plot(epochs, f1s, "o-", color="C2")
        for epoch, f1 in zip(epochs, f1s):
            f1_axes.annotate(
                f"{f1:.3f}", (epoch, f1), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8
            )
        f1_axes.set_ylim(*_f1_limits(f1s))
    if len(evals) <= 1:
        why = (
            "One point: the model is evaluated once per epoch\n(eval_strategy='epoch') and this run trained one epoch."
            if evals
            else "No evaluation in this history\n(eval_strategy='no', or training stopped before an epoch ended)."
        )
        f1_axes.text(0.5, 0.5, why, transform=f1_axes.transAxes, ha="center", va="center", fontsize=8, color="0.3")

    lr_axes.set_ylabel("learning rate")
    lr_axes.set_title("Learning-rate schedule (warmup, then decay)")
    if rates:
        lr_axes.plot(*zip(*rates), ".-", color="C3")
        peak = max(rate for _, rate in rates)
        lr_axes.set_ylim(0, peak * 1.1)
        # no offset text ("1e-3") above the axes, where the step axis is
        lr_axes.yaxis.set_major_formatter(lambda value, _: f"{value:.1e}" if value else "0")

    for axes in (loss_axes, f1_axes, lr_axes):
        axes.set_xlabel("epoch")
        axes.set_xlim(left=0)
    per_epoch = _steps_per_epoch(log_history)
    if per_epoch:
        for axes in (loss_axes, f1_axes, lr_axes):
            steps = axes.secondary_xaxis("top", functions=(lambda e: e * per_epoch, lambda s: s / per_epoch))
            steps.set_xlabel("optimizer step", fontsize=8)
            steps.tick_params(labelsize=7)
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
