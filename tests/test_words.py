"""nercourse.words: raw text -> CoNLL-2003 words with offsets."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nercourse
from nercourse.words import split_words


def texts(text: str) -> list[str]:
    return [w.text for w in split_words(text)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("EU rejects German call.", ["EU", "rejects", "German", "call", "."]),
        ("Germany's U.S. office (Reuters)", ["Germany", "'s", "U.S.", "office", "(", "Reuters", ")"]),
        ("Acme Corp. said it doesn't.", ["Acme", "Corp.", "said", "it", "does", "n't", "."]),
        ('"Berlin-based" O\'Neill paid 1,234.50', ['"', "Berlin-based", '"', "O'Neill", "paid", "1,234.50"]),
        ("AT&T and U.S.-based firms", ["AT&T", "and", "U.S.-based", "firms"]),
        ("Cafe\u0301 in 東京", ["Cafe\u0301", "in", "東京"]),
        ("Ber\u200blin\x00x\ty\r\nz \u200b Ber\u00adlin\u2060", ["Ber\u200blin", "x", "y", "z", "Ber\u00adlin"]),
        ("", []),
        (" \t\n ", []),
    ],
)
def test_split_words_conll_style(text, words):
    assert texts(text) == words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # initials: one word with their dot, also before a comma; a sentence's last dot stands alone
        ("John F. Kennedy met P. W. Botha", ["John", "F.", "Kennedy", "met", "P.", "W.", "Botha"]),
        ("named only as Anna K., 36, was", ["named", "only", "as", "Anna", "K.", ",", "36", ",", "was"]),
        ("They play in group C.", ["They", "play", "in", "group", "C", "."]),
        # ordinals, decades, scores, dates, times, fractions, signed numbers, percentages
        ("He was 78th, 2nd and 101st", ["He", "was", "78th", ",", "2nd", "and", "101st"]),
        ("in the 1980s", ["in", "the", "1980s"]),
        ("won 2-1 after 7-6 (7-3)", ["won", "2-1", "after", "7-6", "(", "7-3", ")"]),
        ("on 1996-08-23 at 12:30 or 2:29.34", ["on", "1996-08-23", "at", "12:30", "or", "2:29.34"]),
        ("1/2 point in 1996/97", ["1/2", "point", "in", "1996/97"]),
        ("rose +0.05 to 4.4% from -1.5", ["rose", "+0.05", "to", "4.4", "%", "from", "-", "1.5"]),
        ("averages .300 at bat", ["averages", ".300", "at", "bat"]),
        # numbers that end a sentence keep no dot; a number that starts a list line does
        ("founded in 1996.", ["founded", "in", "1996", "."]),
        ("1. Ann Smith\n10= Bo Li", ["1.", "Ann", "Smith", "10=", "Bo", "Li"]),
        ("Standings: 1. Ann Smith, 2. Bo Li", ["Standings", ":", "1.", "Ann", "Smith", ",", "2.", "Bo", "Li"]),
        # abbreviations: kept inside a text, the last dot of a text is a full stop
        ("Mr. Smith of Acme Inc. and St. Louis", ["Mr.", "Smith", "of", "Acme", "Inc.", "and", "St.", "Louis"]),
        ("ST. LOUIS vs. Boston", ["ST.", "LOUIS", "vs.", "Boston"]),
        ("shares of Acme Corp.", ["shares", "of", "Acme", "Corp", "."]),
        ("No. 3 seed, he said no.", ["No.", "3", "seed", ",", "he", "said", "no", "."]),
        ("Sacramento, Calif., on Oct. 3", ["Sacramento", ",", "Calif.", ",", "on", "Oct.", "3"]),
        ("at 10 a.m. in the U.S.", ["at", "10", "a.m.", "in", "the", "U.S."]),
        ("the U.S.. Then", ["the", "U.S.", ".", "Then"]),
        ("a U.S.-led, then-U.S. plan", ["a", "U.S.-led", ",", "then-U.S.", "plan"]),
        # clitics and possessives
        ("Germany's and GERMANY'S", ["Germany", "'s", "and", "GERMANY", "'S"]),
        ("I'm sure we'd go, they'll say", ["I", "'m", "sure", "we", "'d", "go", ",", "they", "'ll", "say"]),
        ("can't won't DON'T", ["ca", "n't", "wo", "n't", "DO", "N'T"]),
        ("the players' union", ["the", "players", "'", "union"]),
        ("O'Driscoll's d'affaires", ["O'Driscoll", "'s", "d'affaires"]),
        ("Germany’s", ["Germany", "’s"]),
        # quotes and brackets stand alone
        ("\"Yes,\" he said ('no').", ['"', "Yes", ",", '"', "he", "said", "(", "'", "no", "'", ")", "."]),
        ("“Berlin” [sic] {x}", ["“", "Berlin", "”", "[", "sic", "]", "{", "x", "}"]),
        # currency: the sign (with its country letters) apart from the amount
        ("$5.5 million or C$7 and US$ 2", ["$", "5.5", "million", "or", "C$", "7", "and", "US$", "2"]),
        # dashes, ellipses, hyphens
        ("Sydney -- the city...", ["Sydney", "--", "the", "city", "..."]),
        ("Berlin--Paris and pre- and post-war", ["Berlin", "--", "Paris", "and", "pre-", "and", "post-war"]),
        ("Berlin/Paris", ["Berlin", "/", "Paris"]),
        # URLs and e-mail addresses are one word without the full stop after them
        (
            "See https://example.org/a?b=1. Or www.example.com, mail j.doe@example.com.",
            ["See", "https://example.org/a?b=1", ".", "Or", "www.example.com", ",", "mail", "j.doe@example.com", "."],
        ),
        # zero-width characters, combining marks, emoji
        ("Ber\u200blin \u200bParis\u200b", ["Ber\u200blin", "Paris"]),
        ("Jose\u0301 Mu\u0308ller", ["Jose\u0301", "Mu\u0308ller"]),
        ("Berlin \ud800 Paris", ["Berlin", "\ud800", "Paris"]),  # a lone surrogate is a character like others
        ("Maria 👍🏽 met 👨‍👩‍👧 Jonas 🇵🇹.", ["Maria", "👍", "🏽", "met", "👨", "👩", "👧", "Jonas", "🇵", "🇹", "."]),
    ],
)
def test_split_words_follows_conll_2003(text, words):
    assert texts(text) == words


def check_offsets(text: str) -> None:
    words = split_words(text)
    position = 0
    for word in words:
        assert word.text and word.text == text[word.start : word.end]
        assert word.start >= position  # in order, no overlap
        gap = text[position : word.start]
        assert all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in gap), (text, gap)
        position = word.end
    assert all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in text[position:])


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=80))  # lone surrogates too
def test_split_words_offsets_always_slice_the_input(text):
    check_offsets(text)


PIECES = ["U.S.", "F.", "Corp.", "'s", "n't", "'", '"', "--", "...", "-", ".", ",", "1,000", "2-1", "C$", "$"]
PIECES += ["78th", "O'Neill", "a.m.", "No.", "+4", ".3", "=", "1.", "\u200b", "\u0301", "👍", "www.x.org", "é", "Ab"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", "", " ", "\n", "\t"])), max_size=30))
def test_split_words_offsets_hold_on_conll_like_text(pieces):
    check_offsets("".join(piece + space for piece, space in pieces))


def test_the_package_and_inference_export_the_same_functions():
    from nercourse import inference, words

    assert nercourse.split_words is inference.split_words is words.split_words
    assert nercourse.Word is inference.Word is words.Word
