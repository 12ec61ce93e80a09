"""Document context: each sentence trained on and predicted with its neighbours in the article.

The course fine-tunes and predicts one sentence at a time. The BERT paper (Devlin et al., 2019,
section 5.3) reports its CoNLL-2003 results with "maximal document context", and Luoma & Pyysalo
(COLING 2020, "Exploring Cross-sentence Contexts for Named Entity Recognition with BERT") show that
adding the sentences around a sentence to BERT's input raises NER scores; they also combine the
predictions a sentence gets in several inputs ("Contextual Majority Voting"). Their published code
(github.com/jouniluoma/bert-ner-cmv, ``common.py``) builds one input per sentence: the target at a
fixed position (by default first), then the following sentences, the last one cut at the length
limit, any room before the target filled with the preceding sentences, [SEP] between sentences; the
neighbours come from the whole file in order (an option keeps them within a document). Its
majority vote takes, for each subword, the label predicted most often over all the inputs that
hold the sentence.

What this module does is the course's own variant:

- an example is ``[CLS] context target context [SEP]``: the target sentence with the subwords
  around it in its document, at most ``budget`` content subwords in all (``budget`` does not count
  [CLS] and [SEP]); no [SEP] between sentences, so the input looks like one passage of text;
- the room left by the target is split evenly between the two sides; room a side cannot use
  (the target is near the start or the end of its document) goes to the other side;
- a window is cut at word starts, so context words are whole: a word at an edge that does not
  fit whole is left out (its room stays unused); a window never crosses a document;
- only the target's words carry labels (first subword, or every subword with ``all_subwords``);
  context subwords get -100, so the loss and ``compute_metrics`` see each word of each sentence
  exactly once, and word-level scores stay comparable with the sentence-level path;
- a target of ``budget`` subwords or more gets no context: its example is the sentence-level
  example (:func:`nercourse.tokenize_and_align`), and prediction runs it through
  :class:`nercourse.NerTagger` on its own (windowed as usual if longer than the model's limit);
- each sentence is predicted once, in its own context: the course does not combine the
  predictions a sentence would get inside its neighbours' windows.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from .alignment import TruncationWarning, align_labels_with_tokens, count_missing_words
from .data import LABEL_NAMES
from .errors import NerCourseError

DOCUMENT_COLUMN = "document"
ONE_DOCUMENT_WARNING_SENTENCES = 100
"""A split of more sentences than this in a single document most likely lost its document boundaries."""


class OneDocumentWarning(UserWarning):
    """A whole split is one document: its context crosses articles (a file without -DOCSTART- lines)."""


def _warn_if_one_document(document_ids: Sequence[int], name: str) -> None:
    if len(document_ids) > ONE_DOCUMENT_WARNING_SENTENCES and len(set(document_ids)) == 1:
        warnings.warn(
            f"{name}: all {len(document_ids):,} sentences are one document (the file has no -DOCSTART- lines), "
            "so each sentence's context comes from its neighbours in the file, across articles. If the file "
            "holds several articles, put a -DOCSTART- line before each.",
            OneDocumentWarning,
            stacklevel=3,
        )


def _check_budget(budget, limit: int | None = None) -> int:
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


def document_runs(document_ids: Sequence[int]) -> list[list[int]]:
    """The sentence indices of each document, in order: runs of consecutive equal ``document_ids``.

    A document's sentences must be consecutive (a split in file order): a shuffled split would
    silently lose its context, so an id that comes back after another raises an error.
    """
    runs: list[list[int]] = []
    seen: set = set()
    for i, document in enumerate(document_ids):
        if runs and document_ids[runs[-1][0]] == document:
            runs[-1].append(i)
            continue
        if document in seen:
            raise NerCourseError(
                f"The sentences of document {document!r} are not consecutive (sentence {i} comes back to it "
                "after another document).\n"
                "  How to fix: pass the split in its original order (not shuffled or sampled) and choose "
                "the target sentences with targets=[...]."
            )
        seen.add(document)
        runs.append([i])
    return runs


def _word_starts(word_ids) -> list[bool]:
    """Which content subwords of a sentence start a word; an int n stands for n one-subword words."""
    if isinstance(word_ids, (int, np.integer)):
        return [True] * int(word_ids)
    return [i == 0 or word_ids[i] != word_ids[i - 1] for i in range(len(word_ids))]


def sentence_offsets(word_ids_per_sentence: Sequence, document_ids: Sequence[int]) -> list[tuple[int, int, int]]:
    """For each sentence, ``(document, start, end)``: the index of its document among
    :func:`document_runs` and its slice of that document's concatenated content subwords."""
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
    budget = _check_budget(budget)
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


