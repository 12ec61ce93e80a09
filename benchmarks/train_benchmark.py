"""Training speed and quality: the Hugging Face course recipe against the course's profile, in one
process on the same device (notebook 03 teaches both).

Recipes
- ``hf_course``: the Hugging Face course, chapter 7 section 2: fp32, batch 8, lr 2e-5, 3 epochs,
  weight decay 0.01, no warmup, every subword labelled (B- turned into I- on later subwords), no
  length grouping, no data-loader workers.
- ``course``: ``nercourse.training_arguments(PROFILE)`` as the notebooks and the CLI use it (for
  ``full``: batch 32, lr 5e-5, 3 epochs, warmup 10 %, the device's mixed precision, fused AdamW and
  length grouping on a CUDA GPU).

Both train on the profile's share of the training split (all of it for ``full``; a sample drawn with
the seed for ``lite``) with evaluation switched off, so the wall time is training alone. Then each is
scored the course's way: word level, seqeval default mode, every word of validation and test
(``nercourse.evaluate_split``); ``--no-score`` skips that for speed-only runs.

Fairness of the timing: before anything is timed, every recipe trains a throwaway model for
``--warmup-steps`` optimizer steps, so that one-off costs (CUDA context, kernel selection, the first
fused-optimizer and mixed-precision kernels, memory pools) are not paid by whichever recipe runs
first. With several seeds the recipes' order is reversed on every other seed. ``--max-steps`` trains
each recipe for a fixed number of optimizer steps instead of its epochs (a speed measurement).
The JSON file is rewritten after every run, marked ``"complete": false`` until the last one, so a
run stopped early keeps what it measured.

usage:
  python benchmarks/train_benchmark.py --model MODEL_DIR --data-dir CONLL_DIR [--profile full]
      [--recipes hf_course course] [--seeds 42] [--epochs E | --max-steps N] [--warmup-steps 10]
      [--max-train-sentences N] [--no-score] [--json out.json]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Callable, Sequence

from common import finish, model_summary, record, table, timed, write_json

import nercourse
from nercourse import training

RECIPES = ("hf_course", "course")
HF_COURSE = dict(
    per_device_train_batch_size=8,
    learning_rate=2e-5,
    num_train_epochs=3,
    weight_decay=0.01,
    warmup_steps=0,
    optim="adamw_torch",
    dataloader_num_workers=0,
    dataloader_persistent_workers=False,
    train_sampling_strategy="random",
)
RUN_COLUMNS = ["recipe", "seed", "precision", "batch", "lr", "epochs", "steps", "train_wall_s", "samples_per_s"]
SCORE_COLUMNS = ["dev_f1", "test_f1"]


class Data:
    """CoNLL-2003 splits and their tokenized training sets, tokenized once per recipe and sample."""

    def __init__(self, raw, model: str):
        self.raw = raw
        self.tokenizer = nercourse.load_tokenizer(model)
        self._tokenized: dict = {}

    def train_set(self, profile: str, seed: int, all_subwords: bool):
        """The profile's share of the training split (lite: a sample drawn with the seed, as
        ``nercourse.train`` draws it), tokenized for the recipe."""
        sampled = nercourse.PROFILES[profile].max_train_sentences is not None
        key = (profile, seed if sampled else None, all_subwords)
        if key not in self._tokenized:
            train_only = training.subset(type(self.raw)(train=self.raw["train"]), profile, seed=seed)
            self._tokenized[key] = training.prepare_datasets(train_only, self.tokenizer, all_subwords=all_subwords)[
                "train"
            ]
        return self._tokenized[key]


def recipe_arguments(name: str, profile: str, output_dir: str, seed: int, **overrides):
    """``TrainingArguments`` of a recipe; ``hf_course`` is the course's helper with the HF course's values."""
    if name not in RECIPES:
        raise nercourse.NerCourseError(f"Unknown recipe {name!r}.\n  How to fix: use one of {', '.join(RECIPES)}.")
    values = dict(HF_COURSE) if name == "hf_course" else {}
    values.update(overrides)
    precision = "fp32" if name == "hf_course" else None  # None: the device's mixed precision
    return training.training_arguments(
        profile, output_dir, seed=seed, precision=precision, eval_strategy="no", disable_tqdm=True, **values
    )


def run_recipe(
    name: str,
    model: str,
    data: Data,
    *,
    profile: str,
    seed: int,
    epochs: float | None = None,
    max_steps: int | None = None,
    score: bool = True,
    save_to: str | None = None,
) -> dict:
    """Train one recipe from ``model`` and measure it; ``save_to`` keeps the fine-tuned model there."""
    from transformers import set_seed

    set_seed(seed)
    train_set = data.train_set(profile, seed, all_subwords=name == "hf_course")
    overrides = {}
    if epochs is not None:
        overrides["num_train_epochs"] = epochs
    if max_steps is not None:
        overrides["max_steps"] = max_steps
    with tempfile.TemporaryDirectory() as output:
        arguments = recipe_arguments(name, profile, output, seed, **overrides)
        trainer = nercourse.build_trainer(
            nercourse.load_model_for_training(model), data.tokenizer, arguments, train_set
        )
        wall, result = timed(trainer.train)
    if save_to:
        trainer.save_model(save_to)
    run = {
        "recipe": name,
        "seed": seed,
        "epochs": arguments.num_train_epochs if max_steps is None else round(trainer.state.epoch, 3),
        "steps": trainer.state.global_step,
        "batch": arguments.per_device_train_batch_size,
        "lr": arguments.learning_rate,
        "precision": "bf16" if arguments.bf16 else "fp16" if arguments.fp16 else "fp32",
        "optim": str(arguments.optim.value if hasattr(arguments.optim, "value") else arguments.optim),
        "all_subwords": name == "hf_course",
        "train_sentences": len(train_set),
        "train_wall_s": round(wall, 2),
        "samples_per_s": round(result.metrics["train_samples_per_second"], 1),
    }
    if score:
        tagger = nercourse.NerTagger(trainer.model, data.tokenizer)
        for split, key in (("validation", "dev"), ("test", "test")):
            scores, _ = nercourse.evaluate_split(tagger, data.raw[split])
            run[f"{key}_f1"] = round(100 * scores["f1"], 2)
            run[f"{key}_strict_f1"] = round(100 * scores["strict_f1"], 2)
    return run


def warm_up(model: str, data: Data, recipes: Sequence[str], *, profile: str, steps: int, seed: int) -> dict[str, float]:
    """Train every recipe for ``steps`` optimizer steps on a throwaway model; their seconds.
    ``seed`` picks the training sample, so the timed run of that seed finds it tokenized."""
    if steps <= 0:
        return {}
    return {
        name: run_recipe(name, model, data, profile=profile, seed=seed, max_steps=steps, score=False)["train_wall_s"]
        for name in recipes
    }


def compare(
    model: str,
    data: Data,
    *,
    recipes: Sequence[str] = RECIPES,
    seeds: Sequence[int] = (42,),
    profile: str = "full",
    epochs: float | None = None,
    max_steps: int | None = None,
    warmup_steps: int = 10,
    score: bool = True,
    log: Callable[[str], None] = print,
    progress: Callable[[dict], None] | None = None,
) -> dict:
    """Warm up, then run every recipe for every seed (order reversed on every other seed).

    ``progress`` gets the result so far after every run (``"complete": False`` until the last), so
    that a run stopped by a time limit keeps what it measured."""
    warm = warm_up(model, data, recipes, profile=profile, steps=warmup_steps, seed=seeds[0])
    log(f"warm-up ({warmup_steps} steps per recipe): {warm}")
    result = {"warm_up_steps": warmup_steps, "warm_up_s": warm, "runs": [], "complete": False}
    for i, seed in enumerate(seeds):
        for name in recipes if i % 2 == 0 else list(reversed(recipes)):
            result["runs"].append(
                run_recipe(
                    name, model, data, profile=profile, seed=seed, epochs=epochs, max_steps=max_steps, score=score
                )
            )
            log(table(result["runs"][-1:], RUN_COLUMNS + (SCORE_COLUMNS if score else [])))
            result["summary"] = summarize(result["runs"])
            if progress:
                progress(result)
    result["complete"] = True
    return result


def summarize(runs: Sequence[dict]) -> dict:
    """Mean and standard deviation per recipe, and the course recipe's speed over the HF course's."""
    summary: dict = {}
    for name in dict.fromkeys(r["recipe"] for r in runs):
        mine = [r for r in runs if r["recipe"] == name]
        keys = [k for k in ("samples_per_s", "train_wall_s", "dev_f1", "test_f1") if k in mine[0]]
        summary[name] = {
            key: {
                "mean": round(statistics.mean(r[key] for r in mine), 2),
                "std": round(statistics.stdev(r[key] for r in mine), 2) if len(mine) > 1 else 0.0,
                "n": len(mine),
            }
            for key in keys
        }
    if {"hf_course", "course"} <= set(summary):
        summary["speed_ratio"] = round(
            summary["course"]["samples_per_s"]["mean"] / summary["hf_course"]["samples_per_s"]["mean"], 2
        )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--profile", default="full", choices=list(nercourse.PROFILES))
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=RECIPES)
    parser.add_argument("--seeds", nargs="+", type=int, default=[42])
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=float, default=None, help="override both recipes' epochs")
    length.add_argument("--max-steps", type=int, default=None, help="a fixed number of optimizer steps per recipe")
    parser.add_argument("--warmup-steps", type=int, default=10, help="untimed steps per recipe before the runs")
    parser.add_argument("--max-train-sentences", type=int, default=None, help="train on a sample (quick checks)")
    parser.add_argument("--no-score", action="store_true", help="skip scoring validation and test")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    nercourse.quiet()
    result = record({"MODEL": args.model, "CONLL_DIR": args.data_dir})
    raw = nercourse.load_conll2003(args.data_dir)
    if args.max_train_sentences:
        raw["train"] = raw["train"].shuffle(seed=0).select(range(args.max_train_sentences))
    result.update(model=model_summary(args.model), profile=args.profile)
    result.update(
        compare(
            args.model,
            Data(raw, args.model),
            recipes=args.recipes,
            seeds=args.seeds,
            profile=args.profile,
            epochs=args.epochs,
            max_steps=args.max_steps,
            warmup_steps=args.warmup_steps,
            score=not args.no_score,
            progress=lambda partial: write_json(args.json, {**result, **partial}, echo=False),
        )
    )
    write_json(args.json, finish(result), echo=False)
    print(table(result["runs"], RUN_COLUMNS + ([] if args.no_score else SCORE_COLUMNS)))
    print(f"summary: {result['summary']}")


if __name__ == "__main__":
    main()
