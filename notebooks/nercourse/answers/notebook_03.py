"""Expected answers of notebook 03 (fine-tuning), computed from the notebook's own objects.

Every answer holds under every profile: ``lite`` trains one epoch, ``full`` three, ``smoke`` a tiny
model, and none of the answers depends on how many epochs there were or how well the model learned.
"""

from __future__ import annotations

from ..exercises import Choice
from ..training import prepare_datasets


def _count(parameters) -> int:
    return sum(p.numel() for p in parameters)


def exercise_1(model) -> float:
    """The embedding layer's share of the model's parameters (word, position, token type, LayerNorm)."""
    return _count(model.base_model.embeddings.parameters()) / _count(model.parameters())


def exercise_2(trainer) -> list[int]:
    """``[optimizer steps, warmup steps]`` of the training run ``trainer`` did."""
    steps = trainer.state.max_steps
    return [steps, trainer.args.get_warmup_steps(steps)]


def exercise_3(raw, tokenizer) -> list[int]:
    """Training positions that carry a label (not -100): ``[first subword only, every subword]``."""
    counts = []
    for all_subwords in (False, True):
        train = prepare_datasets({"train": raw["train"]}, tokenizer, all_subwords=all_subwords)["train"]
        counts.append(sum(sum(label != -100 for label in labels) for labels in train["labels"]))
    return counts


def question_4() -> Choice:
    """What the learning rate is to Adam: about the size of every weight's step."""
    return Choice(
        right="b",
        why=(
            "Adam divides each weight's gradient average by the square root of its squared-gradient average, "
            "so the gradient's scale cancels and each step moves the weight by about the learning rate. Ten "
            "times the rate is ten times as far per step: quick progress at first, which a short run rewards, "
            "and steps large enough to overshoot and to move the pretrained encoder away from what pretraining "
            "taught it, which only a full run's validation F1 shows. Warmup and decay scale the rate over time; "
            "they do not replace it."
        ),
    )
