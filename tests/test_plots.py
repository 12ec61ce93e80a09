"""nercourse.plots: every figure draws from real course objects without error."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nercourse  # noqa: E402
from nercourse import plots  # noqa: E402


@pytest.fixture(scope="module")
def data(mini_corpus):
    return nercourse.load_conll2003(mini_corpus)


def test_data_figures(data):
    for figure in (
        plots.plot_tag_distribution(data["train"]),
        plots.plot_entities_per_split(data),
        plots.plot_sentence_lengths(data),
    ):
        assert isinstance(figure, matplotlib.figure.Figure) and figure.axes
        plt.close(figure)


def test_result_figures():
    gold = [["B-PER", "I-PER", "O"], ["B-LOC"]]
    pred = [["B-PER", "O", "O"], ["B-ORG"]]
    figures = [
        plots.plot_confusion_matrix(nercourse.tag_confusion(gold, pred)),
        plots.plot_confusion_matrix(np.eye(9, dtype=int), normalize=False),
        plots.plot_per_type_scores(nercourse.score_words(gold, pred)),
        plots.plot_seed_spread({"dev F1": [0.9, 0.91, 0.905], "test F1": [0.86, 0.87, 0.865]}),
    ]
    for figure in figures:
        assert isinstance(figure, matplotlib.figure.Figure)
        plt.close(figure)
    # the row-normalised matrix shows shares: each gold row sums to 1
    figure = plots.plot_confusion_matrix(nercourse.tag_confusion(gold, pred))
    shown = figure.axes[0].images[0].get_array()
    rows = np.asarray(shown).sum(1)
    assert np.allclose(rows[rows > 0], 1.0)
    plt.close(figure)


def history(epochs: int, steps_per_epoch: int = 10, logging_steps: int = 5, peak: float = 3e-3, warmup: int = 4):
    """A ``trainer.state.log_history`` of the shape transformers 5 writes: training entries every
    ``logging_steps`` (loss, learning_rate), one evaluation per epoch, a summary at the end."""
    total = epochs * steps_per_epoch
    entries = []
    for step in range(1, total + 1):
        if step % logging_steps == 0:
            rate = peak * step / warmup if step < warmup else peak * (total - step) / (total - warmup)
            entries.append({"loss": 2.0 / step, "learning_rate": rate, "epoch": step / steps_per_epoch, "step": step})
        if step % steps_per_epoch == 0:
            epoch = step // steps_per_epoch
            entries.append(
                {"eval_loss": 1.0 / epoch, "eval_f1": 0.80 + 0.03 * epoch, "epoch": float(epoch), "step": step}
            )
    entries.append({"train_runtime": 1.0, "train_loss": 0.5, "epoch": float(epochs), "step": total})
    return entries


def panels(figure):
    """The three main panels (loss, F1, learning rate), without the secondary step axes."""
    main = [axes for axes in figure.axes if axes.get_ylabel()]
    assert len(main) == 3, [axes.get_ylabel() for axes in figure.axes]
    return main


def test_training_curves_panels_axes_and_title():
    log = history(epochs=3)
    figure = plots.plot_training_curves(log, title="my run")
    assert figure.get_suptitle() == "my run"
    loss, f1, rate = panels(figure)
    assert [axes.get_ylabel() for axes in (loss, f1, rate)] == ["loss", "validation F1 (word level)", "learning rate"]
    assert all(axes.get_xlabel() == "epoch" for axes in (loss, f1, rate))
    # epochs at the bottom, steps on top: a secondary axis on each panel, 10 steps per epoch
    secondary = [child for axes in (loss, f1, rate) for child in axes.child_axes]
    assert len(secondary) == 3 and all(axes.get_xlabel() == "optimizer step" for axes in secondary)
    figure.canvas.draw()  # a secondary axis takes its limits from its parent's when drawn
    assert np.allclose(secondary[0].get_xlim(), np.array(loss.get_xlim()) * 10)
    # the training loss per logging step and the validation loss per epoch, x in epochs
    train_line, eval_line = loss.get_lines()
    assert list(train_line.get_xdata()) == [e["epoch"] for e in log if "loss" in e]
    assert list(eval_line.get_xdata()) == [1.0, 2.0, 3.0]
    # the learning-rate panel draws the logged schedule: up during warmup, then down to 0
    (rate_line,) = rate.get_lines()
    assert list(rate_line.get_ydata()) == [e["learning_rate"] for e in log if "learning_rate" in e]
    assert rate.get_ylim()[0] == 0 and rate.get_ylim()[1] >= max(rate_line.get_ydata())
    plt.close(figure)


def test_training_curves_f1_axis_fits_the_values():
    figure = plots.plot_training_curves(history(epochs=3))
    _, f1, _ = panels(figure)
    values = list(f1.get_lines()[0].get_ydata())
    low, high = f1.get_ylim()
    assert low <= min(values) and high >= max(values)
    assert low > 0.5, "an F1 between 0.83 and 0.89 must not be drawn on a 0-1 axis"
    assert high <= 1.05
    plt.close(figure)


def test_training_curves_say_why_one_epoch_has_one_point():
    figure = plots.plot_training_curves(history(epochs=1))
    _, f1, _ = panels(figure)
    assert len(f1.get_lines()[0].get_xdata()) == 1
    notes = " ".join(text.get_text() for text in f1.texts)
    assert "once per epoch" in notes and "one epoch" in notes
    plt.close(figure)
    figure = plots.plot_training_curves(history(epochs=3))
    assert not any("once per epoch" in text.get_text() for text in panels(figure)[1].texts)
    plt.close(figure)


def test_training_curves_without_evaluations_say_so():
    log = [entry for entry in history(epochs=2) if "eval_f1" not in entry]
    figure = plots.plot_training_curves(log)
    _, f1, _ = panels(figure)
    assert not f1.get_lines() and any("No evaluation" in text.get_text() for text in f1.texts)
    plt.close(figure)
