"""nercourse.inference: windows over long texts, batches, bad input, device and precision, HTML."""

from __future__ import annotations

import logging
import re
import types
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nercourse
from nercourse.errors import NerCourseError
from nercourse.inference import NerTagger, entities_to_html, split_words
from nercourse.modeling import LabelMappingWarning
from nercourse.windows import sliding_windows

ENTITY_TYPES = set(nercourse.ENTITY_TYPES)


# ------------------------------------------------------------------------------------- windows


@st.composite
def subword_word_ids(draw):
    pieces = draw(st.lists(st.integers(1, 6), min_size=1, max_size=60))
    return [w for w, n in enumerate(pieces) for _ in range(n)]


@settings(max_examples=400, deadline=None)
@given(subword_word_ids(), st.integers(4, 40), st.data())
def test_windows_cover_every_word_within_budget(word_ids, budget, data):
    stride = data.draw(st.integers(0, budget - 1))
    windows = sliding_windows(word_ids, budget, stride)
    assert windows[0][0] == 0 and windows[-1][1] == len(word_ids)
    for (start, end), (next_start, _) in zip(windows, windows[1:]):
        assert start < next_start <= end  # progress, no gap
    for start, end in windows:
        assert 0 < end - start <= budget
    firsts = {w: i for i, w in reversed(list(enumerate(word_ids)))}
    assert all(any(s <= p < e for s, e in windows) for p in firsts.values())


# --------------------------------------------------------------------------- a context-free model


class LookupModel(torch.nn.Module):
    """Each subword's logits depend on its token id alone, so a word's tag cannot depend on the
    window it was seen in: windowed and whole-text predictions must agree exactly."""

    def __init__(self, vocab_size: int, tags: dict[int, str], label_names=nercourse.LABEL_NAMES):
        super().__init__()
        table = torch.zeros(vocab_size, len(label_names))
        table[:, label_names.index("O")] = 4.0
        for token_id, tag in tags.items():
            table[token_id, label_names.index(tag)] = 8.0
        self.register_buffer("table", table)
        self.config = types.SimpleNamespace(
            id2label=dict(enumerate(label_names)), num_labels=len(label_names), max_position_embeddings=100_000
        )

    def forward(self, input_ids, attention_mask=None):
        return types.SimpleNamespace(logits=self.table[input_ids])


@pytest.fixture(scope="module")
def planted(tiny_bert):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    vocabulary = sorted(t for t in tokenizer.get_vocab() if t.isalpha() and t.islower() and len(t) >= 3)
    first, second = "Zqx", "Wvy"  # not in the vocabulary: each splits into several subwords
    ids = {w: tokenizer(w, add_special_tokens=False)["input_ids"] for w in (first, second)}
    assert min(len(v) for v in ids.values()) > 1
    model = LookupModel(len(tokenizer), {ids[first][0]: "B-PER", ids[second][0]: "I-PER"})
    return tokenizer, model, vocabulary[:50], first, second


def test_windows_never_lose_or_duplicate_an_entity_at_a_boundary(planted):
    tokenizer, model, filler, first, second = planted
    windowed = NerTagger(model, tokenizer, max_length=16, stride=4, device="cpu")
    whole = NerTagger(model, tokenizer, max_length=10_000, device="cpu")
    for position in range(40):  # slide the entity across several window boundaries
        words = [filler[i % len(filler)] for i in range(60)]
        words[position : position + 2] = [first, second]
        text = " ".join(words)
        entities = windowed.entities(text)
        assert entities == whole.entities(text)
        start = text.index(first)
        assert [(e.type, e.start, e.end, e.text) for e in entities] == [
            ("PER", start, start + len(first) + 1 + len(second), f"{first} {second}")
        ]


def test_long_document_windows_agree_with_one_pass(planted):
    tokenizer, model, filler, first, second = planted
    rng = np.random.default_rng(0)
    words = [str(w) for w in rng.choice(filler + [first, second], size=3000)]
    windowed = NerTagger(model, tokenizer, max_length=64, stride=16, device="cpu")
    whole = NerTagger(model, tokenizer, max_length=100_000, device="cpu")
    assert windowed.predict_words([words]) == whole.predict_words([words])


def test_batch_order_equals_input_order(tagger, mini_corpus):
    sentences = list(nercourse.load_conll2003(mini_corpus)["test"]["tokens"])[:60]
    sentences = sentences[::2] + [["Solo"], []] + sentences[1::2]  # mixed lengths, an empty one
    tags, scores = tagger.predict_words(sentences)
    assert [len(t) for t in tags] == [len(s) for s in sentences]
    one_by_one = [tagger.word_probabilities([s])[0] for s in sentences]
    together = tagger.word_probabilities(sentences)
    for alone, batched in zip(one_by_one, together):
        np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_every_word_gets_a_tag_even_without_subwords(tagger):
    tags, scores = tagger.predict_words([["Paris", "", "\u200b", " ", "is", "\x00"]])
    assert len(tags[0]) == 6
    assert [tags[0][i] for i in (1, 2, 3, 5)] == ["O"] * 4 and [scores[0][i] for i in (1, 2, 3, 5)] == [0.0] * 4


