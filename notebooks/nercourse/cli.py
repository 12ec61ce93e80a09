"""``python -m nercourse train | evaluate | predict``: the notebooks' code paths, headless.

``train`` also runs unchanged under ``torchrun --nproc_per_node=N -m nercourse train ...`` and
``accelerate launch -m nercourse train ...`` (notebook 07; the CLI itself is taught in notebook 06).
Standard output carries the result alone (JSON, JSON lines or CoNLL), so it can be piped; progress,
logs and warnings go to standard error. Problems the user can fix are printed as one message (exit code 2), without a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import time
import warnings

from .environment import quiet
from .errors import NerCourseError

DEFAULT_OUTPUT_DIR = "ner-model"


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
    from .data import LABEL_NAMES

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


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder with train/validation/test CoNLL files (default: $NERCOURSE_DATA_DIR, else the Hub copy)",
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
        help="for a model whose config has no label names: 'conll2003' (the course's order) or "
        "comma-separated tags in the model's output order",
    )
    parser.add_argument("--batch-size", type=_batch_size, default=None, help="sentences per forward pass")


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
        help="score this one CoNLL-format file instead of a split of --data-dir (e.g. the CoNLL++ test file)",
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


# ------------------------------------------------------------------------------ commands


def _train(args) -> str:
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
        context_budget=args.context_budget,
        **overrides,
    )
    if not trainer.is_world_process_zero():
        return ""  # under torchrun only rank 0 reports
    history = trainer.state.log_history
    evaluations = [entry for entry in history if "eval_f1" in entry]
    summary = next(entry for entry in reversed(history) if "train_runtime" in entry)
    result = {
        "output_dir": args.output_dir,
        "train_runtime_s": round(summary["train_runtime"], 1),
        "train_samples_per_second": round(summary["train_samples_per_second"], 1),
        "wall_s": round(time.perf_counter() - started, 1),
        "validation": {key[5:]: value for key, value in evaluations[-1].items() if key.startswith("eval_")}
        if evaluations
        else {},
    }
    return json.dumps(result, indent=2) + "\n"


def _finetuned_model(args) -> str:
    """``--model`` as given, else the course's resolver (the notebooks' order), which never trains here."""
    if args.model:
        return args.model
    from .finetuned import NOTEBOOK_DIR, resolve_finetuned

    found = resolve_finetuned(
        notebook_dir=DEFAULT_OUTPUT_DIR,
        extra_dirs=(NOTEBOOK_DIR,),
        if_missing="error",
        log=lambda line: print(line, file=sys.stderr),
    )
    return found.name_or_path


def _evaluation_data(args):
    """The split to score and how the output names it: ``--test-file``, else ``--split`` of ``--data-dir``."""
    if args.test_file is None:
        from .data import load_conll2003

        split = args.split or "validation"
        return load_conll2003(args.data_dir)[split], {"split": split}
    from .conllpp import load_test_file

    return load_test_file(args.test_file), {"test_file": args.test_file}


def _evaluate(args) -> str:
    from .evaluation import evaluate_split, gold_tags, score_predictions_file, write_predictions
    from .inference import NerTagger

    if args.test_file is not None and args.data_dir is not None:  # said before a model is loaded
        raise NerCourseError(
            "--test-file and --data-dir both given: --test-file replaces the split of --data-dir.\n"
            "  How to fix: pass one of them."
        )
    if args.predictions:
        split, source = _evaluation_data(args)
        result = {"predictions": args.predictions, **source, **score_predictions_file(args.predictions, split)}
    else:
        args.model = _finetuned_model(args)
        tagger = NerTagger.from_pretrained(args.model, label_names=args.label_names, batch_size=args.batch_size)
        split, source = _evaluation_data(args)
        budget = args.context_budget
        if budget is None:  # a model trained with context is scored the way it was trained
            budget = getattr(tagger.model.config, "nercourse_context_budget", None) or 0
        if budget:
            from .context import evaluate_in_context

            scores, predictions = evaluate_in_context(tagger, split, budget)
        else:
            scores, predictions = evaluate_split(tagger, split)
        if args.predictions_out:
            write_predictions(args.predictions_out, list(split["tokens"]), predictions, gold_tags(split))
        result = {"model": args.model, **source, "context_budget": budget, **scores}
    return json.dumps(result, indent=2) + "\n"


def _decode(data: bytes) -> str:
    """UTF-8 text; bytes that are not UTF-8 become lone surrogates (surrogateescape, as Python does
    for the command line), replaced by :func:`_replace_undecodable`."""
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")  # Windows editors write a BOM


def _lines(text: str) -> list[str]:
    """One text per ``\\n`` (``\\r\\n`` too; a final newline ends the last line, it adds no text).

    ``str.splitlines`` would also split at form feeds, U+001C-U+001E, U+0085 and U+2028, and the
    output would no longer line up with the input's lines.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_undecodable(texts: list[str], where: str) -> list[str]:
    """Texts with each byte that was not UTF-8 shown as U+FFFD, one character for one byte, so the
    entity offsets and the JSON output (which cannot hold lone surrogates) stay valid; a warning
    on stderr names the texts."""
    bad = [i for i, text in enumerate(texts, 1) if _SURROGATE.search(text)]
    if not bad:
        return texts
    shown = ", ".join(map(str, bad[:10])) + (", ..." if len(bad) > 10 else "")
    print(
        f"warning: {where} {shown}: not valid UTF-8. Each byte that is not is tagged as an unknown character "
        "and shown as U+FFFD (one character, so offsets count it as one).",
        file=sys.stderr,
    )
    return [_SURROGATE.sub("\ufffd", text) for text in texts]


