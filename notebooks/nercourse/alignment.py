"""Word labels <-> WordPiece labels: the bridge between CoNLL words and BERT's subwords.

Taught in notebook 02. BERT splits words into subwords ("Wolfsburg" -> "Wolf", "##sburg") and
adds [CLS]/[SEP]; the fast tokenizer's ``word_ids()`` says which word each subword came from.
Training labels the first subword of each word and gives everything else -100 (ignored by the
loss); prediction reads one label per word back from its first subword.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from .labels import LABEL_NAMES

IGNORE_INDEX = -100
"""Label id that PyTorch's cross-entropy (and so every transformers model) skips."""


class TruncationWarning(UserWarning):
    """Tokenization cut words off the end of some sentences."""


def inside_label_ids(label_names: Sequence[str] = LABEL_NAMES) -> list[int]:
    """For each label id, the id to use on a word's later subwords: B-X becomes I-X, by name."""
    index = {name: i for i, name in enumerate(label_names)}
    mapping = []
    for name in label_names:
        if name.startswith("B-"):
            inside = "I-" + name[2:]
            if inside not in index:
                raise ValueError(f"label {name!r} has no matching {inside!r} in label_names {list(label_names)}")
            mapping.append(index[inside])
        else:
            mapping.append(index[name])
    return mapping


def align_labels_with_tokens(
    word_labels: Sequence[int],
    word_ids: Sequence[int | None],
    all_subwords: bool = False,
    label_names: Sequence[str] = LABEL_NAMES,
) -> list[int]:
    """One label per subword for one sentence.

    Special tokens (word id None) get -100. The first subword of each word gets the word's label.
    Later subwords get -100, or with ``all_subwords=True`` the word's label with B-X turned into
    I-X (copying B-X would make every subword start a new entity).
    """
    inside = inside_label_ids(label_names) if all_subwords else None
    labels = []
    previous = None
    for word_id in word_ids:
        if word_id is None:
            labels.append(IGNORE_INDEX)
        elif word_id != previous:
            labels.append(word_labels[word_id])
        else:
            labels.append(inside[word_labels[word_id]] if inside is not None else IGNORE_INDEX)
        previous = word_id
    return labels


def word_level_predictions(
    subword_label_ids: Sequence[int],
    word_ids: Sequence[int | None],
    num_words: int | None = None,
    fill_label: int = 0,
) -> list[int]:
    """One predicted label per word, read from the word's first subword.

    ``subword_label_ids`` may be longer than ``word_ids`` (padding): extra positions are ignored.
    With ``num_words``, words that have no subword (cut by truncation, or words the tokenizer
    maps to nothing, such as a lone zero-width space) get ``fill_label`` (0 = "O") so that every
    word is still predicted and scored; :func:`count_missing_words` says how many there were.
    """
    predictions: dict[int, int] = {}
    for label_id, word_id in zip(subword_label_ids, word_ids):
        if word_id is not None and word_id not in predictions:
            predictions[word_id] = int(label_id)
    if num_words is None:
        num_words = max(predictions, default=-1) + 1
    return [predictions.get(word, fill_label) for word in range(num_words)]


def count_missing_words(word_ids: Sequence[int | None], num_words: int) -> int:
    """How many of a sentence's ``num_words`` words have no subword in ``word_ids``."""
    return num_words - len({word for word in word_ids if word is not None})


def tokenizer_limit(tokenizer) -> int:
    """The most subwords one input may hold: the tokenizer's ``model_max_length``, or 512 (BERT's) when
    the tokenizer has no real limit (transformers then reports a huge number)."""
    return tokenizer.model_max_length if tokenizer.model_max_length < 100_000 else 512


def tokenize_and_align(
    dataset,
    tokenizer,
    *,
    all_subwords: bool = False,
    max_length: int | None = None,
    label_names: Sequence[str] = LABEL_NAMES,
    name: str = "the dataset",
):
    """Tokenize a ``Dataset``/``DatasetDict`` of pre-split words and align ``ner_tags`` to subwords.

    Returns the same kind of object with ``input_ids``, ``attention_mask`` (and ``token_type_ids``)
    and ``labels``; the original columns are removed. Sentences longer than ``max_length`` subwords
    (default: the tokenizer's limit, 512 for BERT) are truncated, and a :class:`TruncationWarning`
    says how many word labels that dropped (``name`` says which data in that warning).
    Nothing is dropped silently.
    """
    if max_length is None:
        max_length = tokenizer_limit(tokenizer)

    def encode(batch):
        encoding = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True, max_length=max_length)
        labels, lost = [], []
        for i, word_labels in enumerate(batch["ner_tags"]):
            word_ids = encoding.word_ids(batch_index=i)
            labels.append(align_labels_with_tokens(word_labels, word_ids, all_subwords, label_names))
            lost.append(count_missing_words(word_ids, len(word_labels)))
        encoding["labels"] = labels
        encoding["words_lost"] = lost
        return encoding

    def encode_split(split, name):
        encoded = split.map(encode, batched=True, remove_columns=split.column_names)
        lost_total = sum(encoded["words_lost"])
        if lost_total:
            sentences = sum(1 for n in encoded["words_lost"] if n)
            warnings.warn(
                f"{name}: {lost_total:,} word(s) in {sentences:,} sentence(s) have no subword after tokenization "
                f"(cut by truncation at {max_length} subwords, or made only of characters the tokenizer "
                "drops), so their labels are neither trained on nor scored by compute_metrics. "
                "Raise max_length or split long sentences; nercourse.evaluate_split scores every word.",
                TruncationWarning,
                stacklevel=3,
            )
        return encoded.remove_columns("words_lost")

    if hasattr(dataset, "keys"):  # DatasetDict
        from datasets import DatasetDict

        return DatasetDict({name: encode_split(split, name) for name, split in dataset.items()})
    return encode_split(dataset, name)
