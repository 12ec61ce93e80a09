"""Document context: each sentence trained on and predicted with its neighbours in the article.

Taught in notebook 08. This module builds the training examples (:func:`context_examples`); the
windows they show come from :func:`nercourse.context_windows`, prediction in context is
:func:`nercourse.predict_in_context` (the model runner) and scoring :func:`nercourse.evaluate_in_context`.

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

from .alignment import TruncationWarning, align_labels_with_tokens, count_missing_words, tokenizer_limit
from .documents import DOCUMENT_COLUMN, warn_if_one_document
from .errors import NerCourseError
from .labels import LABEL_NAMES
from .runner import tokenize_words
from .windows import check_budget, context_windows, document_subwords, sentence_offsets


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

    limit = tokenizer_limit(tokenizer)
    budget = check_budget(budget, limit - 2)
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
        warn_if_one_document(document_ids, name)
    content_ids, word_ids = tokenize_words(tokenizer, sentences)
    windows = context_windows(word_ids, document_ids, budget)
    offsets = sentence_offsets(word_ids, document_ids)
    documents = document_subwords(content_ids, document_ids)
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
