"""nercourse.finetuned: the one resolver for "the fine-tuned model", in its order, on any runtime."""

from __future__ import annotations

import shutil

import pytest

import nercourse
from nercourse import finetuned
from nercourse.errors import NerCourseError


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A fresh runtime: an empty working directory, no settings, no Drive."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(finetuned.FINETUNED_ENV, raising=False)
    monkeypatch.delenv(finetuned.IF_MISSING_ENV, raising=False)
    return {"drive_root": tmp_path / "no-drive", "drive_dir": tmp_path / "no-drive" / "MyDrive" / "m"}


def _never(*args, **kwargs):
    raise AssertionError("must not be called here")


def test_a_folder_in_the_settings_wins(fresh, finetuned_tiny, monkeypatch):
    shutil.copytree(finetuned_tiny, "models/bert-ner")  # notebook 03's folder exists too: the setting still wins
    monkeypatch.setenv(finetuned.FINETUNED_ENV, finetuned_tiny)
    found = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=_never, log=None)
    assert (found.name_or_path, found.source) == (finetuned_tiny, "setting")


def test_a_hub_id_in_the_settings_goes_to_the_loader(fresh, finetuned_tiny, monkeypatch):
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    found = finetuned.resolve_finetuned("someone/bert-ner", **fresh, train=_never, hub_reachable=_never, log=None)
    assert (found.name_or_path, found.source, found.is_local) == ("someone/bert-ner", "setting", False)

    asked = []
    real_model, real_tokenizer = AutoModelForTokenClassification.from_pretrained, AutoTokenizer.from_pretrained

    def stub(real):
        return lambda name, **kwargs: asked.append(name) or real(finetuned_tiny, **kwargs)

    monkeypatch.setattr(AutoModelForTokenClassification, "from_pretrained", stub(real_model))
    monkeypatch.setattr(AutoTokenizer, "from_pretrained", stub(real_tokenizer))
    monkeypatch.setattr(nercourse.modeling, "require_hub", lambda *args: None)  # as if the Hub were reachable
    tagger = nercourse.NerTagger.from_pretrained(found.name_or_path)
    assert set(asked) == {"someone/bert-ner"} and tagger.label_names == nercourse.LABEL_NAMES


@pytest.mark.parametrize("bad", ["no/such/folder", "./missing", "missing-folder"])
def test_a_setting_that_is_neither_folder_nor_hub_id_is_an_error(fresh, bad):
    with pytest.raises(NerCourseError, match="neither a folder here"):
        finetuned.resolve_finetuned(bad, **fresh, train=_never, hub_reachable=_never, log=None)


def test_a_folder_without_a_model_is_an_error(fresh, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(NerCourseError, match="without config.json"):
        finetuned.resolve_finetuned(str(tmp_path / "empty"), **fresh, log=None)


def test_then_the_folder_notebook_03_saved(fresh, finetuned_tiny):
    shutil.copytree(finetuned_tiny, "models/bert-ner")
    lines = []
    found = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=_never, log=lines.append)
    assert (found.name_or_path, found.source) == ("models/bert-ner", "notebook 03")
    assert lines[0].startswith("1. settings") and "notebook 03 saved" in lines[-1]


def test_then_google_drive_when_mounted(fresh, finetuned_tiny):
    shutil.copytree(finetuned_tiny, fresh["drive_dir"])
    found = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=_never, log=None)
    assert (found.name_or_path, found.source) == (str(fresh["drive_dir"]), "drive")


def test_nothing_found_online_uses_the_public_model(fresh):
    lines = []
    found = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=lambda: True, log=lines.append)
    assert (found.name_or_path, found.source) == (finetuned.PUBLIC_MODEL, "public")
    assert [line[:2] for line in lines[:4]] == ["1.", "2.", "3.", "4."]


def test_nothing_found_offline_trains_now_where_the_next_notebook_looks(fresh, finetuned_tiny):
    calls = []

    def train(model_name, output_dir, **kwargs):
        calls.append((model_name, output_dir, kwargs))
        shutil.copytree(finetuned_tiny, output_dir)

    found = finetuned.resolve_finetuned(
        **fresh,
        model_name="tiny",
        data_dir="corpus",
        profile="smoke",
        train=train,
        hub_reachable=lambda: False,
        log=None,
    )
    assert calls == [("tiny", "models/bert-ner", {"data_dir": "corpus", "profile": "smoke"})]
    assert (found.name_or_path, found.source) == ("models/bert-ner", "trained now")
    again = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=_never, log=None)
    assert again.source == "notebook 03"  # the next notebook on this runtime finds it


def test_the_choice_can_be_forced_and_error_lists_every_way_out(fresh, monkeypatch):
    monkeypatch.setenv(finetuned.IF_MISSING_ENV, "public")
    assert finetuned.resolve_finetuned(**fresh, hub_reachable=_never, log=None).source == "public"
    with pytest.raises(
        NerCourseError, match=r"(?s)python -m nercourse train.*NERCOURSE_FINETUNED.*dslim/bert-base-NER"
    ):
        finetuned.resolve_finetuned(**fresh, if_missing="error", log=None)
    with pytest.raises(NerCourseError, match="auto, public, train, error"):
        finetuned.resolve_finetuned(**fresh, if_missing="download", log=None)


def test_training_now_really_trains_the_tiny_model(fresh, tiny_bert, mini_corpus):
    found = finetuned.resolve_finetuned(
        **fresh, if_missing="train", model_name=tiny_bert, data_dir=str(mini_corpus), profile="smoke", log=None
    )
    assert found.source == "trained now" and finetuned.is_model_folder(found.name_or_path)
    assert nercourse.NerTagger.from_pretrained(found.name_or_path).label_names == nercourse.LABEL_NAMES


def test_training_plan_counts_steps_and_quotes_only_measured_times():
    assert "313 optimizer steps" in finetuned.training_plan("lite", "cpu")  # 2,500 sentences / batch 8
    assert "measured" in finetuned.training_plan("lite", "cpu")
    assert "not measured" in finetuned.training_plan("full", "cuda")


def test_label_mapping_is_by_name():
    public_order = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    rows = finetuned.label_mapping(public_order, nercourse.LABEL_NAMES)
    assert all(nercourse.LABEL_NAMES[course] == name == public_order[model] for model, name, course in rows)
    assert rows[1] == (1, "B-MISC", 7)
    with pytest.raises(NerCourseError, match="B-GPE"):
        finetuned.label_mapping(["O", "B-GPE"], nercourse.LABEL_NAMES)