def check_entities(text, entities):
    previous_end = 0
    for entity in entities:
        assert entity.text == text[entity.start : entity.end]
        assert entity.type in ENTITY_TYPES
        assert entity.start >= previous_end and entity.end > entity.start
        assert 0.0 <= entity.score <= 1.0
        previous_end = entity.end


BAD_INPUTS = {
    "empty": "",
    "whitespace": " \t \n ",
    "one character": "A",
    "emoji": "Maria 👍🏽 met 👨‍👩‍👧 Jonas in Lisbon 🇵🇹.",
    "cjk": "東京 and 北京 hosted the Asian Games.",
    "arabic rtl": "زار محمد القاهرة with Ali Hassan.",
    "combining accents": "Jose\u0301 Mu\u0308ller visited Zu\u0308rich.",
    "zero width": "Ber\u200blin\u200b and Pa\ufeffris",
    "control characters": "Rome\x00\x07 and\x1b Milan\x7f",
    "tabs and crlf": "Oslo\tand\r\nBergen\r\n",
    "html": "<b>Hallam Forest</b> beat <script>alert('x')</script> Stella Rossa &amp; co.",
    "long word": "x" * 150 + " visited Madrid",
    "all caps": "IRONGATE LOGISTICS TO SHED 12,905 JOBS IN NEW SALTMARSH",
}


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_awkward_text_gives_well_formed_entities(tagger, text):
    check_entities(text, tagger.entities(text))


def test_ten_thousand_word_document(tagger):
    text = " ".join(["Ada Lovelace visited the Hoxley Institute in Turin ."] * 1112)
    words = split_words(text)
    assert len(words) > 10_000
    tags, _ = tagger.predict_words([[w.text for w in words]])
    assert len(tags[0]) == len(words)
    check_entities(text, tagger.entities(text))


def test_entities_batch_keeps_input_order(tagger):
    texts = list(BAD_INPUTS.values())
    batched = tagger.entities_batch(texts)
    alone = [tagger.entities(t) for t in texts]

    def spans(results):
        return [[(e.type, e.start, e.end, e.text) for e in entities] for entities in results]

    assert spans(batched) == spans(alone)  # scores differ in the last float digits (padding)
    for a, b in zip(batched, alone):
        assert [e.score for e in a] == pytest.approx([e.score for e in b], abs=1e-5)


def test_lone_surrogates_are_unknown_characters_with_offsets_into_the_input(tagger):
    # What Python makes of invalid UTF-8 bytes with errors="surrogateescape"
    text = b"Paloma Zimmermann \xff visited Thornbury \xed\xa0\x80.".decode("utf-8", errors="surrogateescape")
    assert "\udcff" in text
    replaced = re.sub("[\ud800-\udfff]", "\ufffd", text)  # the same text as the model sees it
    entities = tagger.entities(text)
    check_entities(text, entities)
    assert [(e.type, e.start, e.end) for e in entities] == [(e.type, e.start, e.end) for e in tagger.entities(replaced)]
    assert len(tagger.entities_batch([text, "Paris \ud800"])) == 2
    pairs = tagger.tag_text("Berlin \ud800 Paris")
    assert [word for word, _ in pairs] == ["Berlin", "\ud800", "Paris"] and pairs[1][1] == "O"
    tags, scores = tagger.predict_words([["Ber\ud800lin", "\udfff"]])
    assert len(tags[0]) == 2 and scores[0][1] == 0.0  # a lone unknown character becomes no subword
    assert nercourse.sentence_windows(tagger, ["Berlin", "\ud800"]) == [(0, 1)]


def test_long_texts_do_not_warn_about_the_tokenizers_limit(tagger, caplog):
    import transformers

    text = "Ada Lovelace visited the Hoxley Institute in Turin . " * 60
    library_logger = logging.getLogger("transformers")
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity_warning()  # quiet() in an earlier test may have raised it
    library_logger.addHandler(caplog.handler)  # the library's logger does not propagate to the root
    try:
        with caplog.at_level(logging.WARNING, logger="transformers"):
            check_entities(text, tagger.entities(text))
            nercourse.sentence_windows(tagger, text.split())
    finally:
        library_logger.removeHandler(caplog.handler)
        transformers.logging.set_verbosity(verbosity)
    assert not [r for r in caplog.records if "sequence length is longer" in r.getMessage()]
    assert len(tagger.tokenizer.tokenize(text)) > tagger.tokenizer.model_max_length  # the text needs windows


def test_non_string_input_is_refused_clearly(tagger):
    with pytest.raises(TypeError, match="text 1 must be a string"):
        tagger.entities_batch(["ok", None])
    with pytest.raises(TypeError, match="sentence 0: words must be strings"):
        tagger.predict_words([["ok", 3]])


# ------------------------------------------------------------------------------------- labels


