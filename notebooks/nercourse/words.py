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
_QUOTES = frozenset("\"'")  # closing when they touch the full stop (."), or close an open " (. ")
_DATELINE = regex.compile(r"\d{4}-\d{2}-\d{2}")  # LONDON 1996-08-30: Reuters' dateline ends its line
# a number in a table: 12  1,973  .944  1:19.53  8-1-60-0  1/2  (not "2." of a list)
_NUMBER = regex.compile(r"[-+]?(?:\d+(?:[,.:/]\d+)*|\.\d+)(?:-\d+(?:[,.:/]\d+)*)*")
_INITIAL = regex.compile(r"\p{Lu}\.")
_LIST_NUMBER = regex.compile(r"(\d{1,3})\.?")  # 2 (its dot a word of its own) or 2. (after a colon)


def _can_start_sentence(word: Word) -> bool:
    return not word.text[:1].islower()


def _is_capitalized(word: Word) -> bool:
    return word.text[:1].isupper()


def split_sentences(text: str) -> list[list[Word]]:
    """Split raw text into sentences of CoNLL-2003 words (:func:`split_words`), offsets into ``text`` kept.

    A model fine-tuned on CoNLL-2003 saw one sentence at a time; a pasted article is many. A sentence
    ends at a line break, or after a full stop, ``!``, ``?`` or ``...`` (with the closing brackets and
    quotes that follow it) when the next word does not start with a lower-case letter. Abbreviations
    and initials that :func:`split_words` keeps whole ("U.S.", "Corp.", "F.") end nothing. Where an
    article lost its line breaks (pasted as one paragraph), what ended its lines is looked for too:
    a Reuters dateline ("LONDON 1996-08-30") is a sentence of its own, apart from the byline before it
    ("Nadim Ladki"); in a table, a capitalised word after two numbers, or an initial after one number,
    starts a row ("Blackburn 16 2 7 7 16 21 13 Southampton ...", "... b Wasim 0 C. Spearman ...");
    the items of a numbered list (1. ... 2. ... 3. ...) start sentences, and the dot after an item's
    number ends none. Every word of ``split_words(text)`` is in exactly one sentence, in order; no
    sentence is empty. Taught in notebook 06; ``benchmarks/sentence_splitter_benchmark.py`` measures
    it against pysbd and spaCy on CoNLL-2003's articles.
    """
    words = split_words(text)
    list_items = _list_items(words)
    starts = _punctuation_starts(text, words, {dot for _, dot in list_items if dot is not None})
    starts |= {number for number, _ in list_items} | _dateline_starts(words) | _table_row_starts(text, words)
    bounds = [0, *sorted(starts - {0}), len(words)]
    return [words[a:b] for a, b in zip(bounds, bounds[1:])] if words else []


def _closes_quotation(word: str, gap: str, quotes: int) -> bool:
    """Whether a quote right after a sentence's end closes it: it touches the full stop (."), or it is
    a double quote while a quotation is open (. " in CoNLL's spaced text)."""
    return word in _QUOTES and (not gap or word == '"' and quotes % 2 == 1)


def _punctuation_starts(text: str, words: list[Word], not_ends: set[int]) -> set[int]:
    """Indices of the words that start a sentence after a line break or a sentence's final punctuation
    (the words at ``not_ends`` end nothing), or after a dateline's date."""
    starts: set[int] = set()
    ended = False  # the words so far end a sentence, unless what follows says otherwise
    quotes = 0  # straight double quotes since the last line break: odd while a quotation is open
    for i, word in enumerate(words):
        if i:
            gap = text[words[i - 1].end : word.start]
            if "\n" in gap or "\r" in gap:
                ended, quotes = True, 0
            elif ended and (word.text in _CLOSING or _closes_quotation(word.text, gap, quotes)):
                quotes += word.text == '"'
                continue  # the quote or bracket closes the sentence that just ended
            elif ended and not _can_start_sentence(word):
                ended = False
            if ended:
                starts.add(i)
        quotes += word.text == '"'
        following = words[i + 1] if i + 1 < len(words) else None
        ended = (word.text in _SENTENCE_END and i not in not_ends) or bool(
            _DATELINE.fullmatch(word.text) and following is not None and _is_capitalized(following)
        )
    return starts


def _dateline_starts(words: list[Word]) -> set[int]:
    """Where a dateline ("AL-AIN , United Arab Emirates 1996-12-06") begins after a byline or a
    sentence in mixed case: at its city, one to three words in capitals. After a headline in capitals
    the city cannot be told from the headline, and no boundary is guessed."""
    starts = set()
    for i, word in enumerate(words):
        if not _DATELINE.fullmatch(word.text):
            continue
        j = i - 1  # back over the country or state: United Arab Emirates , Pakistan
        while (
            j >= 0
            and i - j <= 6
            and (words[j].text == "," or _is_capitalized(words[j]) and not words[j].text.isupper())
        ):
            j -= 1
        k = j  # back over the city in capitals: LONDON, NEW YORK, AL-AIN
        while k >= 0 and j - k < 3 and words[k].text.isupper():
            k -= 1
        if k < j and k >= 0 and any(c.islower() for c in words[k].text):
            starts.add(k + 1)
    return starts


def _table_row_starts(text: str, words: list[Word]) -> set[int]:
    """Where a table row begins in a table that lost its line breaks: a capitalised word after two
    numbers ("... 21 13 Southampton"), or an initial after a number ("... Wasim 0 C. Spearman"), where
    one line holds two such places or more (one is a column of a row: "19/11/96 9,000 Iran")."""
    candidates: dict[int, set[int]] = {}
    line = 0
    for i in range(1, len(words)):
        if any(c in text[words[i - 1].end : words[i].start] for c in "\n\r"):
            line += 1
        if not _NUMBER.fullmatch(words[i - 1].text):
            continue
        after_two = i >= 2 and _NUMBER.fullmatch(words[i - 2].text) and _is_capitalized(words[i])
        if after_two or _INITIAL.fullmatch(words[i].text):
            candidates.setdefault(line, set()).add(i)
    return {i for found in candidates.values() if len(found) >= 2 for i in found}


def _list_items(words: list[Word]) -> list[tuple[int, int | None]]:
    """The items of numbered lists, as (index of the number, index of its dot, None where the dot is
    part of the number): a number of one to three digits with a dot ("2 ." or "2.") before a
    capitalised word is an item when the item numbered one less came at most 40 words before it, or
    the item numbered one more comes at most 40 words after it ("rose to 12. Police said" is no item)."""
    found = []
    for i, word in enumerate(words):
        match = _LIST_NUMBER.fullmatch(word.text)
        if not match:
            continue
        if word.text.endswith("."):
            dot, after = None, i + 1
        elif i + 1 < len(words) and words[i + 1].text == "." and words[i + 1].start == word.end:
            dot, after = i + 1, i + 2
        else:
            continue
        if after < len(words) and _is_capitalized(words[after]):
            found.append((int(match.group(1)), i, dot))
    seen: dict[int, tuple[int, int | None]] = {}
    items = set()
    for value, i, dot in found:
        previous = seen.get(value - 1)
        if previous is not None and i - previous[0] <= 40:
            items |= {previous, (i, dot)}
        seen[value] = (i, dot)
    return sorted(items)
