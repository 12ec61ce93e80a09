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
    history = [{"step": 5, "loss": 1.0}, {"step": 10, "loss": 0.5}, {"step": 10, "eval_loss": 0.6, "eval_f1": 0.4}]
    gold = [["B-PER", "I-PER", "O"], ["B-LOC"]]
    pred = [["B-PER", "O", "O"], ["B-ORG"]]
    figures = [
        plots.plot_training_curves(history),
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
