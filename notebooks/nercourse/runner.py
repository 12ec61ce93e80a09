"""The model runner: words into windows, batches, one forward pass, one label per word.

Taught in notebooks 05 (tokenize pre-split words, run the model, read each word at its first
subword, take the most probable tag) and 06 (long sentences as overlapping windows, batches of
similar length, mixed precision on a GPU); notebook 08 runs each sentence in its document's context
the same way (:func:`predict_in_context`). This is the one place that runs a token-classification
model on words: :class:`nercourse.NerTagger` is a :class:`ModelRunner` that also reads raw text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .environment import precision_for, select_device
from .errors import NerCourseError
from .modeling import model_label_names
from .windows import check_budget, context_windows, document_subwords, sentence_offsets, sliding_windows

AUTOCAST_DTYPES = {"bf16": "bfloat16", "fp16": "float16", "fp32": None}
"""The precisions the runner knows, and the dtype autocast runs each in (fp32 runs as it is)."""
_FAR = 1 << 30
# Lone surrogates (what Python makes of invalid UTF-8 with errors="surrogateescape") cannot reach the
# Rust tokenizer; for the model they are U+FFFD, an unknown character. Offsets come from the original text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def tokenize_words(tokenizer, sentences: Sequence[Sequence[str]]) -> tuple[list[list[int]], list[list[int | None]]]:
    """The content subword ids (no [CLS]/[SEP]) of pre-split sentences of any length, and the word
    each subword comes from (``word_ids``).

    ``verbose=False`` silences the "Token indices sequence length is longer than the specified
    maximum" warning: the runner cuts long sentences into windows, so it does not apply here.
    """
    sentences = [[_SURROGATE.sub("\ufffd", word) for word in words] for words in sentences]
    encoding = tokenizer(sentences, is_split_into_words=True, add_special_tokens=False, verbose=False)
    return encoding["input_ids"], [encoding.word_ids(i) for i in range(len(sentences))]


@dataclass(frozen=True)
class Window:
    """Content subwords ``start`` to ``end`` (exclusive) of ``sequence``: a sentence, or a document's
    sentences one after the other."""

    sequence: int
    start: int
    end: int


def first_subword_rows(word_ids: Sequence[int | None], subword_rows: np.ndarray, num_words: int) -> np.ndarray:
    """One row per word of a sentence, read at the word's first subword: ``subword_rows`` holds one row
    per entry of ``word_ids``. A word with no subword at all gets a row of zeros."""
    first: dict[int, int] = {}
    for position, word in enumerate(word_ids):
        if word is not None and word not in first:
            first[word] = position
    rows = np.zeros((num_words, subword_rows.shape[-1]), dtype=np.float32)
    if first:
        rows[list(first)] = subword_rows[list(first.values())]
    return rows


def tags_and_scores(
    word_probabilities: Sequence[np.ndarray], label_names: Sequence[str]
) -> tuple[list[list[str]], list[list[float]]]:
    """Each word's most probable tag and its probability; a word whose row is all zeros (it has no
    subword) is tagged O with probability 0."""
    tags, scores = [], []
    for probabilities in word_probabilities:
        best = probabilities.argmax(-1)
        top = probabilities.max(-1) if len(probabilities) else np.zeros(0)
        tags.append([label_names[b] if p > 0 else "O" for b, p in zip(best, top)])
        scores.append([float(p) for p in top])
    return tags, scores


def _word_lists(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    sentences = [list(words) for words in sentences]
    for i, words in enumerate(sentences):
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise TypeError(f"sentence {i}: words must be strings, got {bad[0]!r}")
    return sentences


class ModelRunner:
    """A token-classification model ready to run on pre-split words.

    ``device`` and ``precision`` default to the course's choice (:func:`nercourse.select_device`,
    :func:`nercourse.precision_for`): bf16 or fp16 autocast on a GPU, fp32 on a CPU. ``batch_size``
    windows of similar length run together. ``max_length`` defaults to what both tokenizer and model
    allow; windows of long sentences overlap by ``stride``. ``label_names`` (in training order) name
    the outputs of a model whose config has none.
    """

    def __init__(
        self,
        model,
        tokenizer,
        *,
        label_names: Sequence[str] | None = None,
        batch_size: int | None = None,
        device: str | None = None,
        max_length: int | None = None,
        stride: int | None = None,
        precision: str | None = None,
    ):
        import torch

        self.tokenizer = tokenizer
        self.label_names = model_label_names(model, label_names)
        self.device = torch.device(device or select_device())
        self.precision = precision or precision_for(self.device.type)
        if self.precision not in AUTOCAST_DTYPES:
            raise NerCourseError(
                f"precision={self.precision!r} is not one the course knows.\n"
                f"  How to fix: pass one of {', '.join(AUTOCAST_DTYPES)}, or leave it unset for this device's default."
            )
        self.model = model.to(self.device).eval()
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
        ):
            raise ValueError(
                f"batch_size must be a positive whole number (or None for the default), got {batch_size!r}"
            )
        self.batch_size = batch_size or (256 if self.device.type == "cuda" else 32)
        limits = [tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", 512)]
        self.max_length = max_length or min(limit for limit in limits if limit)
        if self.max_length < 8:
            raise ValueError(f"max_length={self.max_length} leaves no room for words")
        self.stride = self.max_length // 4 if stride is None else stride
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"stride must be between 0 and max_length - 3, got {self.stride}")

    def run(self, windows: Sequence[Window], sequences: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Label probabilities (subwords, labels) of each window's content subwords, in the order of
        ``windows``: each window runs as ``[CLS] subwords [SEP]``, longest first, ``batch_size`` at a time."""
        import torch

        cls_id, sep_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        order = sorted(range(len(windows)), key=lambda i: windows[i].end - windows[i].start, reverse=True)
        results: list = [None] * len(windows)
        with torch.inference_mode():
            for first in range(0, len(order), self.batch_size):
                batch = order[first : first + self.batch_size]
                rows = [
                    [cls_id, *sequences[windows[i].sequence][windows[i].start : windows[i].end], sep_id] for i in batch
                ]
                inputs = self.tokenizer.pad(
                    {"input_ids": rows}, padding_side="right", return_attention_mask=True, return_tensors="pt"
                )
                with self._autocast():
                    logits = self.model(
                        input_ids=inputs["input_ids"].to(self.device),
                        attention_mask=inputs["attention_mask"].to(self.device),
                    ).logits
                probabilities = logits.float().softmax(-1).cpu().numpy()
                for r, i in enumerate(batch):
                    results[i] = probabilities[r, 1 : windows[i].end - windows[i].start + 1]
        return results

    def _autocast(self):
        """Autocast to bf16 or fp16 on this device's type (cuda, mps, cpu); fp32 runs as it is."""
        import torch

        dtype = AUTOCAST_DTYPES[self.precision]
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=getattr(torch, dtype))

    def word_probabilities(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """For each sentence, a (words, labels) array of probabilities read at each word's first
        subword, in input order. A sentence longer than ``max_length`` runs as overlapping windows
        (:func:`nercourse.windows.sliding_windows`), and each subword takes its probabilities from the
        window where it has the most context. A word that becomes no subword at all (an empty string,
        only characters the tokenizer drops) has a row of zeros."""
        sentences = _word_lists(sentences)
        if not sentences:
            return []
        content_ids, word_ids = tokenize_words(self.tokenizer, sentences)
        budget = self.max_length - 2  # room for [CLS] and [SEP]
        windows = [
            Window(i, start, end)
            for i, ids in enumerate(word_ids)
            for start, end in sliding_windows(ids, budget, self.stride)
            if end > start
        ]
        num_labels = len(self.label_names)
        probabilities_of = [np.zeros((len(ids), num_labels), dtype=np.float32) for ids in content_ids]
        context_of = [np.full(len(ids), -1, dtype=np.int64) for ids in content_ids]
        for window, probabilities in zip(windows, self.run(windows, content_ids)):
            positions = np.arange(window.start, window.end)
            # Context = subwords on the nearer side that the window shows; at the sentence's own
            # edges there is nothing more to show, so that side does not count.
            left = positions - window.start if window.start > 0 else np.full_like(positions, _FAR)
            at_end = window.end == len(content_ids[window.sequence])
            right = window.end - 1 - positions if not at_end else np.full_like(positions, _FAR)
            context = np.minimum(left, right)
            better = context > context_of[window.sequence][positions]
            probabilities_of[window.sequence][positions[better]] = probabilities[better]
            context_of[window.sequence][positions[better]] = context[better]
        return [
            first_subword_rows(ids, probabilities, len(words))
            for words, ids, probabilities in zip(sentences, word_ids, probabilities_of)
        ]

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[float]]]:
        """Tags and their probabilities for pre-split sentences, in input order.

        Every word gets a tag. Words that become no subword at all (empty strings, characters the
        tokenizer drops) are tagged O with probability 0.
        """
        return tags_and_scores(self.word_probabilities(sentences), self.label_names)


