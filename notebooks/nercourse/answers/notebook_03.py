"""Expected answers of notebook 03 (fine-tuning), computed from the notebook's own objects.

Every answer holds under every profile: ``lite`` trains one epoch, ``full`` three, ``smoke`` a tiny
model, and none of the answers depends on how well the model learned. Exercises 1 and 2 are asked
before the cells that show their answers (predict, then run): 1 before section 3's AdamW step, 2
before ``trainer.train()``.
"""

from __future__ import annotations

import math

from ..exercises import Choice
from ..training import prepare_datasets


def _count(parameters) -> int:
    return sum(p.numel() for p in parameters)


def question_1() -> Choice:
    """How far AdamW's first step moves each weight: about the learning rate, whatever its gradient."""
    return Choice(
        right="b",
        why=(
            "On the first step Adam's bias-corrected averages are the gradient itself (m) and its square (v), so "
            "m / √v is +1 or -1 and every weight with a gradient well above ε moves by the learning rate, however "
            "large or small that gradient is. Not in proportion to the gradient (a): that is plain gradient "
            "descent, which Adam's division by √v undoes. Not much less than the rate (c): √v is the gradient's "
            "size, not its square, so the ratio is about 1. Not zero (d): bias correction makes the first step a "
            "full one. This is why the learning rate warms up: early steps are full-sized whatever one batch says."
        ),
    )


def exercise_2(args, train_dataset) -> list[int]:
    """``[optimizer steps, warmup steps]`` that ``Trainer(args=args, train_dataset=...)`` will take.

    One step per batch of ``args.train_batch_size`` (a last, smaller batch counts), per gradient
    accumulation, per epoch; the warmup ratio is rounded up (``TrainingArguments.get_warmup_steps``).
    """
    batches = math.ceil(len(train_dataset) / args.train_batch_size)
    steps_per_epoch = max(math.ceil(batches / args.gradient_accumulation_steps), 1)
    steps = args.max_steps if args.max_steps > 0 else math.ceil(args.num_train_epochs * steps_per_epoch)
    return [steps, args.get_warmup_steps(steps)]


def exercise_3(raw, tokenizer) -> list[int]:
    """Training positions that carry a label (not -100): ``[first subword only, every subword]``."""
    counts = []
    for all_subwords in (False, True):
        train = prepare_datasets({"train": raw["train"]}, tokenizer, all_subwords=all_subwords)["train"]
        counts.append(sum(sum(label != -100 for label in labels) for labels in train["labels"]))
    return counts


def exercise_4(model) -> float:
    """The embedding layer's share of the model's parameters (word, position, token type, LayerNorm)."""
    return _count(model.base_model.embeddings.parameters()) / _count(model.parameters())
