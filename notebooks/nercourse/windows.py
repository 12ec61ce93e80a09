"""Which subwords each forward pass sees: windows over a long sentence, or a sentence in its document.

Taught in notebook 06 (a sentence longer than the model's limit becomes overlapping windows,
:func:`sliding_windows`) and notebook 08 (a sentence shown with the subwords around it in its
document, :func:`context_windows`). Pure functions of a tokenizer's word ids, no model:
:mod:`nercourse.runner` runs these windows, :mod:`nercourse.context` builds training examples from them.
Every window is cut at word starts where it can be, so a word is seen whole.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .documents import document_runs
from .errors import NerCourseError


def sliding_windows(word_ids: Sequence[int | None], budget: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping (start, end) slices of a sentence's content subwords, each at most ``budget``
    long, cut at word starts where possible, consecutive windows sharing about ``stride`` subwords."""
    n = len(word_ids)
    if n <= budget:
        return [(0, n)]
    word_start = _word_starts(word_ids)

    def back_to_word_start(position: int, floor: int) -> int:
        p = position
        while p > floor and not word_start[p]:
            p -= 1
        return p if p > floor else position  # a single word longer than the window is cut

    windows, start = [], 0
    while True:
        end = min(start + budget, n)
        if end < n:
            end = back_to_word_start(end, start)
        windows.append((start, end))
        if end >= n:
            return windows
        start = max(back_to_word_start(max(end - stride, start + 1), start), start + 1)


def check_budget(budget, limit: int | None = None) -> int:
    """``budget`` as an int, or a fix-it error when it is not a whole number of subwords from 0 to ``limit``."""
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 0:
        raise NerCourseError(
            f"The context budget must be a whole number of subwords, 0 or more; got {budget!r}.\n"
            "  How to fix: pass e.g. budget=128 (0 trains and predicts sentence by sentence)."
        )
    if limit is not None and budget > limit:
        raise NerCourseError(
            f"A context budget of {budget} subwords does not fit the model, which takes {limit} subwords "
            "besides [CLS] and [SEP].\n"
            f"  How to fix: pass a budget of at most {limit}."
        )
    return int(budget)


def _word_starts(word_ids) -> list[bool]:
    """Which content subwords of a sentence start a word; an int n stands for n one-subword words."""
    if isinstance(word_ids, (int, np.integer)):
        return [True] * int(word_ids)
    return [i == 0 or word_ids[i] != word_ids[i - 1] for i in range(len(word_ids))]


def sentence_offsets(word_ids_per_sentence: Sequence, document_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """For each sentence, ``(document, start, end)``: the index of its document among
    :func:`nercourse.documents.document_runs` and its slice of that document's concatenated content subwords."""
    lengths = [w if isinstance(w, (int, np.integer)) else len(w) for w in word_ids_per_sentence]
    if len(lengths) != len(document_ids):
        raise ValueError(f"{len(lengths)} sentences but {len(document_ids)} document ids")
    offsets: list = [None] * len(lengths)
    for d, run in enumerate(document_runs(document_ids)):
        position = 0
        for i in run:
            offsets[i] = (d, position, position + int(lengths[i]))
            position += int(lengths[i])
    return offsets


def document_subwords(
    content_ids_per_sentence: Sequence[Sequence[int]], document_ids: Sequence[int]
) -> list[list[int]]:
    """Each document's content subwords, its sentences one after the other: what the slices of
    :func:`sentence_offsets` and :func:`context_windows` index."""
    return [[token for i in run for token in content_ids_per_sentence[i]] for run in document_runs(document_ids)]


def context_windows(word_ids_per_sentence: Sequence, document_ids: Sequence[int], budget: int) -> list[tuple[int, int]]:
    """For each sentence, the ``(start, end)`` slice (end exclusive) of its document's concatenated
    content subwords that its example shows: the sentence plus context on both sides, at most
    ``budget`` subwords in all ([CLS] and [SEP] not counted).

    ``word_ids_per_sentence`` holds each sentence's content-subword word ids (a fast tokenizer's
    ``word_ids()`` without special tokens), or just its number of subwords (then every subword counts
    as a word start). Policy: the room ``budget - len(sentence)`` is split evenly, the left side
    getting the smaller half; room one side cannot use goes to the other; then each edge moves
    inwards to the nearest word start, so that no context word is cut. Windows never cross a
    document. A sentence of ``budget`` subwords or more is its own window, ``(start, end)`` of the
    sentence itself (the caller decides how to run a sentence longer than the model's limit).
    """
    budget = check_budget(budget)
    offsets = sentence_offsets(word_ids_per_sentence, document_ids)
    runs = document_runs(document_ids)
    starts_of = []  # per document, whether each content subword starts a word
    for run in runs:
        starts_of.append([flag for i in run for flag in _word_starts(word_ids_per_sentence[i])])
    windows = []
    for document, start, end in offsets:
        room = budget - (end - start)
        if room <= 0:
            windows.append((start, end))
            continue
        word_start = starts_of[document]
        total = len(word_start)
        left, right = room // 2, room - room // 2
        left_free, right_free = start, total - end
        if left > left_free:
            left, right = left_free, right + left - left_free
        if right > right_free:
            right, left = right_free, min(left_free, left + right - right_free)
        first, last = start - left, end + right
        while first < start and not word_start[first]:
            first += 1
        while last > end and last < total and not word_start[last]:
            last -= 1
        windows.append((first, last))
    return windows
