"""``python -m nercourse train | evaluate | predict``: the command line, parsed and dispatched.

The CLI runs the notebooks' code paths headless (:mod:`nercourse.commands` says what each command
does). ``train`` also runs unchanged under ``torchrun --nproc_per_node=N -m nercourse train ...`` and
``accelerate launch -m nercourse train ...`` (notebook 07; the CLI itself is taught in notebook 06).
Standard output carries the result alone (JSON, JSON lines or CoNLL), so it can be piped; progress,
logs and warnings go to standard error. Problems the user can fix are printed as one message (exit code 2), without a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
import warnings

from .commands import COMMANDS, DEFAULT_OUTPUT_DIR
from .data import VALIDATION_SHARE
from .environment import quiet
from .errors import NerCourseError
from .labels import LABEL_NAMES
from .settings import DEFAULT_MODEL, MODEL_ENV
from .training import PROFILES

# --------------------------------------------------------------------------- argument types


def _positive(kind: type, what: str):
    """An argparse ``type`` that accepts finite numbers above zero only."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be {what} above 0, got {text}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**32:  # numpy's seed range
        raise argparse.ArgumentTypeError(f"must be between 0 and {2**32 - 1}, got {text}")
    return value


def _label_names(text: str) -> list[str]:
    """``conll2003`` (the course's order) or comma-separated IOB2 tags in the model's output order."""
    if text.strip().lower() == "conll2003":
        return list(LABEL_NAMES)
    names = [name.strip() for name in text.split(",")]
    bad = [name for name in names if name != "O" and not re.fullmatch(r"[BI]-\S+", name)]
    if bad:
        raise argparse.ArgumentTypeError(f"{bad} are not IOB2 tags (O, B-X, I-X); or say conll2003")
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"{text!r} names a tag twice")
    return names


_batch_size = _positive(int, "a whole number")


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (0.1 is 10%), got {text}")
    return value


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with train and optionally validation and test files, each .txt or .conll (CoNLL: 'word tag' "
        "lines) or .jsonl (spans); the labels come from train (default: $NERCOURSE_DATA_DIR, else CoNLL-2003 "
        "from the Hub)",
    )
    parser.add_argument(
        "--validation-share",
        type=_share,
        default=VALIDATION_SHARE,
        help="without a validation file, hold out this share of train (seeded, at least one sentence) as "
        "validation; evaluate --split validation needs the share train was given (default: %(default)s)",
    )
    parser.add_argument(
        "--expand-spans",
        action="store_true",
        help="JSONL spans that start or end inside a word are widened to the words they touch (default: an error)",
    )


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default=None,
        help="fine-tuned model: a folder, or a Hub id owner/name (default: $NERCOURSE_FINETUNED, else the "
        f"folder train saves to, {DEFAULT_OUTPUT_DIR}, else notebook 03's models/bert-ner)",
    )
    parser.add_argument(
        "--label-names",
        type=_label_names,
        default=None,
        help="for a model whose config has no label names, or the model that wrote --predictions: 'conll2003' "
        "(the course's order) or comma-separated tags in the model's output order",
    )
    parser.add_argument("--batch-size", type=_batch_size, default=None, help="sentences per forward pass")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nercourse", description="Fine-tune and use BERT for NER.")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser(
        "train",
        help="fine-tune a pretrained model on CoNLL-2003, or on a folder of your own with any labels, and save it",
    )
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
    train.add_argument("--seed", type=_seed, default=42)
    train.add_argument(
        "--all-subwords",
        action="store_true",
        help="label every subword (B- becomes I- after the first) instead of the first only",
    )
    train.add_argument(
        "--context-budget",
        type=_positive(int, "a whole number"),
        default=None,
        help="train each sentence with its document's neighbouring sentences, up to this many subwords "
        "(notebook 08; e.g. 126); default: one sentence at a time",
    )
    train.add_argument(
        "--epochs", type=_positive(float, "a number"), default=None, help="override the profile's epochs"
    )
    train.add_argument(
        "--learning-rate",
        type=_positive(float, "a number"),
        default=None,
        help="override the profile's learning rate",
    )
    train.add_argument(
        "--batch-size", type=_batch_size, default=None, help="override the profile's batch size per device"
    )

    evaluate = commands.add_parser(
        "evaluate", help="word-level P/R/F1 of a fine-tuned model on a split or a file, as JSON"
    )
    _add_model_arguments(evaluate)
    _add_data_arguments(evaluate)
    source = evaluate.add_mutually_exclusive_group()
    source.add_argument(
        "--split",
        choices=["train", "validation", "test"],
        default=None,
        help="the split of --data-dir to score (default: validation)",
    )
    source.add_argument(
        "--test-file",
        default=None,
        help="score this one file instead of a split of --data-dir: CoNLL format (e.g. the CoNLL++ test file) or "
        ".jsonl spans, with the labels it uses",
    )
    evaluate.add_argument(
        "--context-budget",
        type=_non_negative_int,
        default=None,
        help="predict each sentence with its document's neighbours, up to this many subwords (0: one sentence "
        "at a time); default: the budget the model was trained with, else 0",
    )
    evaluate.add_argument(
        "--predictions-out", default=None, help="also write 'word gold pred' lines (conlleval format) here"
    )
    evaluate.add_argument(
        "--predictions",
        default=None,
        help="score this predictions file instead of running a model ('word pred' lines against the split or "
        "--test-file, or 'word gold pred' lines)",
    )

    predict = commands.add_parser("predict", help="entities in text, as JSON (type, text, start, end, score)")
    predict.add_argument("text", nargs="*", help="texts to tag; without any, read --file or stdin, one text per line")
    _add_model_arguments(predict)
    predict.add_argument("--file", default=None, help="a UTF-8 file with one text per line")
    predict.add_argument("--format", choices=["json", "jsonl", "conll"], default="json")
    predict.add_argument(
        "--no-sentence-split",
        dest="by_sentence",
        action="store_false",
        help="run each text through the model whole instead of one sentence at a time",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0 done, 2 a problem the user can fix, 130 interrupted)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on bad arguments (2, with the message)
        return exc.code if isinstance(exc.code, int) else 2
    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        # Everything that prints while the command runs (Trainer's log dicts, progress) goes to
        # stderr: stdout is for the result alone.
        with contextlib.redirect_stdout(sys.stderr):
            quiet()  # load reports and progress bars of Map would drown the output; errors still show
            output = COMMANDS[args.command](args)
    except NerCourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    sys.stdout.write(output)
    sys.stdout.flush()
    return 0
