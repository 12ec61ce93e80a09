"""nercourse.context: sentences in their document context, for training and prediction; and the
document guess for copies of CoNLL-2003 without -DOCSTART- lines."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import nercourse
from nercourse import training
from nercourse.alignment import IGNORE_INDEX, tokenize_and_align
from nercourse.conll import document_ids, read_conll_sentences
from nercourse.context import context_examples
from nercourse.documents import document_runs, guess_document_ids
from nercourse.errors import NerCourseError
from nercourse.evaluation import evaluate_in_context
from nercourse.runner import predict_in_context, tokenize_words, word_probabilities_in_context
from nercourse.windows import context_windows, sentence_offsets


@pytest.fixture(scope="module")
def splits(mini_corpus):
    return nercourse.load_conll2003(str(mini_corpus))


@pytest.fixture(scope="module")
def tokenizer(tiny_bert):
    return nercourse.load_tokenizer(tiny_bert)


def encoded(tokenizer, dataset):
    return tokenize_words(tokenizer, [list(words) for words in dataset["tokens"]])


# ----------------------------------------------------------------------------------- windows


def test_windows_split_the_room_evenly_and_give_unused_room_to_the_other_side():
    lengths, documents = [3, 3, 3, 2], [0, 0, 0, 1]
    # middle sentence (3..6) with 4 subwords of room: 2 on each side
    assert context_windows(lengths, documents, 7)[1] == (1, 8)
    # an odd room: the right side gets the larger half
    assert context_windows(lengths, documents, 6)[1] == (2, 8)
    # first sentence: nothing on the left, so all the room goes right; last: all left
    assert context_windows(lengths, documents, 7)[0] == (0, 7)
    assert context_windows(lengths, documents, 7)[2] == (2, 9)
    # the second document is one sentence: the window is that sentence, whatever the budget
    assert context_windows(lengths, documents, 100)[3] == (0, 2)
    # budget 0, or no room left by the sentence: the sentence alone
    assert context_windows(lengths, documents, 0) == [(0, 3), (3, 6), (6, 9), (0, 2)]
    assert context_windows(lengths, documents, 3)[:3] == [(0, 3), (3, 6), (6, 9)]


def test_windows_are_cut_at_word_starts():
    # sentence 0: words of 1, 3 subwords; sentence 1: one word of 1; sentence 2: words of 2, 1
    word_ids = [[0, 1, 1, 1], [0], [0, 0, 1]]
    # target 1 is position 4 of 8. Budget 3: one subword each side, but position 3 is inside
    # word 1 and 5..6 is one word of two subwords: both edges move in, nothing is added
    assert context_windows(word_ids, [0, 0, 0], 3)[1] == (4, 5)
    # budget 4: 1 left (inside a word: dropped), 2 right (a whole word)
    assert context_windows(word_ids, [0, 0, 0], 4)[1] == (4, 7)
    # budget 6: 2 left would start inside word 1 -> dropped; 3 right reach the document's end
    assert context_windows(word_ids, [0, 0, 0], 6)[1] == (4, 8)
    # budget 8: the right side can use only 3 of its 4, the left takes the rest: the whole document
    assert context_windows(word_ids, [0, 0, 0], 8)[1] == (0, 8)


def test_windows_never_cross_documents_never_exceed_the_budget_and_hold_their_sentence(splits, tokenizer):
    for split in ("train", "test"):
        data = splits[split]
        _, word_ids = encoded(tokenizer, data)
        offsets = sentence_offsets(word_ids, data["document"])
        runs = document_runs(data["document"])
        for budget in (0, 7, 30, 64):
            for (document, start, end), (first, last) in zip(
                offsets, context_windows(word_ids, data["document"], budget)
            ):
                size = sum(len(word_ids[i]) for i in runs[document])
                assert 0 <= first <= start <= end <= last <= size
                assert last - first <= max(budget, end - start)


def test_a_big_budget_makes_every_window_its_whole_document(splits, tokenizer):
    data = splits["test"]
    _, word_ids = encoded(tokenizer, data)
    runs = document_runs(data["document"])
    assert len(runs) == 15
    sizes = [sum(len(word_ids[i]) for i in run) for run in runs]
    for (document, _, _), window in zip(
        sentence_offsets(word_ids, data["document"]), context_windows(word_ids, data["document"], max(sizes))
    ):
        assert window == (0, sizes[document])


def test_a_shuffled_split_is_refused_rather_than_losing_its_context(splits):
    with pytest.raises(NerCourseError, match="not consecutive"):
        document_runs(splits["test"].shuffle(seed=0)["document"])
    with pytest.raises(NerCourseError, match="whole number"):
        context_windows([3], [0], -1)


# ---------------------------------------------------------------------------------- examples


def test_only_target_subwords_carry_labels_and_they_are_the_sentence_labels(splits, tokenizer):
    data = splits["test"]
    content, word_ids = encoded(tokenizer, data)
    offsets = sentence_offsets(word_ids, data["document"])
    runs = document_runs(data["document"])
    documents = [[t for i in run for t in content[i]] for run in runs]
    for all_subwords in (False, True):
        sentence = tokenize_and_align(data, tokenizer, all_subwords=all_subwords)
        examples = context_examples(data, tokenizer, 48, all_subwords=all_subwords)
        assert examples.column_names == sentence.column_names
        windows = context_windows(word_ids, data["document"], 48)
        with_context = 0
        for i, example in enumerate(examples):
            (document, start, end), (first, last) = offsets[i], windows[i]
            assert example["input_ids"] == [
                tokenizer.cls_token_id,
                *documents[document][first:last],
                tokenizer.sep_token_id,
            ]
            labels = example["labels"]
            target = labels[1 + start - first : 1 + end - first]
            assert target == sentence[i]["labels"][1:-1]
            outside = labels[: 1 + start - first] + labels[1 + end - first :]
            assert set(outside) == {IGNORE_INDEX}
            assert example["attention_mask"] == [1] * len(labels) and set(example["token_type_ids"]) == {0}
            with_context += last - first > end - start
        assert with_context > len(data) // 2


def test_no_room_for_context_gives_the_sentence_level_examples(splits, tokenizer):
    data = splits["validation"]
    sentence = tokenize_and_align(data, tokenizer)
    assert context_examples(data, tokenizer, 0).to_list() == sentence.to_list()
    # a budget equal to a sentence's own length leaves that sentence no room either
    _, word_ids = encoded(tokenizer, data)
    for i in (0, 7, 42):
        example = context_examples(data, tokenizer, len(word_ids[i]), targets=[i])
        assert example[0] == sentence[i]


def test_targets_pick_the_examples_and_keep_the_full_split_as_context(splits, tokenizer):
    data = splits["test"]
    everything = context_examples(data, tokenizer, 40)
    targets = [100, 3, 57]
    assert context_examples(data, tokenizer, 40, targets=targets).to_list() == everything.select(targets).to_list()


def test_bad_input_is_explained(splits, tokenizer):
    data = splits["test"]
    with pytest.raises(NerCourseError, match="document"):
        context_examples(data.remove_columns("document"), tokenizer, 40)
    with pytest.raises(NerCourseError, match="at most"):
        context_examples(data, tokenizer, 10_000)
    with pytest.raises(NerCourseError, match="not consecutive"):
        context_examples(data.shuffle(seed=1), tokenizer, 40)


def test_subset_indices_are_the_sentences_subset_keeps(splits):
    for profile in ("smoke", "lite"):
        sampled = training.subset(splits, profile, seed=7)
        indices = training.subset_indices(splits, profile, seed=7)
        limits = {"train": nercourse.PROFILES[profile].max_train_sentences}
        for split in splits:
            assert [splits[split]["id"][i] for i in indices[split]] == sampled[split]["id"]
            limit = limits.get(split, nercourse.PROFILES[profile].max_eval_sentences)
            if limit is not None and limit < len(splits[split]):  # the seeded shuffle of datasets itself
                assert sampled[split]["id"] == splits[split].shuffle(seed=7).select(range(limit))["id"]
            else:
                assert sampled[split]["id"] == splits[split]["id"]
    assert training.subset_indices(splits, "smoke", seed=7) != training.subset_indices(splits, "smoke", seed=8)


# -------------------------------------------------------------------------------- prediction


def test_predict_in_context_tags_every_word_and_without_room_is_predict_words(tagger, splits):
    data = splits["test"]
    sentences, documents = list(data["tokens"]), list(data["document"])
    plain_tags, plain_scores = tagger.predict_words(sentences)
    assert predict_in_context(tagger, sentences, documents, 0) == (plain_tags, plain_scores)
    tags, scores = predict_in_context(tagger, sentences, documents, 48)
    assert [len(t) for t in tags] == [len(s) for s in scores] == [len(s) for s in sentences]
    assert all(tag in tagger.label_names for sentence in tags for tag in sentence)
    # the context is really used: some word's probabilities change
    assert scores != plain_scores


def test_each_sentence_is_predicted_from_its_own_window(tagger, splits):
    import torch

    data = splits["test"]
    sentences, documents = list(data["tokens"]), list(data["document"])
    content, word_ids = encoded(tagger.tokenizer, data)
    offsets = sentence_offsets(word_ids, documents)
    windows = context_windows(word_ids, documents, 40)
    runs = document_runs(documents)
    probabilities = word_probabilities_in_context(tagger, sentences, documents, 40)
    for i in (0, 5, 77, 149):
        (document, start, _), (first, last) = offsets[i], windows[i]
        ids = [t for j in runs[document] for t in content[j]][first:last]
        row = torch.tensor([[tagger.tokenizer.cls_token_id, *ids, tagger.tokenizer.sep_token_id]])
        with torch.inference_mode():
            expected = tagger.model(input_ids=row.to(tagger.device)).logits.float().softmax(-1)[0].cpu().numpy()
        first_subwords = [p for p, w in enumerate(word_ids[i]) if p == 0 or w != word_ids[i][p - 1]]
        np.testing.assert_allclose(
            probabilities[i], expected[[1 + start - first + p for p in first_subwords]], rtol=1e-4, atol=1e-5
        )


def test_evaluate_in_context_scores_every_word_of_the_split(tagger, splits):
    data = splits["validation"]
    scores, predictions = evaluate_in_context(tagger, data, 48)
    assert scores["words"] == sum(map(len, data["tokens"])) and len(predictions) == len(data)
    assert evaluate_in_context(tagger, data, 0)[0] == nercourse.evaluate_split(tagger, data)[0]
    with pytest.raises(NerCourseError, match="document"):
        evaluate_in_context(tagger, data.remove_columns("document"), 48)
    with pytest.raises(NerCourseError, match="at most"):
        predict_in_context(tagger, [["a"]], [0], tagger.max_length)


# ---------------------------------------------------------------------------------- training


@pytest.mark.slow
def test_train_with_context_runs_evaluates_in_context_and_records_the_budget(tiny_bert, mini_corpus, tmp_path):
    output = tmp_path / "context-model"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nercourse.quiet()
        trainer = nercourse.train(
            tiny_bert, str(output), data_dir=str(mini_corpus), profile="smoke", context_budget=32, disable_tqdm=True
        )
    profile = nercourse.PROFILES["smoke"]
    assert len(trainer.train_dataset) == profile.max_train_sentences
    assert len(trainer.eval_dataset) == profile.max_eval_sentences
    # the examples hold context: longer than their sentences, one labelled position per target word
    splits = nercourse.load_conll2003(str(mini_corpus))
    targets = training.subset_indices(splits, "smoke")["validation"]
    words = sum(len(splits["validation"]["tokens"][i]) for i in targets)
    assert sum(sum(label != IGNORE_INDEX for label in row) for row in trainer.eval_dataset["labels"]) == words
    sentence_level = tokenize_and_align(splits["validation"].select(targets), trainer.processing_class)
    assert sum(map(len, trainer.eval_dataset["input_ids"])) > sum(map(len, sentence_level["input_ids"]))
    for row, alone in zip(trainer.eval_dataset["input_ids"], sentence_level["input_ids"]):
        assert len(row) <= max(32 + 2, len(alone))  # a sentence longer than the budget gets no context
    assert any("eval_f1" in entry for entry in trainer.state.log_history)
    assert json.loads((Path(output) / "config.json").read_text())["nercourse_context_budget"] == 32


# ---------------------------------------------------------------------------- document guess

DATE = r"^\d{4}-\d\d-\d\d$"
ARTICLE_ONE = [
    ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
    ["Peter", "Blackburn"],
    ["BRUSSELS", "1996-08-22"],
    ["The", "European", "Commission", "said", "on", "Thursday", "it", "disagreed", "."],
    ["Germany", "'s", "representative", "said", "so", "."],
]
ARTICLE_TWO = [
    ["SOCCER", "-", "JAPANESE", "RESULTS", "."],
    ["AL-AIN", ",", "United", "Arab", "Emirates", "1996-12-06"],
    ["Japan", "began", "the", "defence", "of", "their", "title", "."],
    ["--", "Tokyo", "Newsroom", "+81", "3", "3432", "0400"],
]
ARTICLE_THREE = [  # no dateline: found from the sign-off that ends the article before
    ["USDA", "daily", "cattle", "and", "hog", "slaughter", "."],
    ["CATTLE", "CALVES", "HOGS"],
]
ARTICLE_FOUR = [
    ["Clinton", "pays", "visit", "to", "Mass", "."],
    ["governor", "has", "trouble", "winning", "home", "support", "."],
    ["[", "CORRECTED", "05:30", "GMT", "]"],
    ["LITTLE", "ROCK", ",", "Ark", "."],
    ["1996-08-23"],
    ["The", "governor", "said", "nothing", "."],
]


def test_guess_document_ids_on_hand_built_articles():
    articles = [ARTICLE_ONE, ARTICLE_TWO, ARTICLE_THREE, ARTICLE_FOUR]
    sentences = [sentence for article in articles for sentence in article]
    expected = [d for d, article in enumerate(articles) for _ in article]
    assert guess_document_ids(sentences) == expected
    assert guess_document_ids(ARTICLE_ONE) == [0] * len(ARTICLE_ONE)
    assert guess_document_ids([]) == []
    with_empty = [*ARTICLE_ONE[:3], [], *ARTICLE_ONE[3:], []]  # empty sentences are read, not tripped over
    assert guess_document_ids(with_empty) == [0] * len(with_empty)
    # a body sentence ending in a date is no dateline when it is long
    long = [
        "The",
        "deal",
        "was",
        "announced",
        "by",
        "the",
        "company",
        "in",
        "a",
        "statement",
        "on",
        "Monday",
        "1996-08-22",
    ]
    assert guess_document_ids([*ARTICLE_ONE, long]) == [0] * (len(ARTICLE_ONE) + 1)


def test_guess_document_ids_on_the_mini_corpus(mini_corpus):
    # The mini corpus is synthetic: some of its articles open with the dateline itself (no headline),
    # which the Reuters rule puts one sentence early. Every guessed boundary is a true one or one
    # sentence before a true one, and every article with a headline before its dateline is found.
    for split in ("train", "validation", "test"):
        path = mini_corpus / f"{split}.txt"
        sentences, _ = read_conll_sentences(path)
        true, guessed = document_ids(path), guess_document_ids(sentences)
        true_starts = {i for i in range(1, len(true)) if true[i] != true[i - 1]}
        guessed_starts = {i for i in range(1, len(guessed)) if guessed[i] != guessed[i - 1]}
        assert guessed_starts and all(b in true_starts or b + 1 in true_starts for b in guessed_starts)
        datelines = {i for i, words in enumerate(sentences) if len(words) <= 12 and re.match(DATE, words[-1])}
        headlined = {b for b in true_starts if b + 1 in datelines}
        assert headlined <= guessed_starts


def test_a_split_without_document_boundaries_is_said_to_be_one_document(tmp_path, tiny_bert, mini_corpus):
    from transformers import AutoTokenizer

    from nercourse.documents import OneDocumentWarning

    text = (mini_corpus / "test.txt").read_text(encoding="utf-8")
    no_docstart = tmp_path / "test.txt"
    no_docstart.write_text("\n".join(line for line in text.splitlines() if not line.startswith("-DOCSTART-")))
    flat = nercourse.read_conll(no_docstart)
    assert set(flat["document"]) == {0} and len(flat) > 100
    tokenizer = AutoTokenizer.from_pretrained(tiny_bert)
    with pytest.warns(OneDocumentWarning, match="no -DOCSTART- lines"):
        context_examples(flat, tokenizer, 32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OneDocumentWarning)
        context_examples(flat, tokenizer, 0)  # no context, nothing to say
        context_examples(nercourse.read_conll(mini_corpus / "test.txt"), tokenizer, 32)  # real documents
