"""nercourse.spans: JSONL span annotations (doccano's and the {"spans": [...]} form) to words and IOB2 tags,
and every way a record can be wrong, each named by file and line."""

from __future__ import annotations

import json
import warnings

import pytest

import nercourse
from nercourse.conll import NoEntityWarning
from nercourse.errors import DataFormatError, NerCourseError
from nercourse.spans import LabelLooksLikeTagWarning, SpanExpansionWarning, read_jsonl

TEXT = "Norvale Systems unveiled the AeroBook Pro 14 on Tuesday."
#       0         1         2         3         4         5
#       0123456789012345678901234567890123456789012345678901234567


def write_jsonl(tmp_path, *records, name="data.jsonl"):
    """Each record is a dict (written as JSON) or a string (written as it is)."""
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_one_record_becomes_words_and_iob2_tags():
    words, tags = nercourse.spans_to_tags(TEXT, [[0, 15, "COMPANY"], [29, 44, "PRODUCT"]])
    assert words == ["Norvale", "Systems", "unveiled", "the", "AeroBook", "Pro", "14", "on", "Tuesday", "."]
    assert tags == ["B-COMPANY", "I-COMPANY", "O", "O", "B-PRODUCT", "I-PRODUCT", "I-PRODUCT", "O", "O", "O"]
    assert [w.text for w in nercourse.split_words(TEXT)] == words  # the course's words, nothing else


def test_both_record_forms_read_the_same_and_labels_come_from_the_spans(tmp_path):
    doccano = write_jsonl(
        tmp_path, {"id": 1, "text": TEXT, "label": [[29, 44, "PRODUCT"], [0, 15, "COMPANY"]]}, name="a.jsonl"
    )
    spans = [{"start": 0, "end": 15, "label": "COMPANY"}, {"start": 29, "end": 44, "label": "PRODUCT"}]
    other = write_jsonl(tmp_path, "", {"text": TEXT, "spans": spans}, "   ", name="b.jsonl")  # blank lines skipped
    a, b = read_jsonl(doccano), read_jsonl(other)
    assert a["tokens"] == b["tokens"] and a["ner_tags"] == b["ner_tags"]
    assert nercourse.label_names_of(a) == ["O", "B-COMPANY", "I-COMPANY", "B-PRODUCT", "I-PRODUCT"]
    assert a.features == nercourse.conll.conll_features(nercourse.label_names_of(a))


def test_spaces_a_selection_took_along_are_left_out():
    assert nercourse.spans_to_tags(TEXT, [[28, 45, "PRODUCT"]])[1][3:7] == ["O", "B-PRODUCT", "I-PRODUCT", "I-PRODUCT"]


def test_a_span_off_word_boundaries_is_an_error_with_its_text_and_the_words_around_it(tmp_path):
    path = write_jsonl(tmp_path, {"text": "Sales fell.", "label": []}, {"text": TEXT, "label": [[29, 35, "PRODUCT"]]})
    with pytest.raises(DataFormatError) as error:
        read_jsonl(path)
    message = str(error.value)
    assert message.startswith(f"{path}:2: span [29, 35, 'PRODUCT'] 'AeroBo' ")
    assert "does not fall on word boundaries" in message
    assert "unveiled the [AeroBook] Pro 14 on" in message
    assert "align='expand'" in message and "--expand-spans" in message


def test_expand_widens_spans_to_the_words_they_touch_and_says_how_many(tmp_path):
    path = write_jsonl(
        tmp_path,
        {"text": TEXT, "label": [[2, 10, "COMPANY"], [29, 44, "PRODUCT"]]},  # 'rvale Sy': inside two words
        {"text": "Buy the Lumen X2 now.", "label": [[8, 15, "PRODUCT"]]},  # 'Lumen X': cuts X2
    )
    with pytest.warns(SpanExpansionWarning, match=r"data.jsonl: 2 spans did not fall on word boundaries"):
        data = read_jsonl(path, align="expand")
    tags = nercourse.gold_tags(data)
    assert tags[0][:2] == ["B-COMPANY", "I-COMPANY"] and tags[1] == ["O", "O", "B-PRODUCT", "I-PRODUCT", "O", "O"]


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([[0, 15, "COMPANY"], [8, 15, "COMPANY"]], "spans [0, 15, 'COMPANY'] 'Norvale Systems' and [8, 15, 'COMPANY'] 'Systems' overlap"),
        ([[29, 44, "PRODUCT"], [29, 44, "PRODUCT"]], "overlap"),  # the same span twice is not silently merged
    ],
)  # fmt: skip
def test_overlapping_spans_are_an_error_never_a_silent_drop(tmp_path, spans, message):
    path = write_jsonl(tmp_path, {"text": TEXT, "label": spans})
    with pytest.raises(DataFormatError, match="overlap") as error:
        read_jsonl(path)
    assert str(error.value).startswith(f"{path}:1: ") and message in str(error.value)


