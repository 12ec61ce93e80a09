"""nercourse.settings: the Hub-id syntax the resolver and the model loader share."""

from __future__ import annotations

import pytest

from nercourse.settings import looks_like_hub_id


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dslim/bert-base-NER", True),
        ("models/bert-ner", True),
        ("ner-model", False),
        ("a/b/c", False),
        ("./x/y", False),
    ],
)
def test_hub_ids_have_the_owner_name_form(name, expected):
    assert looks_like_hub_id(name) is expected
