"""From a fine-tuned model to entities: raw text, long documents, many sentences, HTML.

Taught in notebooks 05 (one sentence) and 06 (long texts, many texts). The path is the one
training used, in reverse:

1. split text into sentences of words the way CoNLL-2003 was tokenized, keeping each word's
   character offsets (:func:`nercourse.words.split_sentences`): a model fine-tuned one sentence at a
   time sees one sentence at a time, so a pasted article scores like its sentences;
2. tokenize the words into subwords; a sentence longer than the model's limit (512 subwords for
   BERT) becomes overlapping windows, and each word takes its prediction from the window where
   it has the most context, so nothing is cut and nothing is counted twice;
3. run the model on batches of similar length (mixed precision on a GPU);
4. read one label per word from its first subword and group words into entities.

Ill-formed tag sequences are resolved by one rule, conlleval's (and seqeval's default mode): an
entity starts at B-X or at an I-X that does not continue an entity of type X, and continues over
I-X of the same type.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .data import tag_spans
from .errors import NerCourseError
from .words import Word, split_sentences, split_words

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
_AUTOCAST_DTYPES = {"bf16": "bfloat16", "fp16": "float16", "fp32": None}
# Lone surrogates (what Python makes of invalid UTF-8 with errors="surrogateescape") cannot reach the
# Rust tokenizer; for the model they are U+FFFD, an unknown character. Offsets come from the original text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _tokenize(tokenizer, sentences: list[list[str]]):
    """Content subwords (no [CLS]/[SEP]) of pre-split sentences, of any length.

    ``verbose=False`` silences the "Token indices sequence length is longer than the specified
    maximum" warning: NerTagger cuts long sentences into windows, so it does not apply here.
    """
    sentences = [[_SURROGATE.sub("\ufffd", word) for word in words] for words in sentences]
    return tokenizer(sentences, is_split_into_words=True, add_special_tokens=False, verbose=False)


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

    ``device`` and ``precision`` default to the course's choice (:func:`nercourse.select_device`,
    :func:`nercourse.precision_for`): bf16 or fp16 autocast on a GPU, fp32 on a CPU. ``batch_size``
    windows of similar length run together. ``max_length`` defaults to what both tokenizer and model
    allow; windows of long sentences overlap by ``stride``. With ``by_sentence`` (the default) a text
    of several sentences goes through the model one sentence at a time, as the model was trained;
    ``by_sentence=False`` runs the whole text as one word sequence (windows of several sentences).
    ``context_budget`` (default: the budget a model trained with document context saved in its config,
    else 0) makes :meth:`entities` and :meth:`tag_text` read each sentence of a text with its neighbours
    in that text, up to that many subwords, as such a model was trained (notebook 08); 0 reads each
    sentence alone. ``predict_words`` always takes its sentences one by one: they carry no document.
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
        by_sentence: bool = True,
        context_budget: int | None = None,
    ):
        import torch

        from .environment import precision_for, select_device
        from .modeling import model_label_names

        self.tokenizer = tokenizer
        self.by_sentence = bool(by_sentence)
        if context_budget is None:
            context_budget = getattr(model.config, "nercourse_context_budget", None) or 0
        if isinstance(context_budget, bool) or not isinstance(context_budget, int) or context_budget < 0:
            raise ValueError(f"context_budget must be a whole number of subwords, 0 or more, got {context_budget!r}")
        self.context_budget = context_budget
        self.label_names = model_label_names(model, label_names)
        self.device = torch.device(device or select_device())
        self.precision = precision or precision_for(self.device.type)
        if self.precision not in _AUTOCAST_DTYPES:
            raise NerCourseError(
                f"precision={self.precision!r} is not one the course knows.\n"
                f"  How to fix: pass one of {', '.join(_AUTOCAST_DTYPES)}, or leave it unset for this device's default."
            )
        self.model = model.to(self.device).eval()
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
        ):
            raise ValueError(
                f"batch_size must be a positive whole number (or None for the default), got {batch_size!r}"
            )
        self.batch_size = batch_size or (256 if self.device.type == "cuda" else 32)
        limits = [tokenizer.model_max_length, getattr(model.config, "max_position_embeddings", 512)]
        self.max_length = max_length or min(limit for limit in limits if limit)
        if self.max_length < 8:
            raise ValueError(f"max_length={self.max_length} leaves no room for words")
        self.stride = self.max_length // 4 if stride is None else stride
        if not 0 <= self.stride < self.max_length - 2:
            raise ValueError(f"stride must be between 0 and max_length - 3, got {self.stride}")
        if self.context_budget > self.max_length - 2:
            raise ValueError(
                f"context_budget={self.context_budget} does not fit the model's {self.max_length} subwords "
                f"([CLS] and [SEP] take two): pass at most {self.max_length - 2}"
            )

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
        encoding = _tokenize(self.tokenizer, sentences)
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
                with self._autocast():
                    logits = self.model(
                        input_ids=input_ids.to(self.device), attention_mask=attention.to(self.device)
                    ).logits
                probabilities = logits.float().softmax(-1).cpu().numpy()
                for r, i in enumerate(batch):
                    results[i] = probabilities[r, 1 : windows[i].end - windows[i].start + 1]
        return results

    def _autocast(self):
        """Autocast to bf16 or fp16 on this device's type (cuda, mps, cpu); fp32 runs as it is."""
        import torch

        dtype = _AUTOCAST_DTYPES[self.precision]
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=getattr(torch, dtype))

    # -- text -> entities

    def entities(self, text: str) -> list[Entity]:
        """Entities in one text, with character offsets (``text[e.start:e.end] == e.text``)."""
        return self.entities_batch([text])[0]

    def entities_batch(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities for many texts in one batched pass, in input order."""
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {i} must be a string, got {type(text).__name__}")
        pieces = self._pieces(texts)
        tags, scores = self._predict_pieces(pieces)
        result: list[list[Entity]] = [[] for _ in texts]
        for (index, words), piece_tags, piece_scores in zip(pieces, tags, scores):
            # entity by entity within each sentence: an entity never crosses a sentence boundary
            result[index].extend(entities_from_words(texts[index], words, piece_tags, piece_scores))
        return result

    def tag_text(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs for a text: the CoNLL view of a prediction."""
        pieces = self._pieces([text])
        tags, _ = self._predict_pieces(pieces)
        return [(w.text, tag) for (_, words), piece_tags in zip(pieces, tags) for w, tag in zip(words, piece_tags)]

    def _predict_pieces(self, pieces: list[tuple[int, list[Word]]]) -> tuple[list[list[str]], list[list[float]]]:
        """Tags and scores of each piece: alone, or with ``context_budget`` in the context of the other
        sentences of its text (each text one document)."""
        words = [[w.text for w in piece] for _, piece in pieces]
        if self.context_budget and self.by_sentence:
            from .context import predict_in_context

            return predict_in_context(self, words, [index for index, _ in pieces], self.context_budget)
        return self.predict_words(words)

    def _pieces(self, texts: Sequence[str]) -> list[tuple[int, list[Word]]]:
        """(text index, words) of what goes through the model: each sentence of each text, or each
        whole text with ``by_sentence=False``."""
        return [(i, sentence) for i, text in enumerate(texts) for sentence in self.sentences(text)]

    def sentences(self, text: str) -> list[list[Word]]:
        """The word sequences of ``text`` that go through the model on their own: its sentences
        (:func:`nercourse.split_sentences`), or the whole text with ``by_sentence=False``."""
        if not self.by_sentence:
            words = split_words(text)
            return [words] if words else []
        return split_sentences(text)


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
    become no subword (empty strings) belong to no window. Taught in notebook 06.
    """
    words = list(words)
    if not words:
        return []
    word_ids = _tokenize(tagger.tokenizer, [words]).word_ids(0)
    if not word_ids:
        return []
    spans = _windows(word_ids, tagger.max_length - 2, tagger.stride)
    return [(word_ids[start], word_ids[end - 1] + 1) for start, end in spans if end > start]
