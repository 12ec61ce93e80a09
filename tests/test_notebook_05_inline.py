"""The raw forward pass and the pipeline cell written inline in notebook 05 give, on the mini
corpus, the word tags ``NerTagger`` gives: the notebook teaches exactly what the helper does."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers import tagged_source
from transformers import pipeline

import nercourse
from nercourse.modeling import load_model_for_training

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_inference.ipynb"
FORWARD_TAG = "inline-forward-pass"
PIPELINE_TAG = "inline-pipeline"


def tagged_cell(tag: str) -> str:
    return tagged_source(NOTEBOOK.name, tag)


def defined_by(tag: str, namespace: dict, name: str):
    """Run the tagged cell in ``namespace`` and return the one function it must define."""
    before = set(namespace)
    exec(compile(tagged_cell(tag), f"{NOTEBOOK.name}[{tag}]", "exec"), namespace)
    defined = set(namespace) - before - {"__builtins__"}
    assert defined == {name}, f"the {tag!r} cell must define {name} only, not {defined}"
    return namespace[name]


@pytest.fixture(scope="module")
def setup(tiny_bert, mini_corpus):
    torch.manual_seed(0)
    model = load_model_for_training(tiny_bert).eval()  # random head: tags are noise, but many kinds of them
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    tagger = nercourse.NerTagger(model, tokenizer, device="cpu", precision="fp32")
    sentences = [list(s) for split in nercourse.load_conll2003(mini_corpus).values() for s in split["tokens"]]
    return model, tokenizer, tagger, sentences[:120]


def test_the_forward_pass_cell_gives_the_taggers_word_tags(setup):
    model, tokenizer, tagger, sentences = setup
    word_tags_by_hand = defined_by(
        FORWARD_TAG, {"torch": torch, "model": model, "tokenizer": tokenizer}, "word_tags_by_hand"
    )
    expected = tagger.predict_words(sentences)[0]
    assert [word_tags_by_hand(words) for words in sentences] == expected
    assert len({tag for tags in expected for tag in tags}) > 3, "the check must see several different tags"


def single_pretoken(tokenizer, word: str) -> bool:
    """Whether the tokenizer keeps ``word`` as one word (no punctuation inside it to split at)."""
    return len(tokenizer.backend_tokenizer.pre_tokenizer.pre_tokenize_str(word)) == 1


def test_the_pipeline_cell_finds_the_taggers_entities_where_its_words_are_conll_words(setup):
    model, tokenizer, tagger, sentences = setup
    pipeline_word_tags = defined_by(PIPELINE_TAG, {}, "pipeline_word_tags")
    ner = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="first", device="cpu")
    plain = [words for words in sentences if all(single_pretoken(tokenizer, w) for w in words)]
    assert len(plain) >= 20, "the mini corpus must give sentences whose words the tokenizer does not split"
    expected = tagger.predict_words(plain)[0]
    compared = entities = 0
    for words, tags in zip(plain, expected, strict=True):
        from_pipeline = pipeline_word_tags(ner, words)
        assert len(from_pipeline) == len(words)
        assert nercourse.tag_spans(from_pipeline) == nercourse.tag_spans(tags), (words, tags, from_pipeline)
        compared += 1
        entities += len(nercourse.tag_spans(tags))
    assert compared == len(plain) and entities > 0


def test_the_pipeline_cell_gives_one_tag_per_conll_word_even_where_the_tokenizer_splits_it(setup):
    """A word like U.S. is several words to the pipeline; the cell still gives it one tag."""
    model, tokenizer, tagger, sentences = setup
    assert not single_pretoken(tokenizer, "U.S.")
    pipeline_word_tags = defined_by(PIPELINE_TAG, {}, "pipeline_word_tags")
    ner = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="first", device="cpu")
    words = ["The", "U.S.", "Treasury", "said", "."]
    assert len(pipeline_word_tags(ner, words)) == len(words)
