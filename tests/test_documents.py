"""A pasted article goes through the model one sentence at a time, as a sentence-trained model was
trained: ``split_sentences`` finds the sentences (offsets kept), and ``NerTagger(by_sentence=True)``
tags a document exactly as it tags its sentences one by one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nercourse
from nercourse import NerTagger, split_sentences, split_words


def texts_of(sentences):
    return [" ".join(w.text for w in sentence) for sentence in sentences]


# ---------------------------------------------------------------------------- splitting sentences


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("aB3 .!?\n\"')(,-U.S") + ["U.S.", "Mr.", "...", "1996-08-30"]), max_size=40))
def test_every_word_is_in_exactly_one_sentence_in_order(pieces):
    text = "".join(pieces)
    sentences = split_sentences(text)
    assert [w for sentence in sentences for w in sentence] == split_words(text)
    assert all(sentences), "no sentence is empty"


SPLITS = [
    ("He left. She stayed.", ["He left .", "She stayed ."]),
    ("Is it? Yes! Fine...", ["Is it ?", "Yes !", "Fine ..."]),
    ("It cost 3.5 million. Then it fell.", ["It cost 3.5 million .", "Then it fell ."]),
    ("Mr. Smith met John F. Kennedy. Fine.", ["Mr. Smith met John F. Kennedy .", "Fine ."]),
    ("U.S. troops left the U.S.-led base.", ["U.S. troops left the U.S.-led base ."]),
    ('He said "no." Then he left.', ['He said " no . "', "Then he left ."]),
    ("(It rained.) Then sun.", ["( It rained . )", "Then sun ."]),
    ("It was late. and then it rained.", ["It was late . and then it rained ."]),  # lower case: no new sentence
    (
        "SOCCER - LEEDS WIN\nLONDON 1996-08-30\nLeeds won 2-1 .",
        ["SOCCER - LEEDS WIN", "LONDON 1996-08-30", "Leeds won 2-1 ."],
    ),
    ("LONDON 1996-08-30 Leeds won 2-1 .", ["LONDON 1996-08-30", "Leeds won 2-1 ."]),  # a dateline ends its line
    ("Table\r\n1. Ajax 20\r\n2. PSV 18", ["Table", "1. Ajax 20", "2. PSV 18"]),
    ("", []),
    ("no full stop at the end", ["no full stop at the end"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentence_boundaries(text, expected):
    sentences = split_sentences(text)
    assert texts_of(sentences) == expected
    for sentence in sentences:
        for word in sentence:
            assert text[word.start : word.end] == word.text


# ------------------------------------------------------------------------------- the mini corpus


@pytest.fixture(scope="module")
def documents(mini_corpus):
    """The mini corpus's test documents as lists of sentences (lists of tokens), read from the file."""
    found, document, sentence = [], [], []
    for line in (mini_corpus / "test.txt").read_text(encoding="utf-8").splitlines() + ["-DOCSTART-"]:
        token = line.split(" ")[0] if line.strip() else ""
        if token == "-DOCSTART-" or not token:
            if sentence:
                document.append(sentence)
                sentence = []
            if token == "-DOCSTART-" and document:
                found.append(document)
                document = []
        else:
            sentence.append(token)
    return found


@pytest.mark.parametrize("joiner", ["\n", " "])
def test_split_sentences_finds_the_mini_corpus_sentences(documents, joiner):
    found = sum(
        texts_of(split_sentences(joiner.join(" ".join(s) for s in document))) == [" ".join(s) for s in document]
        for document in documents
    )
    assert len(documents) >= 10 and found == len(documents) if joiner == "\n" else found >= len(documents) * 0.8


@pytest.fixture(scope="module")
def taggers(finetuned_tiny):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    return NerTagger(model, tokenizer, device="cpu"), NerTagger(model, tokenizer, device="cpu", by_sentence=False)


def test_a_document_is_tagged_exactly_as_its_sentences(documents, taggers):
    by_sentence, whole = taggers
    articles = ["\n".join(" ".join(s) for s in document) for document in documents]
    sentence_tags, _ = by_sentence.predict_words([s for document in documents for s in document])
    expected = [tag for tags in sentence_tags for tag in tags]
    got = [tag for article in articles for _, tag in by_sentence.tag_text(article)]
    assert got == expected

    # The test can fail: the same words run as whole documents see other words and give other probabilities.
    flat = [[w for s in document for w in s] for document in documents]
    one_by_one = np.concatenate(by_sentence.word_probabilities([s for document in documents for s in document]))
    as_documents = np.concatenate(whole.word_probabilities(flat))
    assert not np.allclose(one_by_one, as_documents, atol=1e-4)


def test_entities_never_cross_a_sentence_and_offsets_stay_exact(documents, taggers):
    by_sentence, _ = taggers
    articles = [" ".join(" ".join(s) for s in document) for document in documents]
    for article, entities in zip(articles, by_sentence.entities_batch(articles), strict=True):
        bounds = [(s[0].start, s[-1].end) for s in split_sentences(article)]
        for entity in entities:
            assert article[entity.start : entity.end] == entity.text
            assert any(start <= entity.start and entity.end <= end for start, end in bounds), entity


def test_by_sentence_false_runs_the_text_whole(taggers):
    by_sentence, whole = taggers
    text = "Peter went to Paris. Anna stayed in Rome."
    assert [len(s) for s in by_sentence.sentences(text)] == [5, 5]
    assert [len(s) for s in whole.sentences(text)] == [10]
    assert whole.sentences("") == [] and by_sentence.sentences("") == []
