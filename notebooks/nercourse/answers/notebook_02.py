"""Expected answers of notebook 02's exercises (02_wordpiece_alignment.ipynb), computed with the
notebook's own tokenizer, so they hold for bert-base-cased, for MiniLM and for the tiny smoke model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..alignment import IGNORE_INDEX, align_labels_with_tokens, tokenize_and_align
from ..exercises import Choice
from ..labels import LABEL_NAMES


def question_1() -> Choice:
    return Choice(
        right="c",
        why=(
            "Predictions are read back at each word's first subword only (nercourse.word_level_predictions), "
            "so what the model outputs at later subwords is never used, for scores or for entities. (a): names "
            "are split often (exercise 2 shows some); (b): -100 only removes positions from the loss, it copies "
            "nothing; (d): attention sees every subword, ## pieces included, and the model outputs a vector for each."
        ),
    )


def exercise_2(tokenizer, words: Sequence[str]) -> list[str]:
    """The words that ``tokenizer`` splits into more than one subword, in sentence order."""
    word_ids = tokenizer(list(words), is_split_into_words=True).word_ids()
    pieces = Counter(word for word in word_ids if word is not None)
    return [word for i, word in enumerate(words) if pieces[i] > 1]


def exercise_3(tags: Sequence[str], word_ids: Sequence[int | None]) -> list[int]:
    """The all-subwords label ids of a sentence with word tags ``tags`` and these ``word_ids``."""
    return align_labels_with_tokens([LABEL_NAMES.index(tag) for tag in tags], list(word_ids), all_subwords=True)


def exercise_4(raw, tokenizer) -> dict[str, int]:
    """Labels that count (not -100) in the validation split, with first-subword and with all-subword labels."""
    counts = {}
    for name, all_subwords in (("first subword", False), ("all subwords", True)):
        tokenized = tokenize_and_align(raw["validation"], tokenizer, all_subwords=all_subwords, name="validation")
        counts[name] = sum(label != IGNORE_INDEX for labels in tokenized["labels"] for label in labels)
    return counts


def exercise_5(raw, tokenizer) -> float:
    """The share of the validation split's words that ``tokenizer`` splits into several subwords."""
    encoding = tokenizer(list(raw["validation"]["tokens"]), is_split_into_words=True)
    words = split_words = 0
    for i in range(len(raw["validation"])):
        pieces = Counter(word for word in encoding.word_ids(i) if word is not None)
        words += len(pieces)
        split_words += sum(n > 1 for n in pieces.values())
    return split_words / words
