"""Raw text -> words the way CoNLL-2003 tokenized them, with character offsets.

Taught in notebook 05. A model fine-tuned on CoNLL-2003 saw its words: punctuation apart, ``'s`` and
``n't`` split off, and hyphenated words, numbers, scores, dates, initials and abbreviations whole
("John F. Kennedy", "U.S.-led", "2-1", "1996-08-23", "1,234.5", "78th", "C$", "Corp."). Text split
differently is text the model never saw: ``benchmarks/tokenization_agreement.py`` measures how often
:func:`split_words` gives back CoNLL-2003's own tokens.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

# Abbreviations that keep their full stop inside a text (also written in capitals: "ST."). At the end
# of a text the dot ends the sentence instead: CoNLL writes "Corp ." there.
_ABBREVIATIONS = frozenset(
    (
        "Mr Mrs Ms Dr Prof St Mt Ft Jr Sr Rev Gen Gov Sen Rep Lt Col Sgt Capt Cpl Adm Messrs"
        " Inc Corp Ltd Co Cos Bros Plc Dept Univ Ave Blvd vs vol approx etc"
        " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
        # US states as Reuters abbreviates them ("Calif.", "Fla."), not those that are words (Mass, Ill)
        " Ala Ariz Ark Calif Colo Conn Del Fla Ga Kan Ky La Md Mich Minn Mo Mont Neb Nev Okla Pa Tenn Tex Va Vt Wis Wyo"
    ).split()
)
# Abbreviations that keep their dot only before a number ("No. 3"; "said no." ends a sentence).
_NUMBER_ABBREVIATIONS = frozenset(("No", "no", "Nos", "nos", "Nr", "nr"))
_CLITICS = "s|S|re|RE|ve|VE|ll|LL|d|D|m|M"

_LETTER = r"[\p{L}\p{N}\p{M}_]"  # letters, digits, _ and combining marks (é written as e + ´)
# Format characters (zero-width space, soft hyphen, joiners) inside a word keep it whole, as BERT's
# tokenizer deletes them ("Ber<ZWSP>lin" is one word to the model); elsewhere they, and control
# characters, separate words like spaces.
_RUN = rf"{_LETTER}(?:{_LETTER}|\p{{Cf}}+(?={_LETTER}))*"
_HYPHEN = r"[-\u2010\u2011]"
# What joins two runs into one word: Berlin-based  2-1  1996-08-23  U.S.-led  1,000  12:30  1/2  U.S
# AT&T  a@b.com  Tel+44  O'Neill (but not Germany's: 's is a word of its own). Two hyphens are a dash
# ("Berlin--Paris" is three words), and a slash joins only numbers ("Berlin/Paris" is three words).
_JOINER = rf"""(?:
      \.?{_HYPHEN}(?!{_HYPHEN})
    | (?<=\d)[,:/\u2013](?=\d)
    | [.&@+=]
    | ['’](?!(?:{_CLITICS})(?!{_LETTER}))
    )"""

# "U.S.." ends a sentence after U.S.: the first dot is the abbreviation's
_DOTTED_END = r"(?<=(?<![\p{L}\p{N}])(?:\p{L}{1,2}\.)+\p{L}{1,2})\.(?=\.(?!\.))"


@functools.cache
def _word_pattern() -> regex.Pattern:
    # +44 and .300 (a batting average) are numbers; AA+ and BBB- are credit ratings.
    word = rf"(?:[+.](?=\d))?{_RUN}(?:{_JOINER}{_RUN})*(?:(?<=\p{{Lu}})\++(?!{_LETTER}))?"
    return regex.compile(
        rf"""
          (?P<url>(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]}}'’”])  # a URL without the full stop after it
        | (?<![\p{{L}}\p{{N}}])\p{{Lu}}{{1,3}}\$              # C$  US$  HK$ (the amount is a word of its own)
        | {_RUN}(?=[nN]['’][tT](?!{_LETTER}))                # do | n't,  ca | n't,  DO | N'T
        | [nN]['’][tT](?!{_LETTER})
        | ['’](?:{_CLITICS})(?!{_LETTER})                    # Germany | 's
        | (?<=^\h*)\d+[.=](?=\h+\S)                        # 1. and 10= (a tie) number the lines of a list,
        | (?<=[:;,]\h+)\d{{1,3}}\.(?=\h+\p{{Lu}})               # or the items after a colon: 1. Ann, 2. Bo
        | (?P<word>{word}(?:\.(?!\.)|{_DOTTED_END}|{_HYPHEN}(?!{_LETTER}|{_HYPHEN}))?)  # a dot or hyphen after a word
        | -{{2,}} | \.{{2,}} | \*{{2,}}                         # --  ...  **
        | [^\s\p{{Cc}}\p{{Cf}}]                               # any other character on its own: . , ( " emoji
        """,
        regex.VERBOSE | regex.MULTILINE,
    )


_DOTTED = regex.compile(r"(?:\p{L}{1,2}\.)+\p{L}{1,2}")  # U.S  a.m  Ph.D: the last dot belongs to them
_TEXT_END = regex.compile(r"""[\s"'’”»)\]}]*\Z""")  # nothing but closing quotes and brackets follow


def _keeps_dot(text: str, start: int, end: int) -> bool:
    """Whether the full stop ending ``text[start:end]`` belongs to the word (an initial, an
    abbreviation) rather than ending a sentence."""
    stem = text[start : end - 1]
    last = regex.split(_HYPHEN, stem)[-1]  # "U.N" in "Iraq-U.N.", "U.S" in "then-U.S."
    if _DOTTED.fullmatch(last):
        return True
    if _TEXT_END.match(text, end):
        return False
    if last in _ABBREVIATIONS or last.title() in _ABBREVIATIONS and last.isupper():
        return True
    if len(last) == 1 and last.isupper():  # John F. Kennedy
        return True
    return last in _NUMBER_ABBREVIATIONS and bool(regex.match(r"\s*\d", text[end:]))


@dataclass(frozen=True)
class Word:
    """A word of a text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    """Split raw text into words the way CoNLL-2003 is tokenized, with character offsets.

    Punctuation, quotes and brackets stand apart, possessive 's and n't are split off, and
    "U.S.", "Corp.", "F." (an initial), "1,234.5", "2-1", "78th", "Berlin-based" and "O'Neill" stay
    whole. A sentence's final full stop is a word of its own. Zero-width characters and soft hyphens
    inside a word stay in it (the tokenizer ignores them); between words they and control characters
    separate words like spaces. ``text[word.start:word.end] == word.text`` always; words are in order
    and do not overlap.
    """
    words = []
    for match in _word_pattern().finditer(text):
        start, end = match.span()
        if match.group("word") and text[end - 1] == "." and not _keeps_dot(text, start, end):
            words.append(Word(text[start : end - 1], start, end - 1))
            words.append(Word(".", end - 1, end))
        else:
            words.append(Word(match.group(), start, end))
    return words


# -------------------------------------------------------------------------------- sentences

_SENTENCE_END = frozenset((".", "!", "?", "...", "…"))
_CLOSING = frozenset(")]}”’»")  # always belong to the sentence they close
_QUOTES = frozenset("\"'")  # closing only when they touch the full stop: ."  but not . "Next
_DATELINE = regex.compile(r"\d{4}-\d{2}-\d{2}")  # LONDON 1996-08-30: Reuters' dateline ends its line


def _can_start_sentence(word: Word) -> bool:
    return not word.text[:1].islower()


def split_sentences(text: str) -> list[list[Word]]:
    """Split raw text into sentences of CoNLL-2003 words (:func:`split_words`), offsets into ``text`` kept.

    A model fine-tuned on CoNLL-2003 saw one sentence at a time; a pasted article is many. A sentence
    ends at a line break, or after a full stop, ``!``, ``?`` or ``...`` (with the closing brackets and
    quotes that follow it) when the next word does not start with a lower-case letter, or after a
    Reuters dateline date ("LONDON 1996-08-30") followed by a capital. Abbreviations and initials that
    :func:`split_words` keeps whole ("U.S.", "Corp.", "F.") end nothing. Every word of
    ``split_words(text)`` is in exactly one sentence, in order; no sentence is empty. Taught in notebook 06.
    """
    words = split_words(text)
    sentences: list[list[Word]] = []
    current: list[Word] = []
    ended = False  # the words so far end a sentence, unless what follows says otherwise
    for i, word in enumerate(words):
        if current:
            gap = text[current[-1].end : word.start]
            if "\n" in gap or "\r" in gap:
                ended = True
            elif ended and (word.text in _CLOSING or (word.text in _QUOTES and not gap)):
                current.append(word)  # the quote or bracket closes the sentence that just ended
                continue
            elif ended and not _can_start_sentence(word):
                ended = False
            if ended:
                sentences.append(current)
                current = []
        current.append(word)
        following = words[i + 1] if i + 1 < len(words) else None
        ended = word.text in _SENTENCE_END or bool(
            _DATELINE.fullmatch(word.text) and following is not None and following.text[:1].isupper()
        )
    if current:
        sentences.append(current)
    return sentences
