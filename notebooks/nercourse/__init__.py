"""nercourse: the helper package of the BERT NER course.

Each notebook teaches an idea inline and then uses the helper that does the same thing here:

==============  ==========================================================  ========
module          job                                                         notebook
==============  ==========================================================  ========
environment     versions, device (CUDA, MPS, CPU) and precision, Colab        00
data            read CoNLL files, IOB1 -> IOB2, load and verify CoNLL-2003   01
alignment       word labels <-> subword labels (-100, first subword)         02
modeling        load tokenizers and models with clear errors                 03
training        profiles, TrainingArguments for the hardware, Trainer        03
metrics         word-level seqeval scores, ``compute_metrics``                03, 04
evaluation      evaluate a model on a split; predictions files               04
finetuned       find the fine-tuned model on any runtime (Colab, laptop)     04-08
analysis        confusion matrix, error buckets, hardest sentences           04
conllpp         CoNLL++: one-file test sets, scores against a corrected gold 04
words           raw text -> words as CoNLL-2003 tokenized them, offsets      05
inference       text -> entities, long documents, batches, HTML              05, 06
context         document context: examples, prediction, evaluation           08
plots           matplotlib figures                                           01-07
tiny            a tiny random BERT for smoke runs and tests                  tests
exercises       ``check(answer, expected)`` for self-checking exercises      00-08
cli             ``python -m nercourse train | evaluate | predict``           06, 07
==============  ==========================================================  ========

Importing the package is cheap: torch, transformers and datasets load on first use.
"""

from . import conllpp, finetuned, plots, tiny  # submodules used as nercourse.finetuned.*, nercourse.plots.*, ...
from .alignment import (
    IGNORE_INDEX,
    align_labels_with_tokens,
    count_missing_words,
    tokenize_and_align,
    word_level_predictions,
)
from .analysis import classify_entities, error_buckets, sentence_losses, tag_confusion
from .conllpp import (
    CorrectedSentence,
    check_lined_up,
    compare_scores,
    corrected_disagreements,
    load_conllpp,
    load_test_file,
    verdict_counts,
)
from .context import context_examples, context_windows, evaluate_in_context, predict_in_context
from .data import (
    CONLL2003_SIZES,
    ENTITY_TYPES,
    LABEL_NAMES,
    MINI_CORPUS_DIR,
    entity_counts,
    guess_document_ids,
    iob1_to_iob2,
    load_conll2003,
    read_conll,
    tag_counts,
    tag_names,
    tag_spans,
)
from .environment import device_report, in_colab, mixed_precision, precision_for, quiet, select_device, versions
from .errors import CoNLLFormatError, NerCourseError
from .evaluation import evaluate_split, predict_split, score_predictions_file, write_predictions
from .exercises import Choice, check
from .finetuned import FinetunedModel, label_mapping, resolve_finetuned
from .inference import Entity, NerTagger, entities_to_html, sentence_windows
from .metrics import compute_metrics, make_compute_metrics, score_words
from .modeling import load_finetuned, load_model_for_training, load_tokenizer
from .tiny import welcome_model
from .training import (
    PROFILES,
    build_trainer,
    default_profile,
    prepare_datasets,
    subset,
    subset_indices,
    train,
    training_arguments,
)
from .words import Word, split_sentences, split_words

__version__ = "1.1.0"

__all__ = [name for name in dir() if not name.startswith("_")]
