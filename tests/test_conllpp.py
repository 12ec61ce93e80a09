"""nercourse.conllpp: one-file test sets, CoNLL++ loading, lining two golds up, scoring against both."""

from __future__ import annotations

import re
import time

import pytest

import nercourse
from nercourse.conll import read_conll
from nercourse.conllpp import (
    MINI_CORRECTED_TEST,
    VERDICTS,
    check_lined_up,
    compare_scores,
    corrected_disagreements,
    load_conllpp,
    load_test_file,
    verdict_counts,
)
from nercourse.data import find_split_files
from nercourse.errors import NerCourseError
from nercourse.labels import LABEL_NAMES, gold_tags, label_names_of


@pytest.fixture(scope="module")
def mini_pair(mini_corpus):
    return load_test_file(mini_corpus / "test.txt"), load_test_file(MINI_CORRECTED_TEST)


def test_load_test_file_reads_the_mini_test_split_like_the_course_does(mini_corpus):
    split = load_test_file(mini_corpus / "test.txt")
    reference = nercourse.load_conll2003(mini_corpus)["test"]
    assert split.features["ner_tags"].feature.names == LABEL_NAMES
    assert {"id", "tokens", "ner_tags"} <= set(split.column_names)
    assert split.column_names == read_conll(mini_corpus / "test.txt").column_names  # any further column too
    assert split["tokens"] == reference["tokens"] and split["ner_tags"] == reference["ner_tags"]


def test_load_test_file_reads_a_two_column_file(tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("Angela B-PER\nMerkel I-PER\nvisited O\nParis B-LOC\n\nHi O\n", encoding="utf-8")
    split = load_test_file(path)
    assert split["tokens"] == [["Angela", "Merkel", "visited", "Paris"], ["Hi"]]
    assert gold_tags(split) == [["B-PER", "I-PER", "O", "B-LOC"], ["O"]]


def test_load_test_file_refuses_a_folder_and_a_missing_file(mini_corpus, tmp_path):
    with pytest.raises(NerCourseError, match=r"is a folder.*\n  How to fix: pass the file itself, e.g. .*test\.txt"):
        load_test_file(mini_corpus)
    with pytest.raises(NerCourseError, match=r"no such file\.\n  How to fix: "):
        load_test_file(tmp_path / "missing.txt")


def test_load_conllpp_reads_a_local_file_or_a_folder_that_holds_one(mini_corpus, tmp_path):
    from_folder = load_conllpp(mini_corpus)  # its corrected copy, not its original test.txt
    assert from_folder["ner_tags"] == read_conll(MINI_CORRECTED_TEST)["ner_tags"]
    assert from_folder["ner_tags"] != read_conll(mini_corpus / "test.txt")["ner_tags"]
    only_test = tmp_path / "plain"
    only_test.mkdir()
    (only_test / "test.txt").write_bytes(MINI_CORRECTED_TEST.read_bytes())
    assert load_conllpp(only_test)["ner_tags"] == from_folder["ner_tags"]
    copy = tmp_path / "conllpp_test.txt"
    copy.write_bytes(MINI_CORRECTED_TEST.read_bytes())
    assert load_conllpp(tmp_path)["ner_tags"] == read_conll(MINI_CORRECTED_TEST)["ner_tags"]
    assert load_conllpp(copy)["ner_tags"] == read_conll(MINI_CORRECTED_TEST)["ner_tags"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NerCourseError, match=r"has no conllpp_test\.txt or test_corrected\.txt or test\.txt"):
        load_conllpp(empty)


def test_load_conllpp_finds_a_corrected_file_beside_the_data_and_nothing_else(mini_corpus, tmp_path, monkeypatch):
    assert load_conllpp(data_dir=mini_corpus)["ner_tags"] == read_conll(MINI_CORRECTED_TEST)["ner_tags"]
    beside = tmp_path / "conll"
    beside.mkdir()
    (beside / "conllpp_test.txt").write_bytes(MINI_CORRECTED_TEST.read_bytes())
    (beside / "test.txt").write_bytes((mini_corpus / "test.txt").read_bytes())
    assert load_conllpp(data_dir=beside)["ner_tags"] == read_conll(MINI_CORRECTED_TEST)["ner_tags"]
    (beside / "conllpp_test.txt").unlink()  # the original test.txt alone is not CoNLL++: the Hub is asked
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NerCourseError, match="CoNLL\\+\\+"):
        load_conllpp(data_dir=beside)


