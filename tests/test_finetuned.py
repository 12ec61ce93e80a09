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
    rows = nercourse.label_mapping(public_order, nercourse.LABEL_NAMES)
    assert all(nercourse.LABEL_NAMES[course] == name == public_order[model] for model, name, course in rows)
    assert rows[1] == (1, "B-MISC", 7)
    with pytest.raises(NerCourseError, match="B-GPE"):
        nercourse.label_mapping(["O", "B-GPE"], nercourse.LABEL_NAMES)


# ------------------------------------------------------------ Google Drive, and saying whose model it is


@pytest.fixture
def colab(monkeypatch, fresh):
    """A simulated Colab runtime whose ``drive.mount`` records its calls and 'mounts' the fresh Drive folder."""
    import sys
    import types

    mounted = []
    colab_module = types.ModuleType("google.colab")
    colab_module.drive = types.SimpleNamespace(mount=lambda root: mounted.append(root) or fresh["drive_root"].mkdir())
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab_module)
    return mounted


def test_mount_drive_mounts_it_first_on_colab_and_finds_the_copy(fresh, colab, finetuned_tiny):
    def mount_and_find(root):
        colab.append(root)
        shutil.copytree(finetuned_tiny, fresh["drive_dir"])  # the copy notebook 03 saved is there once mounted

    import sys

    sys.modules["google.colab"].drive.mount = mount_and_find
    found = finetuned.resolve_finetuned(**fresh, mount_drive=True, train=_never, hub_reachable=_never, log=None)
    assert colab == [str(fresh["drive_root"])]
    assert (found.name_or_path, found.source) == (str(fresh["drive_dir"]), "drive")


def test_mount_drive_leaves_a_mounted_drive_alone(fresh, colab, finetuned_tiny):
    shutil.copytree(finetuned_tiny, fresh["drive_dir"])
    found = finetuned.resolve_finetuned(**fresh, mount_drive=True, train=_never, hub_reachable=_never, log=None)
    assert colab == [] and found.source == "drive"


def test_mount_drive_outside_colab_is_ignored_and_says_so(fresh):
    lines = []
    found = finetuned.resolve_finetuned(**fresh, mount_drive=True, hub_reachable=lambda: True, log=lines.append)
    assert found.source == "public"
    assert any("MOUNT_DRIVE" in line and "ignored" in line for line in lines)


def test_on_colab_without_drive_the_resolver_names_the_setting(fresh, colab):
    lines = []
    finetuned.resolve_finetuned(**fresh, hub_reachable=lambda: True, log=lines.append)
    assert colab == [] and any("not mounted" in line and "MOUNT_DRIVE = True" in line for line in lines)


def test_a_public_model_comes_with_a_banner_that_says_why_and_how_to_use_yours(fresh, colab):
    lines = []
    finetuned.resolve_finetuned(**fresh, hub_reachable=lambda: True, log=lines.append)
    banner = "\n".join(lines[lines.index(next(line for line in lines if "NOT THE MODEL YOU TRAINED" in line)) :])
    assert finetuned.PUBLIC_MODEL in banner
    for why in ("models/bert-ner", "Google Drive is not mounted", "the Hub is reachable"):
        assert why in banner, why
    for how in ("run notebook 03 on this runtime", "SAVE_TO_DRIVE = True", "MOUNT_DRIVE = True", "FINETUNED"):
        assert how in banner, how


def test_a_public_model_asked_for_says_so_in_its_banner(fresh):
    lines = []
    finetuned.resolve_finetuned(**fresh, if_missing="public", hub_reachable=_never, log=lines.append)
    banner = "\n".join(lines)
    assert "NOT THE MODEL YOU TRAINED" in banner and "IF_NO_MODEL is 'public'" in banner
    assert "Google Drive" not in banner.split("NOT THE MODEL")[1].split("To use yours")[0]  # not on Colab here


def test_a_model_trained_now_gets_a_milder_note(fresh, finetuned_tiny):
    lines = []
    finetuned.resolve_finetuned(
        **fresh,
        profile="smoke",
        train=lambda name, output_dir, **kwargs: shutil.copytree(finetuned_tiny, output_dir),
        hub_reachable=lambda: False,
        log=lines.append,
    )
    text = "\n".join(lines)
    assert "NOT THE MODEL YOU TRAINED" not in text
    assert "not the model you trained in notebook 03" in text and "the Hub is not reachable" in text
    assert "run notebook 03 on this runtime" in text and "FINETUNED" in text


@pytest.mark.parametrize("where", ["setting", "notebook 03", "drive"])
def test_your_own_model_comes_without_a_banner(fresh, finetuned_tiny, monkeypatch, where):
    if where == "setting":
        monkeypatch.setenv(finetuned.FINETUNED_ENV, finetuned_tiny)
    else:
        shutil.copytree(finetuned_tiny, "models/bert-ner" if where == "notebook 03" else fresh["drive_dir"])
    lines = []
    found = finetuned.resolve_finetuned(**fresh, train=_never, hub_reachable=_never, log=lines.append)
    assert found.source == where
    assert not any("model you trained" in line.lower() for line in lines)
