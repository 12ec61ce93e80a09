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

Steps 2 to 4, up to one tag per word, are :class:`nercourse.runner.ModelRunner`'s; :class:`NerTagger`
is a runner that adds step 1, the grouping into entities, and entities as HTML.

Ill-formed tag sequences are resolved by one rule, conlleval's (and seqeval's default mode): an
entity starts at B-X or at an I-X that does not continue an entity of type X, and continues over
I-X of the same type.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .labels import tag_spans
from .modeling import load_finetuned
from .runner import ModelRunner, predict_in_context
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


class NerTagger(ModelRunner):
    """Predicts IOB2 tags for words and entities for text with a token-classification model.

    ``options`` are :class:`nercourse.runner.ModelRunner`'s: ``label_names``, ``batch_size``, ``device``,
    ``max_length``, ``stride`` and ``precision``.
    With ``by_sentence`` (the default) a text of several sentences goes through the model one
    sentence at a time, as the model was trained; ``by_sentence=False`` runs the whole text as one
    word sequence (windows of several sentences). ``context_budget`` (default: the budget a model
    trained with document context saved in its config, else 0) makes :meth:`entities` and
    :meth:`tag_text` read each sentence of a text with its neighbours in that text, up to that many
    subwords, as such a model was trained (notebook 08); 0 reads each sentence alone.
    ``predict_words`` always takes its sentences one by one: they carry no document.
    """

    def __init__(self, model, tokenizer, *, by_sentence: bool = True, context_budget: int | None = None, **options):
        self.by_sentence = bool(by_sentence)
        if context_budget is None:
            context_budget = getattr(model.config, "nercourse_context_budget", None) or 0
        if isinstance(context_budget, bool) or not isinstance(context_budget, int) or context_budget < 0:
            raise ValueError(f"context_budget must be a whole number of subwords, 0 or more, got {context_budget!r}")
        self.context_budget = context_budget
        super().__init__(model, tokenizer, **options)
        if self.context_budget > self.max_length - 2:
            raise ValueError(
                f"context_budget={self.context_budget} does not fit the model's {self.max_length} subwords "
                f"([CLS] and [SEP] take two): pass at most {self.max_length - 2}"
            )

    @classmethod
    def from_pretrained(cls, name_or_path: str, **kwargs) -> NerTagger:
        """Load a fine-tuned model folder (or Hub id) and its tokenizer."""
        model, tokenizer = load_finetuned(name_or_path, kwargs.pop("label_names", None))
        return cls(model, tokenizer, **kwargs)

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
        tags, scores = self.predict_pieces(pieces)
        result: list[list[Entity]] = [[] for _ in texts]
        for (index, words), piece_tags, piece_scores in zip(pieces, tags, scores):
            # entity by entity within each sentence: an entity never crosses a sentence boundary
            result[index].extend(entities_from_words(texts[index], words, piece_tags, piece_scores))
        return result

    def tag_text(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs for a text: the CoNLL view of a prediction."""
        pieces = self._pieces([text])
        tags, _ = self.predict_pieces(pieces)
        return [(w.text, tag) for (_, words), piece_tags in zip(pieces, tags) for w, tag in zip(words, piece_tags)]

    def predict_pieces(self, pieces: Sequence[tuple[int, Sequence[Word]]]) -> tuple[list[list[str]], list[list[float]]]:
        """Tags and scores of each piece, a ``(text index, words)`` pair such as :meth:`sentences` makes of
        each text: alone, or with ``context_budget`` in the context of the other pieces of its text (each
        text one document)."""
        words = [[w.text for w in piece] for _, piece in pieces]
        if self.context_budget and self.by_sentence:
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
