import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from annotate._util.validation import load_yaml, validation_error
from annotate.errors import TrainingError


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    size: int


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Item]


def _error(data):
    with pytest.raises(ValidationError) as info:
        Doc.model_validate(data)
    return validation_error(info.value, data, "cfg.yaml", TrainingError, reference="the docs")


def test_unknown_key_is_reported_first_with_the_item_name():
    err = _error({"items": [{"name": "a", "size": "x", "colour": 1}]})
    assert isinstance(err, TrainingError)
    assert "unknown key 'items[0](a).colour'" in str(err)
    assert "1 more problem after this one" in str(err)
    assert "Fix:" in str(err) and "\n" not in str(err)


def test_missing_key_says_so():
    assert "required key 'items[0](b).size' is missing" in str(_error({"items": [{"name": "b"}]}))


def test_yaml_duplicate_key_and_syntax_error_are_one_line_errors():
    with pytest.raises(TrainingError, match="duplicate key 'a'"):
        load_yaml("a: 1\na: 2\n", "cfg.yaml", TrainingError)
    with pytest.raises(TrainingError, match=r"not valid YAML at line 2, column 1"):
        load_yaml("a: [1\n", "cfg.yaml", TrainingError)


def test_unknown_key_gets_the_closest_key_of_the_schema_at_its_place():
    data = {"items": [{"name": "a", "sise": 1}]}
    with pytest.raises(ValidationError) as info:
        Doc.model_validate(data)
    err = validation_error(info.value, data, "c.yaml", TrainingError, reference="d", schema=Doc)
    assert err.fix.startswith("did you mean 'size'?")
    without = validation_error(info.value, data, "c.yaml", TrainingError, reference="d")
    assert "did you mean" not in without.fix  # no schema: no guess


def test_a_document_that_is_no_mapping_says_what_it_holds():
    err = _error(["items"])
    assert str(err).startswith(
        "cfg.yaml must be a YAML mapping (`key: value` lines); it holds a list"
    )


def test_a_refused_value_is_quoted_beside_what_was_expected():
    """`group: harmfull` in labels.yaml said "Input should be 'harmful', 'context' or
    'none'", `hide_terms: limbs` "Input should be a valid list": what was found was left
    for the user to find in the file."""
    err = _error({"items": [{"name": "a", "size": "big"}]})
    assert "items[0](a).size: Input should be a valid integer" in str(err), err
    assert "(found 'big')" in str(err), err
    long = _error({"items": [{"name": "a", "size": "x" * 500}]})
    assert "(found 'xxx" in str(long) and "x" * 100 not in str(long), long
    listed = _error({"items": [{"name": "a", "size": [1, 2]}]})
    assert "(found a list)" in str(listed), listed
