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


# An article pasted as one paragraph loses the line breaks that ended its headline, byline, dateline
# and table rows: what is left to find them by.
PARAGRAPH_SPLITS = [
    (  # headline (CoNLL ends it with a full stop), byline, dateline, body
        "SOCCER - JAPAN GET LUCKY WIN . Nadim Ladki AL-AIN , United Arab Emirates 1996-12-06 Japan began"
        " the defence of their Asian Cup title .",
        [
            "SOCCER - JAPAN GET LUCKY WIN .",
            "Nadim Ladki",
            "AL-AIN , United Arab Emirates 1996-12-06",
            "Japan began the defence of their Asian Cup title .",
        ],
    ),
    ("Robert Kitson NEW YORK 1996-12-06 Stocks fell.", ["Robert Kitson", "NEW YORK 1996-12-06", "Stocks fell ."]),
    (  # an all-caps headline without a full stop runs into the city: no boundary is guessed inside it
        "RUGBY UNION - CUTTITTA BACK FOR ITALY ROME 1996-12-06 Italy recalled him .",
        ["RUGBY UNION - CUTTITTA BACK FOR ITALY ROME 1996-12-06", "Italy recalled him ."],
    ),
    (  # table rows: a name after two numbers starts a row
        "Blackburn 16 2 7 7 16 21 13 Southampton 17 3 4 10 24 32 13 Coventry 16 1 7 8 13 30 10",
        ["Blackburn 16 2 7 7 16 21 13", "Southampton 17 3 4 10 24 32 13", "Coventry 16 1 7 8 13 30 10"],
    ),
    (  # a scorecard: an initial after a number starts a row
        "B. Young c Moin Khan b Waqar 5 C. Spearman c Moin Khan b Wasim 0 A. Parore c Ijaz Ahmad b Saqlain 37",
        ["B. Young c Moin Khan b Waqar 5", "C. Spearman c Moin Khan b Wasim 0", "A. Parore c Ijaz Ahmad b Saqlain 37"],
    ),
    (  # but a table that kept its line breaks has one row a line: a name after numbers is a column
        "Iran Sabr 19/11/96 9,000 Iran\nDeligst 20/11/96 5,500 Indonesia",
        ["Iran Sabr 19/11/96 9,000 Iran", "Deligst 20/11/96 5,500 Indonesia"],
    ),
    (  # a numbered list: each item starts a sentence, its number's dot ends none
        "Men : 1. Jesper Ronnback ( Sweden ) 25.76 points 2. Andrei Ivanov ( Russia ) 24.88 3. Ryan Johnson 24.57",
        [
            "Men :",
            "1. Jesper Ronnback ( Sweden ) 25.76 points",
            "2 . Andrei Ivanov ( Russia ) 24.88",
            "3 . Ryan Johnson 24.57",
        ],
    ),
    (  # a closing quote after a space still closes its quotation
        'He said : " It is over . " Then he left .',
        ['He said : " It is over . "', "Then he left ."],
    ),
    # and ordinary prose is cut as before: a number ending a sentence is not a list, one number is not a row
    ("The toll rose to 12. Police said 3 Britons died.", ["The toll rose to 12 .", "Police said 3 Britons died ."]),
    ("Japan 2 Syria 1 ( halftime 0-1 )", ["Japan 2 Syria 1 ( halftime 0-1 )"]),
    ('She said "Yes." "No," he said.', ['She said " Yes . "', '" No , " he said .']),
]


@pytest.mark.parametrize(("text", "expected"), PARAGRAPH_SPLITS)
def test_an_article_pasted_as_one_paragraph(text, expected):
    assert texts_of(split_sentences(text)) == expected


PARAGRAPH_PIECES = [
    *list('aB3 .,:\n"()-='),
    *[
        "U.S.",
        "Mr.",
        "...",
        "1996-08-30",
        "LONDON",
        "NEW YORK",
        "Ann Lee",
        "C.",
        "12",
        "2.",
        "1:19.53",
        " 3. ",
        " 4 . ",
    ],
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPH_PIECES), max_size=50))
def test_sentences_cover_the_text_in_order_without_overlap(pieces):
    text = "".join(pieces)
    sentences = split_sentences(text)
    assert [w for sentence in sentences for w in sentence] == split_words(text) and all(sentences)
    spans = [(sentence[0].start, sentence[-1].end) for sentence in sentences]
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:])), "in order, no overlap"
    bounds = [0, *(offset for span in spans for offset in span), len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]  # between, sentence, between, ..., between
    assert "".join(pieces) == text, "no character lost or repeated"
    assert not "".join(pieces[::2]).strip(), "only spaces lie between sentences"
    for sentence, (start, end) in zip(sentences, spans):
        assert all(start <= w.start and w.end <= end and text[w.start : w.end] == w.text for w in sentence)


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
