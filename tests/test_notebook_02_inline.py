"""The label alignment written inline in notebook 02 is the helper's, on real tokenizations and on
random ones, and the notebook's ``Dataset.map(batched=True)`` over a whole corpus gives what
``nercourse.tokenize_and_align`` gives: the notebook teaches exactly what the helpers do."""

from __future__ import annotations

import functools
from pathlib import Path

from helpers import tagged_source
from hypothesis import given, settings
from hypothesis import strategies as st

import nercourse

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02_wordpiece_alignment.ipynb"
TAG = "inline-alignment"
MAP_TAG = "inline-tokenize"
NAMES = nercourse.LABEL_NAMES


def tagged_cell(tag: str) -> str:
    return tagged_source(NOTEBOOK.name, tag)


@functools.cache
def inline_alignment():
    """``align_labels_inline`` from the notebook's cell tagged ``inline-alignment``, run with only
    ``nercourse`` in its globals."""
    namespace = {"nercourse": nercourse}
    exec(compile(tagged_cell(TAG), f"{NOTEBOOK.name}[{TAG}]", "exec"), namespace)
    defined = set(namespace) - {"nercourse", "__builtins__"}
    assert defined == {"align_labels_inline"}, f"the {TAG!r} cell must define align_labels_inline only, not {defined}"
    return namespace["align_labels_inline"]


def assert_same(word_labels, word_ids):
    align = inline_alignment()
    for all_subwords in (False, True):
        expected = nercourse.align_labels_with_tokens(word_labels, word_ids, all_subwords)
        assert align(list(word_labels), list(word_ids), all_subwords) == expected, (word_labels, word_ids, all_subwords)


def test_inline_alignment_matches_helper_on_the_mini_corpus(tiny_bert, mini_corpus):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    corpus = nercourse.load_conll2003(mini_corpus)
    sentences = b_words_split = 0
    for split in corpus.values():
        encoding = tokenizer(list(split["tokens"]), is_split_into_words=True)
        for i, word_labels in enumerate(split["ner_tags"]):
            word_ids = encoding.word_ids(i)
            assert_same(word_labels, word_ids)
            sentences += 1
            pieces = [w for w in word_ids if w is not None]
            b_words_split += sum(
                1 for w in set(pieces) if NAMES[word_labels[w]].startswith("B-") and pieces.count(w) > 1
            )
    assert sentences == sum(len(split) for split in corpus.values())
    assert b_words_split > 0, "the mini corpus must exercise B- words split into several subwords"


@st.composite
def tokenized_sentences(draw):
    """Word labels and word_ids as a fast tokenizer gives them: None for [CLS] and [SEP] at both ends,
    word indices in order, 1-4 subwords per word."""
    word_labels = draw(st.lists(st.integers(0, len(NAMES) - 1), max_size=15))
    pieces = draw(st.lists(st.integers(1, 4), min_size=len(word_labels), max_size=len(word_labels)))
    word_ids = [None] + [word for word, n in enumerate(pieces) for _ in range(n)] + [None]
    return word_labels, word_ids


@settings(max_examples=500, deadline=None)
@given(tokenized_sentences())
def test_inline_alignment_matches_helper_on_random_sentences(sentence):
    assert_same(*sentence)


def test_inline_dataset_map_matches_tokenize_and_align_on_the_mini_corpus(tiny_bert, mini_corpus):
    """The notebook's cells tagged ``inline-alignment`` and ``inline-tokenize``, run with the tiny
    tokenizer and the mini corpus, build the same tokenized DatasetDict as the helper, both ways."""
    nercourse.quiet()
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    raw = nercourse.load_conll2003(mini_corpus)
    namespace = {"nercourse": nercourse, "tokenizer": tokenizer, "raw": raw, "align_labels_inline": inline_alignment()}
    exec(compile(tagged_cell(MAP_TAG), f"{NOTEBOOK.name}[{MAP_TAG}]", "exec"), namespace)
    defined = set(namespace) - {"nercourse", "tokenizer", "raw", "align_labels_inline", "__builtins__"}
    assert defined == {"tokenize_and_align_inline", "tokenized_inline"}, defined

    for all_subwords in (False, True):
        if all_subwords:
            inline = raw.map(
                functools.partial(namespace["tokenize_and_align_inline"], all_subwords=True),
                batched=True,
                remove_columns=raw["train"].column_names,
            )
        else:
            inline = namespace["tokenized_inline"]
        helper = nercourse.tokenize_and_align(raw, tokenizer, all_subwords=all_subwords)
        assert sorted(inline) == sorted(helper) == ["test", "train", "validation"]
        for split in helper:
            assert inline[split].column_names == helper[split].column_names, (split, all_subwords)
            for column in helper[split].column_names:
                assert list(inline[split][column]) == list(helper[split][column]), (split, column, all_subwords)
        assert "labels" in helper["train"].column_names and len(helper["train"]) == len(raw["train"])
