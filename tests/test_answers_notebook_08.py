"""nercourse.answers.notebook_08: the expected answers of notebook 08's exercises are right."""

from __future__ import annotations

import pytest

import nercourse
from nercourse.answers import notebook_08 as answers


@pytest.fixture(scope="module")
def validation(mini_corpus):
    return nercourse.load_conll2003(str(mini_corpus))["validation"]


@pytest.fixture(scope="module")
def tokenizer(tiny_bert):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_bert)


def test_exercise_2_counts_the_subwords_around_each_target(validation, tokenizer):
    zero, small, large = answers.exercise_2(validation, tokenizer, [0, 16, 64])
    assert zero == 0.0  # no room: every example is its sentence
    assert 0 < small <= 16 and small < large <= 64
    # by hand for one example: its length minus the special tokens minus its own sentence
    examples = nercourse.context_examples(validation, tokenizer, 16)
    own = tokenizer(list(validation["tokens"]), is_split_into_words=True, add_special_tokens=False)["input_ids"]
    by_hand = [len(row) - 2 - len(mine) for row, mine in zip(examples["input_ids"], own, strict=True)]
    assert small == pytest.approx(sum(by_hand) / len(by_hand))


def test_exercise_3_the_same_labels_spread_over_more_positions(validation, tokenizer):
    examples = nercourse.context_examples(validation, tokenizer, 48)
    sentence_level = nercourse.tokenize_and_align(validation, tokenizer)
    with_context, alone = answers.exercise_3(examples, sentence_level)
    assert 0 < with_context < alone < 1
    labels = sum(len(words) for words in validation["tokens"])  # one label per word in both
    assert with_context == pytest.approx(labels / sum(map(len, examples["input_ids"])))
    assert alone == pytest.approx(labels / sum(map(len, sentence_level["input_ids"])))


def test_question_1_takes_only_the_count_once_answer(capsys):
    nercourse.check("a", answers.question_1())
    assert "Correct" in capsys.readouterr().out
    for wrong in "bcd":
        with pytest.raises(AssertionError) as raised:
            nercourse.check(wrong, answers.question_1())
        assert answers.question_1().why not in str(raised.value)
