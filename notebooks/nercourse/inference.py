"""From a fine-tuned model to entities: raw text, long documents, many sentences, HTML.

Taught in notebook 05. The path is the one training used, in reverse:

1. split text into words the way CoNLL-2003 was tokenized (punctuation apart), keeping each
   word's character offsets;
2. tokenize the words into subwords; a sentence longer than the model's limit (512 subwords for
   BERT) becomes overlapping windows, and each word takes its prediction from the window where
   it has the most context, so nothing is cut and nothing is counted twice;
3. run the model on batches of similar length (mixed precision on GPU);
4. read one label per word from its first subword and group words into entities.

Ill-formed tag sequences are resolved by one rule, conlleval's (and seqeval's default mode): an
entity starts at B-X or at an I-X that does not continue an entity of type X, and continues over
I-X of the same type.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .data import tag_spans

# --------------------------------------------------------------------------------------- words


@functools.cache
def _char_class(first_letters: tuple[str, ...]) -> str:
    """A regex character class of every code point whose Unicode category starts with one of
    ``first_letters`` (scanning the planes that hold letters, marks and format characters)."""
    ranges, start, previous = [], None, None
    code_points = [*range(0x20000), *range(0xE0000, 0xE0200)]
    for cp in code_points:
        if unicodedata.category(chr(cp)).startswith(first_letters):
            if start is None:
                start = cp
            elif cp != previous + 1:
                ranges.append((start, previous))
                start = cp
            previous = cp
    ranges.append((start, previous))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" if a != b else f"\\U{a:08x}" for a, b in ranges)


_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Corp|Ltd|Co|Bros|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Mt|No|vs|etc"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_CLITICS = "s|S|re|RE|ve|VE|ll|LL|d|D|m|M"


@functools.cache
def _word_pattern() -> re.Pattern:
    letter = rf"[\w{_char_class(('M',))}]"  # letters, digits and combining marks (é written as e + ´)
    # Format characters (zero-width space, soft hyphen, joiners) inside a word keep it whole, as
    # BERT's tokenizer deletes them ("Ber<ZWSP>lin" is one word to the model); elsewhere they, and
    # control characters, separate words like spaces.
    run = rf"{letter}(?:{letter}|[{_char_class(('Cf',))}]+(?={letter}))*"
    invisible = _char_class(("Cc", "Cf"))
    return re.compile(
        rf"""
          (?:[A-Za-z]\.){{2,}}(?:-{run})*                # U.S.  U.K.  U.S.-based
        | (?:{_ABBREVIATIONS})\.(?!\w)                  # Corp.  Mr.
        | \d+(?:[.,:/]\d+)*                             # 1,234.5  12:30
        | {run}(?=n['’]t\b)                             # do | n't
        | n['’]t\b
        | ['’](?:{_CLITICS})\b                          # Germany | 's
        | {run}(?:[-&]{run}|['’](?!(?:{_CLITICS})\b){run})*   # words, Berlin-based, O'Neill, AT&T
        | [^\s{invisible}]                              # any other character on its own: . , ( " emoji
        """,
        re.VERBOSE,
    )


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    """Split raw text into words the way CoNLL-2003 is tokenized, with character offsets.

    Punctuation, quotes and brackets stand apart, possessive 's and n't are split off, and
    "U.S.", "Corp.", "1,234.5", "Berlin-based" and "O'Neill" stay whole. Zero-width characters and
    soft hyphens inside a word stay in it (the tokenizer ignores them); between words they and
    control characters separate words like spaces. ``text[word.start:word.end] == word.text`` always.
    """
    return [Word(m.group(), m.start(), m.end()) for m in _word_pattern().finditer(text)]


# ------------------------------------------------------------------------------------ entities


@dataclass(frozen=True)
class Entity:
    """An entity found in text: ``text == source[start:end]``; ``score`` is the mean probability
    of its words' predicted tags."""

    type: str
    text: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


def entities_from_words(text: str, words: Sequence[Word], tags: Sequence[str], scores: Sequence[float]) -> list[Entity]:
    """Group tagged words into entities with character offsets into ``text``."""
    entities = []
    for kind, first, end in tag_spans(tags):
        start, stop = words[first].start, words[end - 1].end
        entities.append(Entity(kind, text[start:stop], start, stop, float(np.mean(scores[first:end]))))
    return entities


# ----------------------------------------------------------------------------------- the model


_FAR = 1 << 30


@dataclass
class _Window:
    sentence: int
    start: int  # content-subword offsets within the sentence, end exclusive
    end: int


def _windows(word_ids: Sequence[int | None], budget: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping (start, end) slices of a sentence's content subwords, each at most ``budget``
    long, cut at word starts where possible, consecutive windows sharing about ``stride`` subwords."""
    n = len(word_ids)
    if n <= budget:
        return [(0, n)]
    word_start = [i == 0 or word_ids[i] != word_ids[i - 1] for i in range(n)]

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


class NerTagger:
    """Predicts IOB2 tags for words and entities for text with a token-classification model.

    ``batch_size`` windows of similar length run together; on a GPU the forward pass uses the
    course's mixed precision (bf16 on compute capability >= 8, else fp16). ``max_length`` defaults
    to what both tokenizer and model allow; windows of long sentences overlap by ``stride``.
    """

    def __init__(
        self,
        model,
        tokenizer,
        *,
        label_names: Sequence[str] | None = None,
        batch_size: int | None = None,
        device: str | None = None,
        max_length: int | None = None,
        stride: int | None = None,
        precision: str | None = None,
    ):
        import torch

        from .modeling import model_label_names
        from .training import mixed_precision

        self.tokenizer = tokenizer
        self.label_names = model_label_names(model, label_names)
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model = model.to(self.device).eval()
        self.precision = precision or (mixed_precision() if self.device.type == "cuda" else "fp32")
        self.batch_size = batch_size or (256 if self.device.type == "cuda" else 32)
        limits = [tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", 512)]
        self.max_length = max_length or min(limit for limit in limits if limit)
        if self.max_length < 8:
            raise ValueError(f"max_length={self.max_length} leaves no room for words")
        self.stride = self.max_length // 4 if stride is None else stride
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"stride must be between 0 and max_length - 3, got {self.stride}")

    @classmethod
    def from_pretrained(cls, name_or_path: str, **kwargs) -> NerTagger:
        """Load a fine-tuned model folder (or Hub id) and its tokenizer."""
        from .modeling import load_finetuned

        model, tokenizer = load_finetuned(name_or_path, kwargs.pop("label_names", None))
        return cls(model, tokenizer, **kwargs)

    # -- words -> tags

    def word_probabilities(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """For each sentence, a (words, labels) array of probabilities read at each word's first
        subword, in input order. A word that becomes no subword at all (an empty string, only
        characters the tokenizer drops) has a row of zeros."""
        sentences = [list(words) for words in sentences]
        for i, words in enumerate(sentences):
            bad = [w for w in words if not isinstance(w, str)]
            if bad:
                raise TypeError(f"sentence {i}: words must be strings, got {bad[0]!r}")
        if not sentences:
            return []
        encoding = self.tokenizer(sentences, is_split_into_words=True, add_special_tokens=False)
        content_ids = encoding["input_ids"]
        word_ids = [encoding.word_ids(i) for i in range(len(sentences))]

        budget = self.max_length - 2  # room for [CLS] and [SEP]
        windows = [
            _Window(i, start, end)
            for i, ids in enumerate(word_ids)
            for start, end in _windows(ids, budget, self.stride)
            if end > start
        ]
        num_labels = len(self.label_names)
        probabilities_of = [np.zeros((len(ids), num_labels), dtype=np.float32) for ids in content_ids]
        context_of = [np.full(len(ids), -1, dtype=np.int64) for ids in content_ids]
        for window, probabilities in zip(windows, self._run(windows, content_ids)):
            positions = np.arange(window.start, window.end)
            # Context = subwords on the nearer side that the window shows; at the sentence's own
            # edges there is nothing more to show, so that side does not count.
            left = positions - window.start if window.start > 0 else np.full_like(positions, _FAR)
            at_end = window.end == len(content_ids[window.sentence])
            right = window.end - 1 - positions if not at_end else np.full_like(positions, _FAR)
            context = np.minimum(left, right)
            better = context > context_of[window.sentence][positions]
            probabilities_of[window.sentence][positions[better]] = probabilities[better]
            context_of[window.sentence][positions[better]] = context[better]

        result = []
        for words, ids, probabilities in zip(sentences, word_ids, probabilities_of):
            first = {}
            for position, word in enumerate(ids):
                if word is not None and word not in first:
                    first[word] = position
            rows = np.zeros((len(words), num_labels), dtype=np.float32)
            if first:
                rows[list(first)] = probabilities[list(first.values())]
            result.append(rows)
        return result

    def predict_words(self, sentences: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[list[float]]]:
        """Tags and their probabilities for pre-split sentences, in input order.

        Every word gets a tag. Words that become no subword at all (empty strings, characters the
        tokenizer drops) are tagged O with probability 0.
        """
        tags, scores = [], []
        for probabilities in self.word_probabilities(sentences):
            best = probabilities.argmax(-1)
            top = probabilities.max(-1) if len(probabilities) else np.zeros(0)
            tags.append([self.label_names[b] if p > 0 else "O" for b, p in zip(best, top)])
            scores.append([float(p) for p in top])
        return tags, scores

    def _run(self, windows: list[_Window], content_ids: list[list[int]]) -> list[np.ndarray]:
        """Label probabilities (subwords, labels) per window, in the order of ``windows``."""
        import torch

        cls_id, sep_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id
        pad_id = self.tokenizer.pad_token_id or 0
        order = sorted(range(len(windows)), key=lambda i: windows[i].end - windows[i].start, reverse=True)
        results: list = [None] * len(windows)
        dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.precision)
        with torch.inference_mode():
            for first in range(0, len(order), self.batch_size):
                batch = order[first : first + self.batch_size]
                rows = [
                    [cls_id, *content_ids[windows[i].sentence][windows[i].start : windows[i].end], sep_id]
                    for i in batch
                ]
                width = max(map(len, rows))
                input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
                attention = torch.zeros((len(rows), width), dtype=torch.long)
                for r, row in enumerate(rows):
                    input_ids[r, : len(row)] = torch.tensor(row)
                    attention[r, : len(row)] = 1
                with torch.autocast(self.device.type, dtype=dtype, enabled=dtype is not None):
                    logits = self.model(
                        input_ids=input_ids.to(self.device), attention_mask=attention.to(self.device)
                    ).logits
                probabilities = logits.float().softmax(-1).cpu().numpy()
                for r, i in enumerate(batch):
                    results[i] = probabilities[r, 1 : windows[i].end - windows[i].start + 1]
        return results

    # -- text -> entities

    def entities(self, text: str) -> list[Entity]:
        """Entities in one text, with character offsets (``text[e.start:e.end] == e.text``)."""
        return self.entities_batch([text])[0]

    def entities_batch(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities for many texts in one batched pass, in input order."""
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {i} must be a string, got {type(text).__name__}")
        words = [split_words(text) for text in texts]
        tags, scores = self.predict_words([[w.text for w in ws] for ws in words])
        return [entities_from_words(*args) for args in zip(texts, words, tags, scores)]

    def tag_text(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs for a text: the CoNLL view of a prediction."""
        words = split_words(text)
        tags, _ = self.predict_words([[w.text for w in words]])
        return list(zip((w.text for w in words), tags[0]))


# ---------------------------------------------------------------------------------------- HTML

ENTITY_COLOURS = {"PER": "#ffd6a5", "ORG": "#caffbf", "LOC": "#9bf6ff", "MISC": "#e0c3fc"}
_OTHER_COLOUR = "#fdffb6"


def entities_to_html(text: str, entities: Sequence[Entity]) -> str:
    """The text with each entity highlighted (a colour per type, type and score on hover).

    Everything from ``text`` is HTML-escaped, so markup in the input shows as text.
    """
    parts, position = [], 0
    for entity in sorted(entities, key=lambda e: e.start):
        if entity.start < position:
            continue  # overlapping entities cannot be drawn; the course never produces them
        parts.append(html.escape(text[position : entity.start]))
        colour = ENTITY_COLOURS.get(entity.type, _OTHER_COLOUR)
        parts.append(
            f'<mark style="background:{colour};padding:0 2px;border-radius:3px" '
            f'title="{html.escape(entity.type)} ({entity.score:.2f})">{html.escape(entity.text)}'
            f'<sub style="font-size:0.7em;font-weight:bold">{html.escape(entity.type)}</sub></mark>'
        )
        position = entity.end
    parts.append(html.escape(text[position:]))
    return '<div style="white-space:pre-wrap;line-height:1.8">' + "".join(parts) + "</div>"


# ------------------------------------------------------------------------------------- windows


def sentence_windows(tagger: NerTagger, words: Sequence[str]) -> list[tuple[int, int]]:
    """The windows ``tagger`` runs for one pre-split sentence (or document), as word ranges
    ``(first_word, end_word)``, end exclusive, in order; consecutive windows overlap.

    A sentence that fits ``tagger.max_length`` subwords (with [CLS] and [SEP]) is one window.
    Windows are cut at word starts, so a word appears whole in every window that holds it; only
    a single word longer than a whole window is cut, and then sits in two windows. Words that
    become no subword (empty strings) belong to no window. Taught in notebook 05.
    """
    words = list(words)
    if not words:
        return []
    word_ids = tagger.tokenizer(words, is_split_into_words=True, add_special_tokens=False).word_ids()
    if not word_ids:
        return []
    spans = _windows(word_ids, tagger.max_length - 2, tagger.stride)
    return [(word_ids[start], word_ids[end - 1] + 1) for start, end in spans if end > start]