def _read_texts(args) -> list[str]:
    if args.text:
        return _replace_undecodable(list(args.text), "text argument(s)")
    if args.file:
        try:
            with open(args.file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise NerCourseError(f"Cannot read {args.file!r}: {exc.strerror}.") from None
        return _replace_undecodable(_lines(_decode(data)), f"{args.file!r}, line(s)")
    if sys.stdin.isatty():
        raise NerCourseError("No text given.\n  How to fix: pass text as an argument, --file FILE, or pipe it in.")
    text = _decode(sys.stdin.buffer.read()) if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    return _replace_undecodable(_lines(text), "stdin, line(s)")


def _predict(args) -> str:
    from .inference import NerTagger

    texts = _read_texts(args)
    tagger = NerTagger.from_pretrained(
        _finetuned_model(args), label_names=args.label_names, batch_size=args.batch_size, by_sentence=args.by_sentence
    )
    if args.format == "conll":  # a block per sentence, as in CoNLL files
        pieces = [(i, sentence) for i, text in enumerate(texts) for sentence in tagger.sentences(text) or [[]]]
        words = [sentence for _, sentence in pieces]
        tags, _ = tagger._predict_pieces(pieces)  # in each text's context for a model trained with context
        return "".join(
            "".join(f"{w.text} {t}\n" for w, t in zip(sentence_words, sentence_tags)) + "\n"
            for sentence_words, sentence_tags in zip(words, tags)
        )
    results = [
        {"text": text, "entities": [e.to_dict() for e in entities]}
        for text, entities in zip(texts, tagger.entities_batch(texts))
    ]
    if args.format == "jsonl":
        return "".join(_one_line(json.dumps(r, ensure_ascii=False)) + "\n" for r in results)
    return json.dumps(results, ensure_ascii=False, indent=2) + "\n"


def _one_line(text: str) -> str:
    """JSON with the line breaks JSON leaves raw (U+0085, U+2028, U+2029) escaped, so that a
    reader splitting JSON lines at any line break still sees one record per line."""
    return text.replace("\u0085", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


COMMANDS = {"train": _train, "evaluate": _evaluate, "predict": _predict}


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
