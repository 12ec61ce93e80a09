"""nercourse.modeling: every way a model folder can be wrong gets a message, not a traceback."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from helpers import save_without_label_names

import nercourse
from nercourse.errors import NerCourseError
from nercourse.modeling import LabelMappingWarning

NO_NETWORK = {"HF_ENDPOINT": "http://127.0.0.1:9"}  # connection refused at once: "no network", fast


def without_network(monkeypatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    for name, value in NO_NETWORK.items():
        monkeypatch.setenv(name, value)
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_training_model_gets_the_course_labels_and_float32(tiny_bert):
    model = nercourse.load_model_for_training(tiny_bert)
    assert model.config.id2label == dict(enumerate(nercourse.LABEL_NAMES))
    assert model.config.label2id == {n: i for i, n in enumerate(nercourse.LABEL_NAMES)}
    assert model.classifier.out_features == 9
    assert all(p.dtype.is_floating_point and str(p.dtype) == "torch.float32" for p in model.parameters())


def test_missing_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (str(tmp_path / "nope"), Path("models/not-trained-yet"), "./nope", "ner-model"):
        with pytest.raises(NerCourseError, match="Model folder .* not found: there is no such folder") as error:
            nercourse.load_finetuned(name)
        assert f"python -m nercourse train --output-dir {name}" in str(error.value)
        assert "--model" in str(error.value)
    with pytest.raises(NerCourseError, match="in the working directory " + str(tmp_path)):
        nercourse.load_finetuned("ner-model")  # a relative name says where it was looked for


def test_a_file_is_not_a_model_folder(finetuned_tiny):
    with pytest.raises(NerCourseError, match="is a file, not a model folder"):
        nercourse.load_finetuned(Path(finetuned_tiny) / "config.json")


def test_finetuned_name_neither_here_nor_on_the_hub_names_both(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NerCourseError) as error:
        nercourse.load_finetuned("models/bert-ner")
    message = str(error.value)
    assert f"no folder of that name in the working directory {tmp_path}" in message
    assert "as a Hugging Face Hub id" in message and "python -m nercourse train --output-dir models/bert-ner" in message
    assert "incomplete or corrupt" not in message

    without_network(monkeypatch)
    started = time.perf_counter()
    with pytest.raises(NerCourseError, match="Cannot download the fine-tuned model 'models/bert-ner'") as error:
        nercourse.load_finetuned("models/bert-ner")
    assert time.perf_counter() - started < 10
    assert f"no folder of that name in the working directory {tmp_path}" in str(error.value)


def test_fp16_checkpoint_loads_as_float32(finetuned_tiny, tmp_path):
    import torch

    model, tokenizer = nercourse.load_finetuned(finetuned_tiny)
    model.to(torch.float16).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    loaded, _ = nercourse.load_finetuned(tmp_path)
    assert {p.dtype for p in loaded.parameters()} == {torch.float32}


@pytest.mark.parametrize("generic", [False, True], ids=["no id2label", "LABEL_0..8"])
def test_config_without_label_names(finetuned_tiny, tmp_path, generic):
    folder = save_without_label_names(finetuned_tiny, tmp_path / "model", generic=generic)
    with pytest.raises(NerCourseError, match="has no label names") as error:
        nercourse.load_finetuned(folder)
    message = str(error.value)
    assert "--label-names conll2003" in message and "label_names=nercourse.LABEL_NAMES" in message
    assert "ignore_mismatched_sizes" not in message
    with pytest.warns(LabelMappingWarning):
        model, _ = nercourse.load_finetuned(folder, label_names=nercourse.LABEL_NAMES)
    reference, _ = nercourse.load_finetuned(finetuned_tiny)
    assert model.config.id2label == reference.config.id2label
    for mine, theirs in zip(model.state_dict().values(), reference.state_dict().values(), strict=True):
        assert mine.equal(theirs)
    with pytest.raises(NerCourseError, match="does not have 3 outputs, one per label name given"):
        nercourse.load_finetuned(folder, label_names=["O", "B-PER", "I-PER"])


def test_a_folder_without_config_json_is_no_model(tmp_path, mini_corpus):
    with pytest.raises(NerCourseError, match=r"has no config.json, so it holds no model \(it is empty\)"):
        nercourse.load_finetuned(tmp_path)
    # a data folder passed as the model: said so, with what the folder holds
    for load in (nercourse.load_finetuned, nercourse.load_model_for_training):
        with pytest.raises(NerCourseError, match=r"has no config.json, so it holds no model \(it holds .*train\.txt"):
            load(mini_corpus)


def test_invalid_config_json(finetuned_tiny, tmp_path):
    folder = Path(shutil.copytree(finetuned_tiny, tmp_path / "model"))
    (folder / "config.json").write_text("{ not json")
    with pytest.raises(NerCourseError, match="Could not load the (tokenizer|model).*config.json"):
        nercourse.load_finetuned(folder)


def test_corrupt_weights(finetuned_tiny, tmp_path):
    folder = Path(shutil.copytree(finetuned_tiny, tmp_path / "model"))
    (folder / "model.safetensors").write_bytes(os.urandom(100))
    with pytest.raises(NerCourseError, match="incomplete or corrupt"):
        nercourse.load_finetuned(folder)


def test_config_without_tokenizer_files(finetuned_tiny, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(Path(finetuned_tiny) / "config.json", folder)
    with pytest.raises(NerCourseError, match="tokenizer"):
        nercourse.load_finetuned(folder)


def test_hub_id_without_network_fails_fast(monkeypatch):
    without_network(monkeypatch)
    started = time.perf_counter()
    with pytest.raises(NerCourseError, match="Cannot download the tokenizer 'bert-base-cased'"):
        nercourse.load_tokenizer("bert-base-cased")
    assert time.perf_counter() - started < 10


def test_pretrained_hub_id_in_offline_mode_without_cache(monkeypatch):
    # bert-base-cased has no owner: for a *pretrained* model it is still a Hub id, not a missing folder.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for load in (nercourse.load_tokenizer, nercourse.load_model_for_training):
        with pytest.raises(NerCourseError, match="Could not load 'bert-base-cased'.*as a Hugging Face Hub id"):
            load("bert-base-cased")


def test_non_iob_labels_are_refused(finetuned_tiny):
    from nercourse.modeling import model_label_names

    model, _ = nercourse.load_finetuned(finetuned_tiny)
    model.config.id2label = {
        i: name for i, name in enumerate(["O", "PERSON", "B-LOC", "I-LOC", "x", "y", "z", "u", "v"])
    }
    with pytest.raises(NerCourseError, match="not IOB2 tags"):
        model_label_names(model)