def test_spans_that_overlap_only_once_widened_are_an_error_too(tmp_path):
    path = write_jsonl(tmp_path, {"text": "The AppleCare plan.", "label": [[4, 9, "PRODUCT"], [9, 13, "PRODUCT"]]})
    with pytest.raises(DataFormatError, match=r"data.jsonl:1: spans .* overlap \(once widened to whole words\)"):
        read_jsonl(path, align="expand")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "Sales fell.", "label": [}', "not valid JSON"),
        ('["Sales fell."]', "a record is a JSON object, this is list"),
        ('{"label": [[0, 5, "PRODUCT"]]}', "the record has no 'text' (its keys: label)"),
        ('{"text": 42, "label": []}', "'text' is 42, not a string"),
        ('{"text": "Sales fell."}', "the record has no 'label' or 'spans'"),
        ('{"text": "Sales fell.", "label": [[0, 99, "PRODUCT"]]}', "span [0, 99, 'PRODUCT'] is outside the text, which has 11 characters"),
        ('{"text": "Sales fell.", "label": [[-1, 5, "PRODUCT"]]}', "is outside the text"),
        ('{"text": "Sales fell.", "label": [[6, 6, "PRODUCT"]]}', "is outside the text"),
        ('{"text": "Sales fell.", "label": [[0, 5.0, "PRODUCT"]]}', "has the offset 5.0, not an integer"),
        ('{"text": "Sales fell.", "label": [["0", 5, "PRODUCT"]]}', "has the offset '0', not an integer"),
        ('{"text": "Sales fell.", "label": [[0, 5]]}', "is neither [start, end, TYPE] nor {start, end, label}"),
        ('{"text": "Sales fell.", "label": [[0, 5, "NEW PRODUCT"]]}', "has the label 'NEW PRODUCT'"),
        ('{"text": "Sales fell.", "spans": [{"start": 0, "end": 5}]}', "is neither [start, end, TYPE]"),
        ('{"text": "   ", "label": []}', "the text has no words"),
    ],
)  # fmt: skip
def test_bad_records_are_errors_naming_file_and_line(tmp_path, line, message):
    path = write_jsonl(tmp_path, {"text": "Sales fell.", "label": []}, "", line)
    with pytest.raises(DataFormatError) as error:
        read_jsonl(path)
    assert str(error.value).startswith(f"{path}:3: "), str(error.value)
    assert message in str(error.value) and "How to fix" in str(error.value)


def test_empty_missing_and_entity_free_files(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"empty.jsonl: no records found"):
        read_jsonl(empty)
    with pytest.raises(NerCourseError, match="no such file"):
        read_jsonl(tmp_path / "nope.jsonl")
    plain = write_jsonl(tmp_path, {"text": "Sales fell.", "label": []}, name="plain.jsonl")
    with pytest.warns(NoEntityWarning, match=r"plain.jsonl: no entity at all"):
        read_jsonl(plain)


def test_given_labels_make_any_other_type_an_error_with_the_line(tmp_path):
    path = write_jsonl(
        tmp_path, {"text": TEXT, "label": [[0, 15, "COMPANY"]]}, {"text": TEXT, "label": [[0, 15, "BRAND"]]}
    )
    with pytest.raises(
        DataFormatError, match=r"data.jsonl:2: unknown label 'BRAND': type 'BRAND' does not occur in train.jsonl"
    ):
        read_jsonl(path, ["O", "B-COMPANY", "I-COMPANY"], labels_from="train.jsonl")


def test_direct_calls_raise_the_course_error_and_bad_options_are_refused():
    with pytest.raises(NerCourseError, match="does not fall on word boundaries") as error:
        nercourse.spans_to_tags(TEXT, [[1, 15, "COMPANY"]])
    assert not isinstance(error.value, DataFormatError)  # no file, no line
    with pytest.raises(NerCourseError, match="align='wide' is not one of"):
        nercourse.spans_to_tags(TEXT, [], align="wide")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nercourse.spans_to_tags(TEXT, [])[1] == ["O"] * 10  # no warning for one text without entities


def test_a_label_that_is_a_tag_is_refused_or_warned_about(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"text": "Anna met Bob.", "label": [[0, 4, "O"]]}) + "\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"train.jsonl:1: .*the label 'O' is a tag for no entity"):
        read_jsonl(path)
    # B-PER may be a type of someone's own (B-cell...), so it is read, with a warning that names the likely type
    path.write_text(json.dumps({"text": "Anna met Bob.", "label": [[0, 4, "B-PER"], [9, 12, "I-PER"]]}) + "\n")
    with pytest.warns(LabelLooksLikeTagWarning, match=r"\['B-PER', 'I-PER'\] look like tags.*If 'PER' is the type"):
        split = read_jsonl(path)
    assert nercourse.label_names_of(split) == ["O", "B-B-PER", "I-B-PER", "B-I-PER", "I-I-PER"]
