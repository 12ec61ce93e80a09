"""``python -m nercourse train | evaluate | predict``: the notebooks' code paths, headless.

``train`` also runs unchanged under ``torchrun --nproc_per_node=N -m nercourse train ...`` and
``accelerate launch -m nercourse train ...`` (notebook 06). Problems the user can fix are printed
as one message (exit code 2), without a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

from .environment import quiet
from .errors import NerCourseError

DEFAULT_OUTPUT_DIR = "ner-model"


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with train/validation/test CoNLL files (default: $NERCOURSE_DATA_DIR, else the Hub copy)",
    )


def _parser() -> argparse.ArgumentParser:
    from .modeling import DEFAULT_MODEL, MODEL_ENV
    from .training import PROFILES

    parser = argparse.ArgumentParser(prog="python -m nercourse", description="Fine-tune and use BERT for NER.")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="fine-tune a pretrained model on CoNLL-2003 and save it")
    train.add_argument(
        "--model",
        default=os.environ.get(MODEL_ENV, DEFAULT_MODEL),
        help=f"pretrained model: Hub id or folder (default: ${MODEL_ENV}, else {DEFAULT_MODEL})",
    )
    _add_data_arguments(train)
    train.add_argument(
        "--output-dir", default=DEFAULT_OUTPUT_DIR, help="where the fine-tuned model goes (default: %(default)s)"
    )
    train.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=None,
        help="full (GPU), lite (CPU, minutes), smoke (seconds); default: $NERCOURSE_PROFILE, else full on GPU, lite on CPU",
    )
    train.add_argument("--seed", type=int, default=42)
    train.add_argument(
        "--all-subwords",
        action="store_true",
        help="label every subword (B- becomes I- after the first) instead of the first only",
    )
    train.add_argument("--epochs", type=float, default=None, help="override the profile's epochs")
    train.add_argument("--learning-rate", type=float, default=None, help="override the profile's learning rate")
    train.add_argument("--batch-size", type=int, default=None, help="override the profile's batch size per device")

    evaluate = commands.add_parser("evaluate", help="word-level P/R/F1 of a fine-tuned model on a split, as JSON")
    evaluate.add_argument("--model", default=DEFAULT_OUTPUT_DIR, help="fine-tuned model folder (default: %(default)s)")
    _add_data_arguments(evaluate)
    evaluate.add_argument("--split", choices=["train", "validation", "test"], default="validation")
    evaluate.add_argument(
        "--predictions-out", default=None, help="also write 'word gold pred' lines (conlleval format) here"
    )
    evaluate.add_argument(
        "--predictions",
        default=None,
        help="score this predictions file instead of running a model ('word pred' lines against the split, or 'word gold pred' lines)",
    )
    evaluate.add_argument("--batch-size", type=int, default=None)

    predict = commands.add_parser("predict", help="entities in text, as JSON (type, text, start, end, score)")
    predict.add_argument("text", nargs="*", help="texts to tag; without any, read --file or stdin, one text per line")
    predict.add_argument("--model", default=DEFAULT_OUTPUT_DIR, help="fine-tuned model folder (default: %(default)s)")
    predict.add_argument("--file", default=None, help="a UTF-8 file with one text per line")
    predict.add_argument("--format", choices=["json", "jsonl", "conll"], default="json")
    predict.add_argument("--batch-size", type=int, default=None)
    return parser


def _train(args) -> dict:
    from .training import train

    overrides = {
        key: value
        for key, value in (
            ("num_train_epochs", args.epochs),
            ("learning_rate", args.learning_rate),
            ("per_device_train_batch_size", args.batch_size),
        )
        if value is not None
    }
    started = time.perf_counter()
    trainer = train(
        args.model,
        args.output_dir,
        data_dir=args.data_dir,
        profile=args.profile,
        seed=args.seed,
        all_subwords=args.all_subwords,
        **overrides,
    )
    if not trainer.is_world_process_zero():
        return {}
    history = trainer.state.log_history
    evaluations = [entry for entry in history if "eval_f1" in entry]
    summary = next(entry for entry in reversed(history) if "train_runtime" in entry)
    return {
        "output_dir": args.output_dir,
        "train_runtime_s": round(summary["train_runtime"], 1),
        "train_samples_per_second": round(summary["train_samples_per_second"], 1),
        "wall_s": round(time.perf_counter() - started, 1),
        "validation": {key[5:]: value for key, value in evaluations[-1].items() if key.startswith("eval_")}
        if evaluations
        else {},
    }


def _evaluate(args) -> dict:
    from .data import load_conll2003
    from .evaluation import evaluate_split, gold_tags, score_predictions_file, write_predictions
    from .inference import NerTagger

    split = load_conll2003(args.data_dir)[args.split]
    if args.predictions:
        return {"predictions": args.predictions, "split": args.split, **score_predictions_file(args.predictions, split)}
    tagger = NerTagger.from_pretrained(args.model, batch_size=args.batch_size)
    scores, predictions = evaluate_split(tagger, split, tagger.label_names)
    if args.predictions_out:
        write_predictions(
            args.predictions_out, list(split["tokens"]), predictions, gold_tags(split, tagger.label_names)
        )
    return {"model": args.model, "split": args.split, **scores}


def _read_texts(args) -> list[str]:
    if args.text:
        return list(args.text)
    if args.file:
        try:
            with open(args.file, encoding="utf-8") as handle:
                return handle.read().splitlines()
        except OSError as exc:
            raise NerCourseError(f"Cannot read {args.file!r}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise NerCourseError(f"{args.file!r} is not UTF-8 text.\n  How to fix: save it as UTF-8.") from None
    if sys.stdin.isatty():
        raise NerCourseError("No text given.\n  How to fix: pass text as an argument, --file FILE, or pipe it in.")
    return sys.stdin.read().splitlines()


def _predict(args) -> None:
    from .inference import NerTagger, split_words

    texts = _read_texts(args)
    tagger = NerTagger.from_pretrained(args.model, batch_size=args.batch_size)
    if args.format == "conll":
        words = [split_words(text) for text in texts]
        tags, _ = tagger.predict_words([[w.text for w in ws] for ws in words])
        for sentence_words, sentence_tags in zip(words, tags):
            sys.stdout.writelines(f"{w.text} {t}\n" for w, t in zip(sentence_words, sentence_tags))
            sys.stdout.write("\n")
        return
    results = [
        {"text": text, "entities": [e.to_dict() for e in entities]}
        for text, entities in zip(texts, tagger.entities_batch(texts))
    ]
    if args.format == "jsonl":
        sys.stdout.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    else:
        print(json.dumps(results, ensure_ascii=False, indent=2))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        quiet()  # load reports and progress bars of Map would drown the JSON; errors still show
        if args.command == "train":
            result = _train(args)
            if result:
                print(json.dumps(result, indent=2))
        elif args.command == "evaluate":
            print(json.dumps(_evaluate(args), indent=2))
        else:
            _predict(args)
    except NerCourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0