def _content_encoding(tokenizer, sentences: list[list[str]]):
    from .inference import _tokenize

    encoding = _tokenize(tokenizer, sentences)
    return encoding["input_ids"], [encoding.word_ids(i) for i in range(len(sentences))]


def _model_limit(tokenizer) -> int:
    return tokenizer.model_max_length if tokenizer.model_max_length < 100_000 else 512


def context_examples(
    dataset,
    tokenizer,
    budget: int,
    *,
    targets: Sequence[int] | None = None,
    all_subwords: bool = False,
    label_names: Sequence[str] = LABEL_NAMES,
    name: str = "the dataset",
):
    """Tokenized examples with document context, like :func:`nercourse.tokenize_and_align`'s output.

    ``dataset`` is a whole split in file order with ``tokens``, ``ner_tags`` and ``document``
    columns; ``targets`` (default: every sentence) are the indices of the sentences to make
    examples for, one example per target in that order. Context always comes from ``dataset``, so a
    sample of targets keeps the context of the full split. Each example holds ``input_ids``,
    ``attention_mask`` (and ``token_type_ids`` if the tokenizer makes them) and ``labels``: the
    target's word labels aligned as :func:`nercourse.align_labels_with_tokens` aligns them, -100 on
    [CLS], [SEP] and every context subword. Windows follow :func:`context_windows`; a target of
    ``budget`` subwords or more is its sentence-level example, truncated at the model's limit with a
    :class:`nercourse.TruncationWarning` as ``tokenize_and_align`` does.
    """
    from datasets import Dataset

    limit = _model_limit(tokenizer)
    budget = _check_budget(budget, limit - 2)
    missing = {"tokens", "ner_tags", DOCUMENT_COLUMN} - set(dataset.column_names)
    if missing:
        raise NerCourseError(
            f"{name} has no {', '.join(sorted(missing))} column: document context needs each sentence's document.\n"
            "  How to fix: load the data with nercourse.load_conll2003 or nercourse.read_conll, which add it."
        )
    sentences = [list(words) for words in dataset["tokens"]]
    word_labels = list(dataset["ner_tags"])
    document_ids = list(dataset[DOCUMENT_COLUMN])
    if budget:
        _warn_if_one_document(document_ids, name)
    content_ids, word_ids = _content_encoding(tokenizer, sentences)
    windows = context_windows(word_ids, document_ids, budget)
    offsets = sentence_offsets(word_ids, document_ids)
    documents = [[token for i in run for token in content_ids[i]] for run in document_runs(document_ids)]
    targets = range(len(sentences)) if targets is None else [int(t) for t in targets]
    with_types = "token_type_ids" in tokenizer.model_input_names
    columns: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": []}
    if with_types:
        columns["token_type_ids"] = []
    lost = []
    for t in targets:
        document, target_start, target_end = offsets[t]
        start, end = windows[t]
        if target_end - target_start > limit - 2:  # no context, cut like the sentence-level path
            end = target_start + limit - 2
        ids = documents[document][start:end]
        inside = min(end, target_end) - target_start
        target_words = (
            [None] * (target_start - start) + list(word_ids[t][:inside]) + [None] * (end - target_start - inside)
        )
        columns["input_ids"].append([tokenizer.cls_token_id, *ids, tokenizer.sep_token_id])
        columns["attention_mask"].append([1] * (len(ids) + 2))
        columns["labels"].append(
            align_labels_with_tokens(word_labels[t], [None, *target_words, None], all_subwords, label_names)
        )
        if with_types:
            columns["token_type_ids"].append([0] * (len(ids) + 2))
        lost.append(count_missing_words(word_ids[t][:inside], len(word_labels[t])))
    if sum(lost):
        warnings.warn(
            f"{name}: {sum(lost):,} word(s) in {sum(1 for n in lost if n):,} sentence(s) have no subword in their "
            f"example (cut at {limit} subwords, or made only of characters the tokenizer drops), so their labels "
            "are neither trained on nor scored by compute_metrics. nercourse.evaluate_in_context scores every word.",
            TruncationWarning,
            stacklevel=2,
        )
    order = ["input_ids", "token_type_ids", "attention_mask", "labels"]
    return Dataset.from_dict({key: columns[key] for key in order if key in columns})


# ------------------------------------------------------------------------------------ prediction


