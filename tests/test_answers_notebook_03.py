"""The expected answers of notebook 03's exercises (nercourse.answers.notebook_03)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import torch

import nercourse
from nercourse.answers import notebook_03 as answers

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_fine_tuning.ipynb"
OPTION = re.compile(r"^- \(([a-d])\) (.+(?:\n  .+)*)", re.M)


def test_question_1_adamws_first_step_moves_every_weight_by_the_learning_rate():
    """The claim behind answer (b): gradients six orders of magnitude apart, steps all equal to lr."""
    # BERT-sized weights (initializer_range 0.02), so that float32 resolves a step of 5e-5 finely
    weights = torch.nn.Parameter(0.02 * torch.randn(1000, generator=torch.Generator().manual_seed(0)))
    gradient_sizes = torch.logspace(-4, 2, 1000)
    before = weights.detach().clone()
    optimizer = torch.optim.AdamW([weights], lr=5e-5, weight_decay=0.0)
    weights.grad = gradient_sizes * torch.sign(torch.randn(1000, generator=torch.Generator().manual_seed(1)))
    optimizer.step()
    moved = (weights.detach() - before).abs() / 5e-5
    torch.testing.assert_close(moved, torch.ones_like(moved), rtol=0, atol=1e-3)


def test_question_1_is_written_as_the_course_asks():
    """Four options in the statement; (b) is right and not the longest one."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    statement = next(cell.source for cell in notebook.cells if "### Exercise 1" in cell.source)
    options = dict(OPTION.findall(statement))
    assert sorted(options) == ["a", "b", "c", "d"]
    question = answers.question_1()
    assert isinstance(question, nercourse.Choice) and question.right == "b"
    assert len(options["b"]) < max(len(text) for text in options.values())


@pytest.mark.parametrize(
    ("sentences", "batch", "epochs", "max_steps", "accumulation", "expected"),
    [
        (200, 16, 6, -1, 1, [78, 8]),  # the smoke profile: 13 batches per epoch, the last one smaller
        (14041, 32, 3, -1, 1, [1317, 132]),  # full: CoNLL-2003's training split, ceil(131.7) warmup steps
        (2500, 8, 1, -1, 1, [313, 32]),  # lite
        (200, 16, 6, 10, 1, [10, 1]),  # max_steps wins over epochs
        (200, 16, 2, -1, 4, [8, 1]),  # 13 batches, 4 per optimizer step: 4 steps per epoch
    ],
)
def test_exercise_2_counts_optimizer_steps_and_warmup(sentences, batch, epochs, max_steps, accumulation, expected):
    from transformers import TrainingArguments

    args = TrainingArguments(
        output_dir="unused",
        per_device_train_batch_size=batch,
        num_train_epochs=epochs,
        max_steps=max_steps,
        gradient_accumulation_steps=accumulation,
        warmup_steps=0.1,
        use_cpu=True,
        report_to="none",
    )
    assert answers.exercise_2(args, range(sentences)) == expected


def test_exercise_4_is_a_share(tiny_bert):
    share = answers.exercise_4(nercourse.load_model_for_training(tiny_bert))
    assert 0 < share < 1
