"""nercourse.data: reading CoNLL files, IOB1 -> IOB2, loading and verifying splits."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

import nercourse
from nercourse.conll import BIOESConversionWarning, IOB1ConversionWarning, NoEntityWarning, read_conll
from nercourse.data import expected_sizes, find_split_files, load_conll2003
from nercourse.errors import CoNLLFormatError, NerCourseError
from nercourse.labels import iob1_to_iob2, tag_spans


def write(tmp_path, text, name="data.txt", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


FOUR_COLUMNS = """-DOCSTART- -X- -X- O

Ada NNP B-NP B-PER
Lovelace NNP I-NP I-PER
visited VBD B-VP O
Turin NNP B-NP B-LOC
. . O O

The DT B-NP O
Hoxley NNP I-NP B-ORG
Institute NNP I-NP I-ORG
opened VBD B-VP O
"""


def test_reads_four_column_file_with_docstart(tmp_path):
    data = read_conll(write(tmp_path, FOUR_COLUMNS))
    assert data["tokens"] == [["Ada", "Lovelace", "visited", "Turin", "."], ["The", "Hoxley", "Institute", "opened"]]
    names = data.features["ner_tags"].feature.names
    assert names == nercourse.LABEL_NAMES
    assert [[names[i] for i in s] for s in data["ner_tags"]] == [
        ["B-PER", "I-PER", "O", "B-LOC", "O"],
        ["O", "B-ORG", "I-ORG", "O"],
    ]


def test_two_columns_crlf_bom_trailing_whitespace_and_tabs_read_the_same(tmp_path):
    two = "\ufeffAda\tB-PER  \nLovelace I-PER\t\n\n\nTurin B-LOC   \n"
    data = read_conll(write(tmp_path, two, newline="\r\n"))
    assert data["tokens"] == [["Ada", "Lovelace"], ["Turin"]]
    assert data["ner_tags"] == [[1, 2], [5]]


def test_no_trailing_blank_line_keeps_the_last_sentence(tmp_path):
    data = read_conll(write(tmp_path, "a O\nb B-MISC"))
    assert data["tokens"] == [["a", "b"]]


def test_iob1_file_is_converted_and_says_so(tmp_path):
    iob1 = "Barack I-PER\nObama I-PER\nmet O\nAngela I-PER\nB B-PER\nin O\nHawaii I-LOC\n"
    with pytest.warns(IOB1ConversionWarning, match="3 entity-initial I- tags"):
        data = read_conll(write(tmp_path, iob1))
    names = nercourse.LABEL_NAMES
    assert [names[i] for i in data["ner_tags"][0]] == ["B-PER", "I-PER", "O", "B-PER", "B-PER", "O", "B-LOC"]


def test_iob2_file_raises_no_conversion_warning(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_conll(write(tmp_path, FOUR_COLUMNS))


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["I-PER", "I-PER", "O"], ["B-PER", "I-PER", "O"]),
        (["I-PER", "I-LOC", "I-LOC"], ["B-PER", "B-LOC", "I-LOC"]),
        (["I-ORG", "B-ORG", "I-ORG"], ["B-ORG", "B-ORG", "I-ORG"]),
        (["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "I-PER", "O", "B-LOC"]),
        ([], []),
    ],
)
def test_iob1_to_iob2(tags, expected):
    assert iob1_to_iob2(tags) == expected
    assert iob1_to_iob2(expected) == expected  # IOB2 is a fixed point


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Ada B-PER\nLovelace B-PERSON\n", 2, "unknown tag 'B-PERSON'"),
        ("Ada B-PER\nLovelace\n", 2, "expected a word and its tag"),
        ("Ada NNP B-NP B-PER\nLovelace I-PER\n", 2, "2 columns but earlier lines have 4"),
        ("Ada O\n\nLovelace B-\n", 3, "tag 'B-' has no entity type after 'B-'"),
        ("Ada X-FOO\n", 1, "tag 'X-FOO' has an unknown prefix 'X-'"),
        ("Ada O\nLovelace b-per\n", 2, "tag 'b-per' has a lower-case prefix 'b-'"),
        ("Ada PER\n", 1, "tag 'PER' has no prefix"),
        ("Ada 0\n", 1, "tag '0' is not the letter O"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(CoNLLFormatError, match=message) as error:
        read_conll(path)
    assert f"{path}:{line}" in str(error.value)
    assert "How to fix" in str(error.value)


def test_bioes_and_bilou_files_are_converted_to_iob2_and_say_so_once(tmp_path):
    bioes = "Ada B-PER\nLovelace E-PER\nmet O\nBo S-PER\nin O\nTurin S-LOC\n\nThe O\nHoxley B-ORG\nNew I-ORG\nInstitute E-ORG\n"
    with pytest.warns(
        BIOESConversionWarning, match=r"bioes.txt: converted BIOES/IOBES .* \(4 S-/E-/U-/L- tags"
    ) as caught:
        data = read_conll(write(tmp_path, bioes, "bioes.txt"))
    assert len(caught) == 1  # one warning for the file, no IOB1 warning on top
    expected = [["B-PER", "I-PER", "O", "B-PER", "O", "B-LOC"], ["O", "B-ORG", "I-ORG", "I-ORG"]]
    assert nercourse.gold_tags(data) == expected
    bilou = bioes.replace("E-", "L-").replace("S-", "U-")
    with pytest.warns(BIOESConversionWarning):
        assert nercourse.gold_tags(read_conll(write(tmp_path, bilou, "bilou.txt"))) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["S-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC"], ["B-PER", "B-PER", "B-LOC", "I-LOC", "I-LOC"]),
        (["U-ORG", "O", "B-ORG", "L-ORG"], ["B-ORG", "O", "B-ORG", "I-ORG"]),
        (["I-PER", "I-PER", "O", "I-LOC"], ["B-PER", "I-PER", "O", "B-LOC"]),  # IOB1
        (["B-PER", "I-PER", "O", "B-LOC"], ["B-PER", "I-PER", "O", "B-LOC"]),  # IOB2 stays
    ],
)
def test_to_iob2_reads_every_scheme(tags, expected):
    assert nercourse.to_iob2(tags) == expected


def test_a_file_without_any_entity_gets_a_warning(tmp_path):
    with pytest.warns(NoEntityWarning, match=r"plain.txt: no entity at all"):
        data = read_conll(write(tmp_path, "Sales O\nfell O\n. O\n", "plain.txt"))
    assert len(data) == 1


def test_labels_from_tags_o_first_then_types_sorted_and_conll2003_keeps_its_order():
    assert nercourse.labels_from_tags([["B-PRODUCT", "I-PRODUCT", "O"], ["B-COMPANY"]]) == [
        "O",
        "B-COMPANY",
        "I-COMPANY",
        "B-PRODUCT",
        "I-PRODUCT",
    ]
    assert nercourse.labels_from_tags([["I-location"], ["B-Disease", "I-Disease"]]) == [
        "O",
        "B-Disease",
        "I-Disease",
        "B-location",
        "I-location",
    ]
    # exactly CoNLL-2003's four types: its own order (PER, ORG, LOC, MISC), not sorted
    assert nercourse.labels_from_tags([["B-MISC", "B-LOC"], ["B-ORG", "I-PER"]]) == nercourse.LABEL_NAMES
    assert nercourse.labels_from_tags([["B-LOC", "B-PER"]]) == ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert nercourse.labels_from_tags([["O"]]) == ["O"]


def test_read_conll_reads_the_labels_from_the_file_when_asked(tmp_path):
    data = read_conll(write(tmp_path, "Lumen B-PRODUCT\nX2 I-PRODUCT\nby O\nNorvale B-COMPANY\n"), label_names=None)
    assert nercourse.label_names_of(data) == ["O", "B-COMPANY", "I-COMPANY", "B-PRODUCT", "I-PRODUCT"]
    assert nercourse.gold_tags(data) == [["B-PRODUCT", "I-PRODUCT", "O", "B-COMPANY"]]


def test_empty_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(CoNLLFormatError, match="no sentences"):
        read_conll(write(tmp_path, "\n\n-DOCSTART- -X- -X- O\n\n"))
    with pytest.raises(NerCourseError, match="no such file"):
        read_conll(tmp_path / "nope.txt")
    (tmp_path / "latin1.txt").write_bytes("Café B-LOC\n".encode("latin-1"))
    with pytest.raises(CoNLLFormatError, match="not UTF-8"):
        read_conll(tmp_path / "latin1.txt")


def test_other_label_sets(tmp_path):
    data = read_conll(write(tmp_path, "Paris B-location\nis O\n"), label_names=["O", "B-location", "I-location"])
    assert data["ner_tags"] == [[1, 0]]


def test_mini_corpus_loads_and_verifies(mini_corpus):
    data = load_conll2003(mini_corpus)
    sizes = json.loads((mini_corpus / "splits.json").read_text())["sizes"]
    assert {split: len(data[split]) for split in data} == sizes
    assert all(data[s].features["ner_tags"].feature.names == nercourse.LABEL_NAMES for s in data)
    counts = {split: nercourse.entity_counts(data[split]) for split in data}
    assert all(set(c) == {"PER", "ORG", "LOC", "MISC"} for c in counts.values())


def test_environment_variable_names_the_folder(mini_corpus, monkeypatch):
    monkeypatch.setenv("NERCOURSE_DATA_DIR", str(mini_corpus))
    assert len(load_conll2003()["train"]) == expected_sizes(mini_corpus)["train"]


def test_folder_without_sizes_file_is_accepted_with_a_note_of_its_sizes(mini_corpus, tmp_path):
    for name in ("train.txt", "validation.txt", "test.txt"):
        shutil.copy(mini_corpus / name, tmp_path / name)
    with pytest.warns(nercourse.data.SplitSizesNote, match=r"600 / 150 / 150 sentences .* not CoNLL-2003's 14,041"):
        data = load_conll2003(tmp_path)
    assert {split: len(data[split]) for split in data} == {"train": 600, "validation": 150, "test": 150}


def test_a_declared_size_is_still_enforced_and_labels_always_are(mini_corpus, tmp_path):
    for name in ("train.txt", "validation.txt", "test.txt"):
        shutil.copy(mini_corpus / name, tmp_path / name)
    (tmp_path / "splits.json").write_text('{"sizes": {"train": 601, "validation": 150, "test": 150}}')
    with pytest.raises(NerCourseError, match=r"train has 600 sentences, expected 601"):
        load_conll2003(tmp_path)
    (tmp_path / "splits.json").unlink()
    with pytest.raises(CoNLLFormatError, match="B-GPE"):
        load_conll2003(tmp_path, label_names=["O", "B-GPE", "I-GPE"])


def test_original_file_names_are_found(tmp_path):
    for name in ("eng.train", "eng.testa", "eng.testb"):
        write(tmp_path, "a O\n", name)
    assert [p.name for p in find_split_files(tmp_path).values()] == ["eng.train", "eng.testa", "eng.testb"]


def test_missing_folder_or_split_is_explained(tmp_path):
    with pytest.raises(NerCourseError, match="does not exist"):
        load_conll2003(tmp_path / "nope")
    write(tmp_path, "a O\n", "train.txt")
    with pytest.raises(NerCourseError, match="no validation file"):
        load_conll2003(tmp_path)


def test_hub_offline_fails_fast_with_local_instructions(monkeypatch):
    import time

    monkeypatch.delenv("NERCOURSE_DATA_DIR", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    with pytest.raises(NerCourseError, match="NERCOURSE_DATA_DIR"):
        load_conll2003()
    assert time.perf_counter() - started < 10


def test_unreachable_hub_fails_fast(monkeypatch):
    monkeypatch.delenv("NERCOURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(NerCourseError, match="Cannot download CoNLL-2003.*no connection"):
        load_conll2003()


def seqeval_entities(tags):
    from seqeval.metrics.sequence_labeling import get_entities

    return sorted((kind, start, end + 1) for kind, start, end in get_entities(list(tags)))


@pytest.mark.parametrize(
    "tags",
    [
        ["B-PER", "I-PER", "O", "B-LOC"],
        ["I-PER", "I-PER", "O"],
        ["B-PER", "I-LOC", "I-LOC", "B-LOC"],
        ["B-ORG", "B-ORG", "I-ORG", "O", "I-MISC"],
        ["O", "O"],
        [],
    ],
)
def test_tag_spans_follow_seqeval_default_mode(tags):
    assert sorted(tag_spans(tags)) == seqeval_entities(tags)


def test_tag_spans_random_sequences_match_seqeval():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(nercourse.LABEL_NAMES), max_size=20))
    def check(tags):
        assert sorted(tag_spans(tags)) == seqeval_entities(tags)

    check()


def test_tag_and_entity_counts(tmp_path):
    data = read_conll(write(tmp_path, FOUR_COLUMNS))
    counts = nercourse.tag_counts(data)
    assert counts["O"] == 4 and counts["B-PER"] == 1 and counts["I-ORG"] == 1 and sum(counts.values()) == 9
    assert nercourse.entity_counts(data) == {"LOC": 1, "ORG": 1, "PER": 1}


def test_document_ids_follow_the_docstart_lines(tmp_path):
    from nercourse.conll import document_ids, read_conll_rows

    path = tmp_path / "docs.txt"
    path.write_text(
        "-DOCSTART- O\n\nA B-PER\n. O\n\nB O\n\n-DOCSTART- O\n\nC B-LOC\n\n\nD O\n-DOCSTART- O\nE O\n", encoding="utf-8"
    )
    assert document_ids(path) == [0, 0, 1, 1, 2]
    assert len(document_ids(path)) == len(read_conll_rows(path))
    plain = tmp_path / "plain.txt"
    plain.write_text("A O\n\nB O\n", encoding="utf-8")
    assert document_ids(plain) == [0, 0]


def test_read_conll_has_each_sentences_document_as_document_ids_counts_it(tmp_path, mini_corpus):
    from datasets import Value

    from nercourse.conll import document_ids

    path = tmp_path / "docs.txt"
    path.write_text(
        "-DOCSTART- O\n\nA B-PER\n. O\n\nB O\n\n-DOCSTART- O\n\nC B-LOC\n\n\nD O\n-DOCSTART- O\nE O\n", encoding="utf-8"
    )
    data = read_conll(path)
    assert data["document"] == document_ids(path) == [0, 0, 1, 1, 2]
    assert data.features["document"] == Value("int32")
    assert data.features == nercourse.conll.conll_features()
    splits = load_conll2003(mini_corpus)
    for split, file in find_split_files(mini_corpus).items():
        loaded = splits[split]
        assert loaded["document"] == document_ids(file), split
        assert len(set(loaded["document"])) == open(file, encoding="utf-8").read().count("-DOCSTART-"), split
