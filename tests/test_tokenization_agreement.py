"""benchmarks/tokenization_agreement.py: CoNLL's tokens back as text (detokenize), and how often
nercourse.split_words splits that text into the same tokens (agreement)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nercourse.conll import read_conll_rows

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from tokenization_agreement import agreement, detokenize  # noqa: E402  (benchmarks/ is not a package)


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["EU", "rejects", "German", "call", "."], "EU rejects German call."),
        (
            ["(", "Reuters", ")", "Germany", "'s", "profit", "did", "n't", "rise", "3", "%"],
            "(Reuters) Germany's profit didn't rise 3%",
        ),
        (['"', "Yes", ",", '"', "he", "said", ":", '"', "no", '"', "."], '"Yes," he said: "no".'),
        (["the", "players", "'", "union", "'", "fund", "'"], "the players' union 'fund'"),
        (["paid", "$", "5", "and", "C$", "7.5", "for", "$", "signs"], "paid $5 and C$7.5 for $ signs"),
    ],
)
def test_detokenize_writes_text_as_typed(tokens, text):
    assert detokenize(tokens) == text


def test_agreement_counts_sentences_and_names_the_disagreements():
    sentences = [["John", "F", ".", "Kennedy", "won", "7-6(3)", "."], ["Acme", "Corp", "said", "2", "-", "1", "."]]
    spaced = agreement(sentences)
    assert (spaced.sentences, spaced.equal, spaced.share) == (2, 1, 0.5)
    assert dict(spaced.disagreements) == {"won 0-0(0) . => won 0-0 ( 0 ) .": 1}  # digits written as 0
    detokenized = agreement(sentences, detokenized=True)  # "John F. Kennedy won 7-6(3)." "Acme Corp said 2 - 1."
    assert detokenized.equal == 1
    assert dict(detokenized.disagreements) == {"John F . Kennedy => John F. Kennedy": 1}
    assert agreement([]).share == 1.0


@pytest.mark.parametrize("split", ["train", "validation", "test"])
@pytest.mark.parametrize("detokenized", [False, True], ids=["spaced", "detokenized"])
def test_split_words_gives_back_the_mini_corpus_tokens(mini_corpus, split, detokenized):
    sentences = [[columns[0] for _, columns in rows] for rows in read_conll_rows(Path(mini_corpus) / f"{split}.txt")]
    result = agreement(sentences, detokenized=detokenized)
    assert result.sentences == len(sentences) > 100
    assert result.share >= 0.995, result.disagreements.most_common(5)
