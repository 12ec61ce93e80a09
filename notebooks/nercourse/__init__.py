"""nercourse: the helper package of the BERT NER course.

Each notebook teaches an idea inline and then uses the helper that does the same thing here.
Modules import only from the rows above them in this table (import-linter checks it: the layers
contract in pyproject.toml), and notebooks use only the names in ``__all__``.

==============  ==========================================================  ========
module          job                                                         notebook
==============  ==========================================================  ========
settings        the ``NERCOURSE_*`` variables and defaults, Hub-id syntax    00
errors          the course's error types, with fix-it messages             01, 03
exercises       ``check(answer, expected)`` for self-checking exercises      00-08
environment     versions, device (CUDA, MPS, CPU) and precision, Colab        00
words           raw text -> words as CoNLL-2003 tokenized them, offsets      05, 06
labels          tags, IOB1/BIOES -> IOB2, spans, labels from the data       01, 04, 07
conll           read CoNLL files: sentences, tags, documents, checked       01, 07
spans           JSONL span annotations -> words and IOB2 tags, checked      07
documents       each sentence's article: -DOCSTART- runs, the guess          08
hub             Hub reachability; the pinned parquet copies as splits        01
data            CoNLL-2003 from a folder or the Hub; folders of your own    01, 07
alignment       word labels <-> subword labels (-100, first subword)         02
tiny            tiny BERTs: random for tests, trained in seconds for 00      00, tests
metrics         word-level seqeval scores, ``compute_metrics``                03, 04
analysis        confusion matrix, error buckets, hardest sentences           04
modeling        load tokenizers and models with clear errors                 03, 05
plots           matplotlib figures                                           01-07
windows         windows over long sentences, context windows in documents    06, 08
runner          run a model on words: windows, batches, first subword, tags  05, 06, 08
inference       text -> entities (``NerTagger``), HTML                       05, 06
context         training examples with document context                      08
training        profiles, TrainingArguments for the hardware, Trainer        03
evaluation      evaluate a model on a split (in context too); predictions    04, 08
conllpp         CoNLL++: one-file test sets, scores against a corrected gold 04
finetuned       find the fine-tuned model on any runtime; 00's model          00, 04-08
answers         the expected answers of each notebook's exercises            00-08
commands        what ``train``, ``evaluate`` and ``predict`` do              06
cli             ``python -m nercourse train | evaluate | predict``           06, 07
==============  ==========================================================  ========

Importing the package is cheap: torch, transformers and datasets load on first use.
"""

from __future__ import annotations

from . import environment, finetuned, plots, tiny  # namespaces notebooks use: nercourse.plots.plot_..., ...
from .alignment import (
    IGNORE_INDEX,
    align_labels_with_tokens,
    count_missing_words,
    tokenize_and_align,
    word_level_predictions,
)
from .analysis import classify_entities, error_buckets, sentence_losses, tag_confusion
from .conll import read_conll
from .conllpp import (
    CorrectedSentence,
    check_lined_up,
    compare_scores,
    corrected_disagreements,
    load_conllpp,
    load_test_file,
    verdict_counts,
)
from .context import context_examples
from .data import (
    CONLL2003_SIZES,
    HUB_DATASET,
    HUB_REVISION,
    MINI_CORPUS_DIR,
    PRODUCTS_CORPUS_DIR,
    entity_counts,
    find_data_files,
    find_split_files,
    load_conll2003,
    load_splits,
    tag_counts,
)
from .documents import guess_document_ids
from .environment import device_report, in_colab, mixed_precision, precision_for, quiet, select_device, versions
from .errors import CoNLLFormatError, DataFormatError, NerCourseError
from .evaluation import evaluate_in_context, evaluate_split, score_predictions_file, write_predictions
from .exercises import Choice, check
from .finetuned import FinetunedModel, resolve_finetuned, welcome_model
from .hub import hub_unreachable_reason
from .inference import Entity, NerTagger, entities_from_words, entities_to_html
from .labels import (
    ENTITY_TYPES,
    LABEL_NAMES,
    gold_tags,
    iob1_to_iob2,
    label_mapping,
    label_maps,
    label_names_of,
    labels_from_tags,
    tag_names,
    tag_spans,
    to_iob2,
)
from .metrics import compute_metrics, make_compute_metrics, score_words
from .modeling import load_finetuned, load_model_for_training, load_tokenizer
from .runner import predict_in_context, sentence_windows
from .spans import read_jsonl, spans_to_tags
from .training import (
    PROFILES,
    build_trainer,
    default_profile,
    prepare_datasets,
    subset,
    subset_indices,
    train,
    training_argument_values,
    training_arguments,
)
from .windows import context_windows
from .words import Word, split_sentences, split_words