def word_probabilities_in_context(
    tagger, sentences: Sequence[Sequence[str]], document_ids: Sequence[int], budget: int
) -> list[np.ndarray]:
    """Like :meth:`nercourse.NerTagger.word_probabilities`, each sentence run once in its own
    context window (:func:`context_windows`) of its document; sentences of ``budget`` subwords or
    more go through the tagger on their own, as ``word_probabilities`` runs them."""
    from .inference import _Window

    budget = _check_budget(budget, tagger.max_length - 2)
    sentences = [list(words) for words in sentences]
    if len(sentences) != len(document_ids):
        raise NerCourseError(
            f"{len(sentences)} sentences but {len(document_ids)} document ids.\n"
            "  How to fix: pass one document id per sentence (the split's document column)."
        )
    for i, words in enumerate(sentences):
        bad = [w for w in words if not isinstance(w, str)]
        if bad:
            raise TypeError(f"sentence {i}: words must be strings, got {bad[0]!r}")
    if not sentences:
        return []
    content_ids, word_ids = _content_encoding(tagger.tokenizer, sentences)
    windows = context_windows(word_ids, document_ids, budget)
    offsets = sentence_offsets(word_ids, document_ids)
    documents = [[token for i in run for token in content_ids[i]] for run in document_runs(document_ids)]
    alone = [i for i, (_, start, end) in enumerate(offsets) if end - start >= budget]
    in_context = [i for i, (_, start, end) in enumerate(offsets) if 0 < end - start < budget]

    result: list = [None] * len(sentences)
    for i, probabilities in zip(alone, tagger.word_probabilities([sentences[i] for i in alone])):
        result[i] = probabilities
    runs = [_Window(offsets[i][0], *windows[i]) for i in in_context]
    num_labels = len(tagger.label_names)
    for i, window, probabilities in zip(in_context, runs, tagger._run(runs, documents)):
        _, start, end = offsets[i]
        subwords = probabilities[start - window.start : end - window.start]
        first: dict[int, int] = {}
        for position, word in enumerate(word_ids[i]):
            if word is not None and word not in first:
                first[word] = position
        rows = np.zeros((len(sentences[i]), num_labels), dtype=np.float32)
        if first:
            rows[list(first)] = subwords[list(first.values())]
        result[i] = rows
    for i, rows in enumerate(result):
        if rows is None:  # no subword at all (empty sentence, or only characters the tokenizer drops)
            result[i] = np.zeros((len(sentences[i]), num_labels), dtype=np.float32)
    return result


def predict_in_context(
    tagger, sentences: Sequence[Sequence[str]], document_ids: Sequence[int], budget: int
) -> tuple[list[list[str]], list[list[float]]]:
    """Tags and their probabilities for pre-split sentences, each predicted in its own document
    context (:func:`word_probabilities_in_context`): one tag per word, in input order, words with no
    subword tagged O with probability 0, as :meth:`nercourse.NerTagger.predict_words` does.
    With a budget that leaves no sentence room for context this is ``predict_words`` exactly."""
    tags, scores = [], []
    for probabilities in word_probabilities_in_context(tagger, sentences, document_ids, budget):
        best = probabilities.argmax(-1)
        top = probabilities.max(-1) if len(probabilities) else np.zeros(0)
        tags.append([tagger.label_names[b] if p > 0 else "O" for b, p in zip(best, top)])
        scores.append([float(p) for p in top])
    return tags, scores


def evaluate_in_context(tagger, dataset, budget: int) -> tuple[dict, list[list[str]]]:
    """Word-level scores of ``tagger`` on a split predicted in document context (the split's
    ``document`` column, file order), and the predicted tags: :func:`nercourse.evaluate_split`
    with :func:`predict_in_context` in place of sentence-by-sentence prediction."""
    from .evaluation import gold_tags, split_label_names
    from .metrics import score_words

    unknown = sorted(set(tagger.label_names) - set(split_label_names(dataset)))
    if unknown:
        raise NerCourseError(
            f"The model predicts tags {unknown} that this split does not have, so its scores would mean nothing.\n"
            "  How to fix: evaluate a model fine-tuned on this data set's tags."
        )
    if DOCUMENT_COLUMN not in dataset.column_names:
        raise NerCourseError(
            "This split has no document column, so its sentences have no document context.\n"
            "  How to fix: load the data with nercourse.load_conll2003 or nercourse.read_conll, which add it."
        )
    if budget:
        _warn_if_one_document(list(dataset[DOCUMENT_COLUMN]), "this split")
    predictions, _ = predict_in_context(tagger, list(dataset["tokens"]), list(dataset[DOCUMENT_COLUMN]), budget)
    return score_words(gold_tags(dataset), predictions), predictions


__all__ = [
    "OneDocumentWarning",
    "context_examples",
    "context_windows",
    "document_runs",
    "evaluate_in_context",
    "predict_in_context",
    "sentence_offsets",
    "word_probabilities_in_context",
]