def sentence_windows(runner: ModelRunner, words: Sequence[str]) -> list[tuple[int, int]]:
    """The windows ``runner`` runs for one pre-split sentence (or document), as word ranges
    ``(first_word, end_word)``, end exclusive, in order; consecutive windows overlap.

    A sentence that fits ``runner.max_length`` subwords (with [CLS] and [SEP]) is one window.
    Windows are cut at word starts, so a word appears whole in every window that holds it; only
    a single word longer than a whole window is cut, and then sits in two windows. Words that
    become no subword (empty strings) belong to no window. Taught in notebook 06.
    """
    words = list(words)
    if not words:
        return []
    _, (word_ids,) = tokenize_words(runner.tokenizer, [words])
    if not word_ids:
        return []
    spans = sliding_windows(word_ids, runner.max_length - 2, runner.stride)
    return [(word_ids[start], word_ids[end - 1] + 1) for start, end in spans if end > start]


def word_probabilities_in_context(
    runner: ModelRunner, sentences: Sequence[Sequence[str]], document_ids: Sequence[int], budget: int
) -> list[np.ndarray]:
    """Like :meth:`ModelRunner.word_probabilities`, each sentence run once in its own context window
    (:func:`nercourse.context_windows`) of its document; sentences of ``budget`` subwords or more
    go through ``runner.word_probabilities`` on their own."""
    budget = check_budget(budget, runner.max_length - 2)
    sentences = _word_lists(sentences)
    if len(sentences) != len(document_ids):
        raise NerCourseError(
            f"{len(sentences)} sentences but {len(document_ids)} document ids.\n"
            "  How to fix: pass one document id per sentence (the split's document column)."
        )
    if not sentences:
        return []
    content_ids, word_ids = tokenize_words(runner.tokenizer, sentences)
    windows = context_windows(word_ids, document_ids, budget)
    offsets = sentence_offsets(word_ids, document_ids)
    documents = document_subwords(content_ids, document_ids)
    alone = [i for i, (_, start, end) in enumerate(offsets) if end - start >= budget]
    in_context = [i for i, (_, start, end) in enumerate(offsets) if 0 < end - start < budget]

    result: list = [None] * len(sentences)
    for i, probabilities in zip(alone, runner.word_probabilities([sentences[i] for i in alone])):
        result[i] = probabilities
    runs = [Window(offsets[i][0], *windows[i]) for i in in_context]
    for i, window, probabilities in zip(in_context, runs, runner.run(runs, documents)):
        _, start, end = offsets[i]
        subwords = probabilities[start - window.start : end - window.start]
        result[i] = first_subword_rows(word_ids[i], subwords, len(sentences[i]))
    num_labels = len(runner.label_names)
    for i, rows in enumerate(result):
        if rows is None:  # no subword at all (empty sentence, or only characters the tokenizer drops)
            result[i] = np.zeros((len(sentences[i]), num_labels), dtype=np.float32)
    return result


def predict_in_context(
    runner: ModelRunner, sentences: Sequence[Sequence[str]], document_ids: Sequence[int], budget: int
) -> tuple[list[list[str]], list[list[float]]]:
    """Tags and their probabilities for pre-split sentences, each predicted in its own document
    context (:func:`word_probabilities_in_context`): one tag per word, in input order, words with no
    subword tagged O with probability 0, as :meth:`ModelRunner.predict_words` does.
    With a budget that leaves no sentence room for context this is ``predict_words`` exactly."""
    return tags_and_scores(word_probabilities_in_context(runner, sentences, document_ids, budget), runner.label_names)
