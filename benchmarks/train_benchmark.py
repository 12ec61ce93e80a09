"""Training speed and quality: the Hugging Face course recipe against the course's profile, in
one process on the same device (issue: fast training that loses no accuracy).

Recipes
- ``hf_course``: the Hugging Face course, chapter 7 section 2: fp32, batch 8, lr 2e-5, 3 epochs,
  every subword labelled (B- turned into I- on later subwords), no length grouping.
- ``course``: ``nercourse.training_arguments(PROFILE)`` as the notebooks and the CLI use it.

Both train on the profile's share of the training split (all of it for ``full``; a sample drawn
with the seed for ``lite``) with evaluation switched off (so the wall time is training alone), then
are scored the course's way: word level, seqeval default mode, every word of validation and test.

usage:
  python benchmarks/train_benchmark.py --model MODEL_DIR --data-dir CONLL_DIR [--profile full]
      [--recipes hf_course course] [--seeds 42] [--max-train-sentences N] [--json out.json]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from common import machine, table, write_json

import nercourse
from nercourse import training

HF_COURSE = dict(
    per_device_train_batch_size=8,
    learning_rate=2e-5,
    num_train_epochs=3,
    weight_decay=0.01,
    warmup_steps=0,
    precision="fp32",
    optim="adamw_torch",
    dataloader_num_workers=0,
    dataloader_persistent_workers=False,
)


def run_recipe(name: str, args, raw, seed: int) -> dict:
    import torch
    from transformers import set_seed

    set_seed(seed)
    tokenizer = nercourse.load_tokenizer(args.model)
    hf = name == "hf_course"
    # Train on the profile's share (lite: a sample drawn with the seed, as nercourse.train does);
    # score on every sentence of validation and test.
    train_only = training.subset(type(raw)(train=raw["train"]), args.profile, seed=seed)
    tokenized = training.prepare_datasets(train_only, tokenizer, all_subwords=hf)
    model = nercourse.load_model_for_training(args.model)
    overrides = dict(HF_COURSE) if hf else {}
    if hf:
        sampling = "train_sampling_strategy" if training._supported(["train_sampling_strategy"]) else "group_by_length"
        overrides[sampling] = "random" if sampling == "train_sampling_strategy" else False
    precision = overrides.pop("precision", None)
    if args.epochs is not None:
        overrides["num_train_epochs"] = args.epochs
    with tempfile.TemporaryDirectory() as output:
        arguments = training.training_arguments(
            args.profile, output, seed=seed, precision=precision, eval_strategy="no", disable_tqdm=True, **overrides
        )
        trainer = nercourse.build_trainer(model, tokenizer, arguments, tokenized["train"])
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        started = time.perf_counter()
        result = trainer.train()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        wall = time.perf_counter() - started
    tagger = nercourse.NerTagger(trainer.model, tokenizer)
    scores = {split: nercourse.evaluate_split(tagger, raw[split])[0] for split in ("validation", "test")}
    return {
        "recipe": name,
        "seed": seed,
        "epochs": arguments.num_train_epochs,
        "batch": arguments.per_device_train_batch_size,
        "lr": arguments.learning_rate,
        "precision": "bf16" if arguments.bf16 else "fp16" if arguments.fp16 else "fp32",
        "train_wall_s": round(wall, 1),
        "samples_per_s": round(result.metrics["train_samples_per_second"], 1),
        "dev_f1": round(100 * scores["validation"]["f1"], 2),
        "test_f1": round(100 * scores["test"]["f1"], 2),
        "test_strict_f1": round(100 * scores["test"]["strict_f1"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--profile", default="full")
    parser.add_argument("--recipes", nargs="+", default=["hf_course", "course"], choices=["hf_course", "course"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[42])
    parser.add_argument(
        "--epochs", type=float, default=None, help="override both recipes' epochs (e.g. for speed-only runs)"
    )
    parser.add_argument("--max-train-sentences", type=int, default=None, help="train on a sample (quick checks)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    nercourse.quiet()
    raw = nercourse.load_conll2003(args.data_dir)
    if args.max_train_sentences:
        raw["train"] = raw["train"].shuffle(seed=0).select(range(args.max_train_sentences))
    runs = [run_recipe(name, args, raw, seed) for seed in args.seeds for name in args.recipes]
    summary = {}
    for name in args.recipes:
        mine = [r for r in runs if r["recipe"] == name]
        summary[name] = {
            key: {
                "mean": round(statistics.mean(r[key] for r in mine), 2),
                "std": round(statistics.stdev(r[key] for r in mine), 2) if len(mine) > 1 else 0.0,
            }
            for key in ("samples_per_s", "train_wall_s", "dev_f1", "test_f1")
        }
    if {"hf_course", "course"} <= set(summary):
        summary["speed_ratio"] = round(
            summary["course"]["samples_per_s"]["mean"] / summary["hf_course"]["samples_per_s"]["mean"], 2
        )
    write_json(
        args.json,
        {"machine": machine(), "model": args.model, "profile": args.profile, "runs": runs, "summary": summary},
    )
    print(
        table(
            runs,
            [
                "recipe",
                "seed",
                "precision",
                "batch",
                "lr",
                "epochs",
                "train_wall_s",
                "samples_per_s",
                "dev_f1",
                "test_f1",
            ],
        )
    )


if __name__ == "__main__":
    main()
