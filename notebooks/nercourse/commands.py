"""What ``python -m nercourse train | evaluate | predict`` do: the notebooks' code paths, headless.

Taught in notebook 06 (the CLI; ``train`` under ``torchrun`` in notebook 07). Each command takes the
arguments :mod:`nercourse.cli` parsed and returns what goes to standard output: JSON, JSON lines or
CoNLL, so it can be piped. Problems the user can fix raise :class:`nercourse.NerCourseError`.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

from .conll import entity_types, read_conll_rows, with_labels
from .conllpp import load_test_file
from .data import load_splits
from .errors import CoNLLFormatError, NerCourseError
from .evaluation import evaluate_in_context, evaluate_split, score_predictions_file, write_predictions
from .finetuned import NOTEBOOK_DIR, resolve_finetuned
from .inference import NerTagger
from .labels import TAG_SYNTAX, gold_tags, labels_from_tags, tag_problem
from .settings import DATA_DIR_ENV
from .training import train

DEFAULT_OUTPUT_DIR = "ner-model"
"""Where ``train`` saves the model, and where ``evaluate`` and ``predict`` look for it first."""


def train_command(args) -> str:
    """Fine-tune and save a model (:func:`nercourse.train`); JSON with the run's times and validation scores."""
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
        validation_share=args.validation_share,
        align="expand" if args.expand_spans else "strict",
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
    found = resolve_finetuned(
        notebook_dir=DEFAULT_OUTPUT_DIR,
        extra_dirs=(NOTEBOOK_DIR,),
        if_missing="error",
        log=lambda line: print(line, file=sys.stderr),
    )
    return found.name_or_path


def _evaluation_data(args, model_label_names=None):
    """The split to score and how the output names it: ``--test-file``, else ``--split`` of ``--data-dir``.

    A test file brings its own labels; scored by a model (``model_label_names``), it must use only the
    model's types, and gets the model's labels, so a type it happens to lack is still a label."""
    align = "expand" if args.expand_spans else "strict"
    if args.test_file is None:
        split = args.split or "validation"
        splits = load_splits(args.data_dir, validation_share=args.validation_share, align=align)
        if split not in splits:
            raise NerCourseError(
                f"Data folder {args.data_dir or os.environ.get(DATA_DIR_ENV)!r} has no {split} file ({split}.txt, {split}.conll or {split}.jsonl).\n"
                "  How to fix: add one, or score another split: --split validation."
            )
        return splits[split], {"split": split}
    split = load_test_file(args.test_file, None, align=align)
    if model_label_names is not None:
        model_types = entity_types(model_label_names)
        present = entity_types(labels_from_tags(gold_tags(split)))  # the types its tags use, not its label list
        missing = [kind for kind in present if kind not in model_types]
        if missing:
            raise NerCourseError(
                f"{args.test_file} has entity types {missing} that the model does not predict (its types: "
                f"{', '.join(model_types)}).\n"
                "  How to fix: score it with a model fine-tuned on these types, or pass a test file of the model's types."
            )
        split = with_labels(split, model_label_names)
    return split, {"test_file": args.test_file}


def _own_gold_labels(args) -> list[str] | None:
    """For a 'word gold pred' predictions file with no split or test file named, the labels of its own gold and
    predicted tags (so any types of one's own are allowed): it is scored against its gold column. Else None."""
    if args.test_file is not None or args.data_dir is not None or args.split is not None:
        return None
    sentences = read_conll_rows(args.predictions)
    if not sentences or len(sentences[0][0][1]) < 3:
        return None
    tags = []
    for rows in sentences:
        for line_number, parts in rows:
            for tag in parts[-2:]:
                problem = tag_problem(tag)
                if problem:
                    raise CoNLLFormatError(args.predictions, line_number, problem, TAG_SYNTAX)
                tags.append(tag)
    return labels_from_tags([tags])


def evaluate_command(args) -> str:
    """Word-level scores, as JSON, of a fine-tuned model (or of a predictions file) on a split or a test file."""
    if args.test_file is not None and args.data_dir is not None:  # said before a model is loaded
        raise NerCourseError(
            "--test-file and --data-dir both given: --test-file replaces the split of --data-dir.\n"
            "  How to fix: pass one of them."
        )
    own_labels = _own_gold_labels(args) if args.predictions else None
    if own_labels is not None:
        scores = score_predictions_file(args.predictions, None, args.label_names or own_labels)
        result = {"predictions": args.predictions, "gold": "the predictions file's own gold column", **scores}
    elif args.predictions:  # --label-names, if given, are the tags of the model that wrote the predictions
        split, source = _evaluation_data(args, args.label_names)
        result = {"predictions": args.predictions, **source, **score_predictions_file(args.predictions, split)}
    else:
        args.model = _finetuned_model(args)
        tagger = NerTagger.from_pretrained(args.model, label_names=args.label_names, batch_size=args.batch_size)
        split, source = _evaluation_data(args, tagger.label_names)
        budget = args.context_budget
        if budget is None:  # a model trained with context is scored the way it was trained
            budget = getattr(tagger.model.config, "nercourse_context_budget", None) or 0
        if budget:
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


def predict_command(args) -> str:
    """Entities in each text (JSON or JSON lines), or each sentence's words and tags (CoNLL)."""
    texts = _read_texts(args)
    tagger = NerTagger.from_pretrained(
        _finetuned_model(args), label_names=args.label_names, batch_size=args.batch_size, by_sentence=args.by_sentence
    )
    if args.format == "conll":  # a block per sentence, as in CoNLL files
        pieces = [(i, sentence) for i, text in enumerate(texts) for sentence in tagger.sentences(text) or [[]]]
        words = [sentence for _, sentence in pieces]
        tags, _ = tagger.predict_pieces(pieces)  # in each text's context for a model trained with context
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


COMMANDS = {"train": train_command, "evaluate": evaluate_command, "predict": predict_command}
"""What each command of :mod:`nercourse.cli` runs: a function of the parsed arguments that returns the output."""
