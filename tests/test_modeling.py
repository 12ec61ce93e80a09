"""nercourse.modeling: every way a model folder can be wrong gets a message, not a traceback."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import nercourse
from nercourse.errors import NerCourseError


def test_training_model_gets_the_course_labels_and_float32(tiny_bert):
    model = nercourse.load_model_for_training(tiny_bert)
    assert model.config.id2label == dict(enumerate(nercourse.LABEL_NAMES))
    assert model.config.label2id == {n: i for i, n in enumerate(nercourse.LABEL_NAMES)}
    assert model.classifier.out_features == 9
    assert all(p.dtype.is_floating_point and str(p.dtype) == "torch.float32" for p in model.parameters())


def test_missing_folder(tmp_path):
    for name in (str(tmp_path / "nope"), Path("models/not-trained-yet"), "./nope"):
        with pytest.raises(NerCourseError, match="does not exist") as error:
            nercourse.load_finetuned(name)
        assert "python -m nercourse train" in str(error.value)


def test_empty_folder(tmp_path):
    with pytest.raises(NerCourseError, match="Could not load the tokenizer"):
        nercourse.load_finetuned(tmp_path)


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
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    started = time.perf_counter()
    with pytest.raises(NerCourseError, match="Cannot download the tokenizer 'bert-base-cased'"):
        nercourse.load_tokenizer("bert-base-cased")
    assert time.perf_counter() - started < 10


def test_hub_id_in_offline_mode_without_cache(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NerCourseError, match="Could not load the tokenizer from 'bert-base-cased'"):
        nercourse.load_tokenizer("bert-base-cased")


def test_non_iob_labels_are_refused(finetuned_tiny):
    from nercourse.modeling import model_label_names

    model, _ = nercourse.load_finetuned(finetuned_tiny)
    model.config.id2label = {
        i: name for i, name in enumerate(["O", "PERSON", "B-LOC", "I-LOC", "x", "y", "z", "u", "v"])
    }
    with pytest.raises(NerCourseError, match="not IOB2 tags"):
        model_label_names(model)