def test_model_without_label_names_is_refused_or_mapped(finetuned_tiny):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    model.config.id2label = {i: f"LABEL_{i}" for i in range(model.config.num_labels)}
    with pytest.raises(NerCourseError, match="no label names"):
        NerTagger(model, tokenizer)
    with pytest.warns(LabelMappingWarning):
        mapped = NerTagger(model, tokenizer, label_names=nercourse.LABEL_NAMES)
    reference = NerTagger.from_pretrained(finetuned_tiny)
    text = "Paloma Zimmermann won the Summit Cup in Thornbury."
    assert mapped.entities(text) == reference.entities(text)


def test_label_order_is_read_by_name(finetuned_tiny):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    reference = NerTagger(model, tokenizer).predict_words([["Paloma", "Zimmermann", "won", "in", "Thornbury"]])
    permutation = [3, 0, 8, 1, 5, 2, 7, 4, 6]
    permuted, _ = nercourse.load_finetuned(finetuned_tiny)
    with torch.no_grad():
        permuted.classifier.weight.copy_(model.classifier.weight[permutation])
        permuted.classifier.bias.copy_(model.classifier.bias[permutation])
    permuted.config.id2label = {i: model.config.id2label[p] for i, p in enumerate(permutation)}
    permuted.config.label2id = {name: i for i, name in permuted.config.id2label.items()}
    tags, scores = NerTagger(permuted, tokenizer).predict_words([["Paloma", "Zimmermann", "won", "in", "Thornbury"]])
    assert tags == reference[0]
    np.testing.assert_allclose(scores, reference[1], atol=1e-6)


# ---------------------------------------------------------------------------------------- HTML


def test_html_escapes_the_input_and_labels_entities():
    text = "<script>x</script> Ada & <b>Turin</b>"
    entities = [
        nercourse.Entity("PER", "Ada", 19, 22, 0.9),
        nercourse.Entity("LOC", "<b>Turin</b>", 25, 37, 0.8),
    ]
    for e in entities:
        assert text[e.start : e.end] == e.text
    page = entities_to_html(text, entities)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&amp;" in page
    assert 'title="PER (0.90)"' in page and 'title="LOC (0.80)"' in page
    assert page.count("<mark") == 2


def test_tagger_arguments_are_checked(finetuned_tiny):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    with pytest.raises(ValueError, match="stride"):
        NerTagger(model, tokenizer, max_length=32, stride=31)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tagger = NerTagger(model, tokenizer, device="cpu")
    assert tagger.max_length == 256 and tagger.precision == "fp32"


def test_device_and_precision_come_from_the_environment(finetuned_tiny, monkeypatch):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    tagger = NerTagger(model, tokenizer)
    assert tagger.device.type == nercourse.select_device()
    assert tagger.precision == nercourse.precision_for(tagger.device.type)
    monkeypatch.setenv("NERCOURSE_DEVICE", "tpu")  # the course's device setting is honoured, also when wrong
    with pytest.raises(NerCourseError, match="NERCOURSE_DEVICE"):
        NerTagger(model, tokenizer)
    monkeypatch.setenv("NERCOURSE_DEVICE", "cpu")
    assert NerTagger(model, tokenizer).device.type == "cpu"
    with pytest.raises(NerCourseError, match="precision='fp8'"):
        NerTagger(model, tokenizer, device="cpu", precision="fp8")


def test_mixed_precision_runs_on_the_device_type_it_is_given(finetuned_tiny):
    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    words = [["Paloma", "Zimmermann", "won", "the", "Summit", "Cup", "in", "Thornbury", "."]]
    full = NerTagger(model, tokenizer, device="cpu").word_probabilities(words)[0]
    half = NerTagger(model, tokenizer, device="cpu", precision="bf16").word_probabilities(words)[0]
    assert not np.array_equal(full, half)  # autocast did run in bf16
    np.testing.assert_allclose(full, half, atol=0.05)


def test_sentence_windows_describe_the_windows_the_tagger_runs(planted):
    tokenizer, model, filler, first, second = planted
    tagger = NerTagger(model, tokenizer, max_length=16, stride=4, device="cpu")
    words = [first if i % 7 == 0 else filler[i % len(filler)] for i in range(50)]
    windows = nercourse.sentence_windows(tagger, words)
    assert windows[0][0] == 0 and windows[-1][1] == len(words)
    for (start, end), (next_start, next_end) in zip(windows, windows[1:]):
        assert start < next_start < end <= next_end  # consecutive windows overlap
    for start, end in windows:
        subwords = tokenizer(words[start:end], is_split_into_words=True, add_special_tokens=False)["input_ids"]
        assert len(subwords) <= tagger.max_length - 2
    assert nercourse.sentence_windows(tagger, words[:3]) == [(0, 3)]
    assert nercourse.sentence_windows(tagger, []) == []


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_a_batch_size_that_is_not_a_positive_whole_number_is_refused(finetuned_tiny, bad):
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        nercourse.NerTagger.from_pretrained(finetuned_tiny, batch_size=bad)
