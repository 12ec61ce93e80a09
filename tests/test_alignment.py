"""nercourse.alignment, checked against brute-force references and with the real tokenizer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nercourse
from nercourse.alignment import (
    IGNORE_INDEX,
    TruncationWarning,
    align_labels_with_tokens,
    count_missing_words,
    inside_label_ids,
    tokenize_and_align,
    word_level_predictions,
)

NAMES = nercourse.LABEL_NAMES


def reference_align(word_labels, word_ids, all_subwords):
    """Brute force: a subword is a word's first when no earlier subword belongs to that word."""
    labels = []
    for i, word in enumerate(word_ids):
        if word is None:
            labels.append(IGNORE_INDEX)
        elif word not in word_ids[:i]:
            labels.append(word_labels[word])
        elif all_subwords:
            name = NAMES[word_labels[word]]
            labels.append(NAMES.index("I-" + name[2:]) if name.startswith("B-") else word_labels[word])
        else:
            labels.append(IGNORE_INDEX)
    return labels


def reference_words(subword_label_ids, word_ids, num_words, fill):
    result = []
    for word in range(num_words):
        positions = [i for i, w in enumerate(word_ids) if w == word]
        result.append(subword_label_ids[positions[0]] if positions else fill)
    return result


@st.composite
def sentences(draw):
    """Word labels and the word_ids a fast tokenizer would give: [CLS], 1-4 subwords per word
    (0 for words the tokenizer drops), [SEP], padding; optionally truncated."""
    labels = draw(st.lists(st.integers(0, len(NAMES) - 1), min_size=0, max_size=12))
    pieces = draw(st.lists(st.integers(0, 4), min_size=len(labels), max_size=len(labels)))
    word_ids = [w for w, n in enumerate(pieces) for _ in range(n)]
    cut = draw(st.integers(0, len(word_ids)))
    if draw(st.booleans()):
        word_ids = word_ids[:cut]
    return labels, [None, *word_ids, None] + [None] * draw(st.integers(0, 3))


@settings(max_examples=400, deadline=None)
@given(sentences(), st.booleans())
def test_alignment_matches_brute_force(sentence, all_subwords):
    labels, word_ids = sentence
    assert align_labels_with_tokens(labels, word_ids, all_subwords) == reference_align(labels, word_ids, all_subwords)


@settings(max_examples=400, deadline=None)
@given(sentences(), st.integers(0, len(NAMES) - 1), st.data())
def test_word_level_predictions_match_brute_force(sentence, fill, data):
    labels, word_ids = sentence
    predictions = data.draw(st.lists(st.integers(0, 8), min_size=len(word_ids), max_size=len(word_ids) + 5))
    expected = reference_words(predictions, word_ids, len(labels), fill)
    assert word_level_predictions(predictions, word_ids, len(labels), fill_label=fill) == expected
    missing = sum(1 for w in range(len(labels)) if w not in word_ids)
    assert count_missing_words(word_ids, len(labels)) == missing


def test_inside_labels_are_mapped_by_name_not_by_position():
    shuffled = ["I-LOC", "O", "B-LOC", "B-PER", "I-PER"]
    assert inside_label_ids(shuffled) == [0, 1, 0, 4, 4]
    assert align_labels_with_tokens([2, 3], [None, 0, 0, 1, 1, None], True, shuffled) == [-100, 2, 0, 3, 4, -100]
    with pytest.raises(ValueError, match="no matching 'I-ORG'"):
        inside_label_ids(["O", "B-ORG"])


def test_worked_example():
    # "Angela Merkel visited Wolfsburg ." -> [CLS] Angela Mer ##kel visited Wolf ##sburg . [SEP]
    labels = [NAMES.index(t) for t in ["B-PER", "I-PER", "O", "B-LOC", "O"]]
    word_ids = [None, 0, 1, 1, 2, 3, 3, 4, None]
    first = align_labels_with_tokens(labels, word_ids)
    assert [NAMES[i] if i >= 0 else i for i in first] == [-100, "B-PER", "I-PER", -100, "O", "B-LOC", -100, "O", -100]
    every = align_labels_with_tokens(labels, word_ids, all_subwords=True)
    assert [NAMES[i] if i >= 0 else i for i in every] == [
        -100,
        "B-PER",
        "I-PER",
        "I-PER",
        "O",
        "B-LOC",
        "I-LOC",
        "O",
        -100,
    ]


def test_round_trip_with_the_real_tokenizer(tiny_bert, mini_corpus):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    data = nercourse.load_conll2003(mini_corpus)["validation"]
    encoding = tokenizer(list(data["tokens"]), is_split_into_words=True)
    for i, labels in enumerate(data["ner_tags"]):
        word_ids = encoding.word_ids(i)
        for all_subwords in (False, True):
            aligned = align_labels_with_tokens(labels, word_ids, all_subwords)
            assert len(aligned) == len(word_ids)
            # the first subword carries the word's own label, so reading it back recovers the words' labels
            assert word_level_predictions(aligned, word_ids, len(labels)) == labels


def test_tokenize_and_align_reports_truncation(tiny_bert, mini_corpus):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    data = nercourse.load_conll2003(mini_corpus)["train"]
    max_length = 24
    encoding = tokenizer(list(data["tokens"]), is_split_into_words=True, truncation=True, max_length=max_length)
    lost = sum(count_missing_words(encoding.word_ids(i), len(t)) for i, t in enumerate(data["tokens"]))
    assert lost > 0
    with pytest.warns(TruncationWarning, match=rf"{lost:,} word\(s\) in"):
        tokenized = tokenize_and_align(data, tokenizer, max_length=max_length)
    assert max(len(ids) for ids in tokenized["input_ids"]) == max_length
    assert tokenized.column_names == ["input_ids", "token_type_ids", "attention_mask", "labels"]


def test_tokenize_and_align_without_truncation_is_silent(tiny_bert, mini_corpus, recwarn):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    tokenized = tokenize_and_align(nercourse.load_conll2003(mini_corpus), tokenizer, max_length=512)
    assert not [w for w in recwarn if issubclass(w.category, TruncationWarning)]
    first = tokenized["validation"][0]
    assert len(first["labels"]) == len(first["input_ids"])