def test_load_conllpp_offline_fails_fast_naming_the_local_file_fix(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    with pytest.raises(NerCourseError) as caught:
        load_conllpp()
    assert time.perf_counter() - started < 10
    message = str(caught.value)
    assert "ZihanWangKi/conllpp" in message and "How to fix:" in message
    assert "load_conllpp('path/to/conllpp_test.txt')" in message and "CrossWeigh" in message


def test_load_conllpp_without_network_fails_before_any_download(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    started = time.perf_counter()
    with pytest.raises(NerCourseError, match=r"Cannot download CoNLL\+\+ .*\n  How to fix: download the CoNLL\+\+"):
        load_conllpp()
    assert time.perf_counter() - started < 10


def test_check_lined_up_catches_a_changed_word_and_a_missing_sentence():
    words = [["a", "b"], ["c", "d", "e"], ["f"]]
    check_lined_up(words, [list(s) for s in words])  # the same words: fine
    changed = [["a", "b"], ["c", "X", "e"], ["f"]]
    with pytest.raises(NerCourseError, match=r"Sentence 2 differs: .*first difference at word 2"):
        check_lined_up(words, changed)
    with pytest.raises(NerCourseError, match=r"has 3 sentences, the corrected file has 2: sentence 3 is missing"):
        check_lined_up(words, words[:2])
    with pytest.raises(NerCourseError, match=r"Sentence 3 differs"):
        check_lined_up(words, words[:2] + [["f", "g"]])  # a word added at the end


def test_check_lined_up_takes_splits(mini_pair, mini_corpus):
    original, corrected = mini_pair
    check_lined_up(original, corrected)
    validation = nercourse.load_conll2003(mini_corpus)["validation"]
    with pytest.raises(NerCourseError, match=r"Sentence 1 differs"):
        check_lined_up(original, validation)


WORDS = [
    ["Japan", "beat", "China", "."],  # China: PER -> LOC, the model says LOC
    ["Kim", "Lee", "won", "."],  # boundary: "Kim" -> "Kim Lee", the model says "Kim"
    ["Rome", "is", "big", "."],  # missed entity added, the model says ORG
    ["Nothing", "changed", "here", "."],
    ["Ada", "met", "Bob", "in", "Oslo"],  # Oslo added; the model has it but misses Ada: still agrees
]
ORIGINAL = [
    ["B-LOC", "O", "B-PER", "O"],
    ["B-PER", "O", "O", "O"],
    ["O", "O", "O", "O"],
    ["O", "O", "O", "O"],
    ["B-PER", "O", "B-PER", "O", "O"],
]
CORRECTED = [
    ["B-LOC", "O", "B-LOC", "O"],
    ["B-PER", "I-PER", "O", "O"],
    ["B-LOC", "O", "O", "O"],
    ["O", "O", "O", "O"],
    ["B-PER", "O", "B-PER", "O", "B-LOC"],
]
PREDICTED = [
    ["B-LOC", "O", "I-LOC", "O"],  # an ill-formed I- start reads as the entity LOC "China", as the scores read it
    ["B-PER", "O", "O", "O"],
    ["B-ORG", "O", "O", "O"],
    ["B-MISC", "O", "O", "O"],
    ["O", "O", "B-PER", "O", "B-LOC"],
]


def test_corrected_disagreements_verdicts_on_hand_built_sentences():
    found = corrected_disagreements(WORDS, ORIGINAL, CORRECTED, PREDICTED)
    assert [d.sentence for d in found] == [0, 1, 2, 4]  # sentence 3's golds agree, whatever the model says
    assert [d.verdict for d in found] == [
        "agrees with correction",
        "agrees with original",
        "neither",
        "agrees with correction",
    ]
    first = found[0]
    assert first.words == tuple(WORDS[0]) and first.original == tuple(ORIGINAL[0])
    assert first.corrected == tuple(CORRECTED[0]) and first.predicted == tuple(PREDICTED[0])
    assert first.removed == [("PER", 2, 3)] and first.added == [("LOC", 2, 3)]
    with pytest.raises(AttributeError):
        first.verdict = "neither"  # frozen
    assert verdict_counts(found) == {"agrees with correction": 2, "agrees with original": 1, "neither": 1}
    assert list(verdict_counts([])) == list(VERDICTS)


def test_describe_shows_the_changed_entities_and_the_prediction_there():
    found = corrected_disagreements(WORDS, ORIGINAL, CORRECTED, PREDICTED)
    assert found[0].describe() == (
        'sentence 0: original PER "China" -> corrected LOC "China"; predicted LOC "China" (agrees with correction)'
    )
    assert found[1].describe() == (
        'sentence 1: original PER "Kim" -> corrected PER "Kim Lee"; predicted PER "Kim" (agrees with original)'
    )
    assert found[2].describe() == 'sentence 2: original nothing -> corrected LOC "Rome"; predicted ORG "Rome" (neither)'


def test_corrected_disagreements_refuses_lists_that_do_not_line_up():
    with pytest.raises(NerCourseError, match=r"5 sentences of words but 4 of predicted tags"):
        corrected_disagreements(WORDS, ORIGINAL, CORRECTED, PREDICTED[:4])
    short = [list(tags) for tags in CORRECTED]
    short[1] = short[1][:3]
    with pytest.raises(NerCourseError, match=r"Sentence 1 has 4 words but 3 corrected tags"):
        corrected_disagreements(WORDS, ORIGINAL, short, PREDICTED)


def test_compare_scores_differ_exactly_where_the_golds_differ(mini_pair):
    original, corrected = mini_pair
    corrected_gold, original_gold = gold_tags(corrected), gold_tags(original)
    scores = compare_scores(original, corrected, corrected_gold)
    assert scores["conllpp"]["f1"] == 1.0 and scores["conll2003"]["f1"] < 1.0
    scores = compare_scores(original, corrected, original_gold)
    assert scores["conll2003"]["f1"] == 1.0 and scores["conllpp"]["f1"] < 1.0

    changed = {
        d.sentence for d in corrected_disagreements(original["tokens"], original_gold, corrected_gold, original_gold)
    }
    same = [i for i in range(len(original)) if i not in changed]
    some_mistakes = [["O"] * len(tags) if i % 3 == 0 else tags for i, tags in enumerate(corrected_gold)]
    on_unchanged = compare_scores(original.select(same), corrected.select(same), [some_mistakes[i] for i in same])
    assert on_unchanged["conll2003"] == on_unchanged["conllpp"]  # where the golds agree, so do the scores
    assert on_unchanged["conll2003"]["f1"] < 1.0


def test_compare_scores_needs_golds_that_line_up_and_a_prediction_per_sentence(mini_pair, mini_corpus):
    original, corrected = mini_pair
    validation = nercourse.load_conll2003(mini_corpus)["validation"]
    with pytest.raises(NerCourseError, match=r"Sentence 1 differs"):
        compare_scores(original, validation, gold_tags(original))
    with pytest.raises(NerCourseError, match=r"150 sentences of words but 149 of predicted tags"):
        compare_scores(original, corrected, gold_tags(original)[:149])


def test_mini_corrected_file_lines_up_and_changes_the_sentences_its_readme_counts(mini_corpus, mini_pair):
    original, corrected = mini_pair
    check_lined_up(original, corrected)
    readme = (mini_corpus / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"`test_corrected\.txt` is a corrected copy .* with the tags of (\d+) of the (\d+)", readme)
    assert stated, "the mini corpus README must say how many sentences the corrected copy changes"
    changed, total = int(stated.group(1)), int(stated.group(2))
    assert total == len(original)
    found = corrected_disagreements(original["tokens"], gold_tags(original), gold_tags(corrected), gold_tags(original))
    assert len(found) == changed
    assert 0.02 <= changed / total <= 0.08  # about as many as CoNLL++ corrected (5.38 %)
    assert all(d.verdict == "agrees with original" for d in found)


def test_the_corrected_copy_is_not_taken_for_a_split(mini_corpus):
    assert MINI_CORRECTED_TEST.parent == mini_corpus and MINI_CORRECTED_TEST.is_file()
    assert find_split_files(mini_corpus)["test"].name == "test.txt"


def test_a_hub_style_table_with_plain_int_tags_becomes_a_course_split(mini_corpus):
    # The parquet export stores what the loading script wrote; if its ClassLabel is lost the ids are plain ints.
    from datasets import Dataset

    from nercourse.hub import hub_course_split

    reference = read_conll(mini_corpus / "test.txt")
    table = Dataset.from_dict({"id": reference["id"], "tokens": reference["tokens"], "ner_tags": reference["ner_tags"]})
    assert not hasattr(table.features["ner_tags"].feature, "names")
    split = hub_course_split(table, LABEL_NAMES, "a Hub export")
    assert split.features["ner_tags"].feature.names == LABEL_NAMES
    assert split.column_names == reference.column_names
    assert gold_tags(split) == gold_tags(reference)


def test_a_hub_export_with_other_label_names_is_refused_by_name(mini_corpus):
    from datasets import ClassLabel, Dataset, Features, List, Value

    from nercourse.hub import hub_course_split

    reference = read_conll(mini_corpus / "test.txt")
    other_order = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    features = Features(
        {"id": Value("string"), "tokens": List(Value("string")), "ner_tags": List(ClassLabel(names=other_order))}
    )
    table = Dataset.from_dict(
        {"id": reference["id"], "tokens": reference["tokens"], "ner_tags": reference["ner_tags"]}, features=features
    )
    with pytest.raises(NerCourseError, match="some/export has label names .*B-MISC.*expected"):
        hub_course_split(table, LABEL_NAMES, "some/export")


def test_load_test_file_can_take_the_labels_from_the_file(mini_corpus, tmp_path):
    # CoNLL-2003's types keep the course's label ids, even when the file lacks some of them
    assert label_names_of(load_test_file(mini_corpus / "test.txt", None)) == LABEL_NAMES
    partial = tmp_path / "partial.txt"
    partial.write_text("Paris B-LOC\nis O\n", encoding="utf-8")
    assert label_names_of(load_test_file(partial, None)) == LABEL_NAMES
    # other types: the file's own labels, whether CoNLL or JSONL spans
    own = tmp_path / "own.txt"
    own.write_text("Lumen B-PRODUCT\nX2 I-PRODUCT\nby O\nNorvale B-COMPANY\n", encoding="utf-8")
    expected = ["O", "B-COMPANY", "I-COMPANY", "B-PRODUCT", "I-PRODUCT"]
    assert label_names_of(load_test_file(own, None)) == expected
    spans = tmp_path / "own.jsonl"
    spans.write_text('{"text": "Lumen X2 by Norvale", "label": [[0, 8, "PRODUCT"], [12, 19, "COMPANY"]]}\n')
    from_spans = load_test_file(spans, None)
    assert label_names_of(from_spans) == expected
    assert gold_tags(from_spans) == [["B-PRODUCT", "I-PRODUCT", "O", "B-COMPANY"]]
    # the default is still CoNLL-2003's labels, which refuse another type by name
    with pytest.raises(NerCourseError, match="PRODUCT"):
        load_test_file(own)