def _version() -> str:
    """The installed distribution's version; from a source checkout that is not installed (how the
    tests and the notebooks run), the version pyproject.toml declares, which is the only place it is written."""
    import importlib.metadata
    import re
    from pathlib import Path

    try:
        return importlib.metadata.version("nercourse")
    except importlib.metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        project = pyproject.read_text(encoding="utf-8").split("[project]", 1)[-1] if pyproject.is_file() else ""
        declared = re.search(r'^version\s*=\s*"([^"]+)"', project.split("\n[", 1)[0], re.MULTILINE)
        return declared[1] if declared else "0+unknown"  # neither installed nor in a checkout


def __getattr__(name: str):
    if name == "__version__":  # looked up when asked for: finding the distribution costs an import
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    # data: CoNLL files, CoNLL-2003, labels (notebook 01)
    "CONLL2003_SIZES",
    "ENTITY_TYPES",
    "HUB_DATASET",
    "HUB_REVISION",
    "LABEL_NAMES",
    "MINI_CORPUS_DIR",
    "entity_counts",
    "find_split_files",
    "gold_tags",
    "guess_document_ids",
    "hub_unreachable_reason",
    "iob1_to_iob2",
    "label_maps",
    "label_names_of",
    "load_conll2003",
    "read_conll",
    "tag_counts",
    "tag_names",
    "tag_spans",
    # your own data: any label set, CoNLL or JSONL spans (notebook 07)
    "DataFormatError",
    "PRODUCTS_CORPUS_DIR",
    "find_data_files",
    "labels_from_tags",
    "load_splits",
    "read_jsonl",
    "spans_to_tags",
    "to_iob2",
    # subwords (notebook 02)
    "IGNORE_INDEX",
    "align_labels_with_tokens",
    "count_missing_words",
    "tokenize_and_align",
    "word_level_predictions",
    # models and training (notebook 03)
    "PROFILES",
    "build_trainer",
    "compute_metrics",
    "default_profile",
    "load_finetuned",
    "load_model_for_training",
    "load_tokenizer",
    "make_compute_metrics",
    "prepare_datasets",
    "subset",
    "subset_indices",
    "train",
    "training_argument_values",
    "training_arguments",
    # evaluation, analysis, CoNLL++ (notebook 04)
    "CorrectedSentence",
    "FinetunedModel",
    "check_lined_up",
    "classify_entities",
    "compare_scores",
    "corrected_disagreements",
    "error_buckets",
    "evaluate_split",
    "label_mapping",
    "load_conllpp",
    "load_test_file",
    "resolve_finetuned",
    "score_predictions_file",
    "score_words",
    "sentence_losses",
    "tag_confusion",
    "verdict_counts",
    "write_predictions",
    # inference, long texts (notebooks 05, 06)
    "Entity",
    "NerTagger",
    "Word",
    "entities_from_words",
    "entities_to_html",
    "sentence_windows",
    "split_sentences",
    "split_words",
    # document context (notebook 08)
    "context_examples",
    "context_windows",
    "evaluate_in_context",
    "predict_in_context",
    # environment, errors, exercises (every notebook)
    "Choice",
    "CoNLLFormatError",
    "NerCourseError",
    "check",
    "device_report",
    "in_colab",
    "mixed_precision",
    "precision_for",
    "quiet",
    "select_device",
    "versions",
    "welcome_model",
    # submodules used as namespaces
    "environment",
    "finetuned",
    "plots",
    "tiny",
]
