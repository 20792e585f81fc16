"""The taxonomy loader and the labeling config it renders (table-driven)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from annotate.errors import TaxonomyError
from annotate.taxonomy import load_taxonomy, parse_taxonomy

ROOT = Path(__file__).resolve().parent.parent
BASE = yaml.safe_load((ROOT / "labels.yaml").read_text())


def _mutate(fn):
    data = yaml.safe_load((ROOT / "labels.yaml").read_text())
    fn(data)
    return yaml.safe_dump(data, sort_keys=False)


def _dup_category(d):
    d["categories"].append(dict(d["categories"][0]))


def _dup_span(d):
    d["spans"].append(dict(d["spans"][0]))


BAD = [
    ("duplicate category", _mutate(_dup_category), ["duplicate category name", "violent_threat"]),
    ("duplicate span label", _mutate(_dup_span), ["duplicate span label", "threat"]),
    ("unknown top key", _mutate(lambda d: d.update(colour="red")), ["unknown key", "colour"]),
    (
        "unknown category key",
        _mutate(lambda d: d["categories"][1].update(exampels=[])),
        ["unknown key", "categories[1](incitement).exampels"],
    ),
    ("missing version", _mutate(lambda d: d.pop("version")), ["required key", "version"]),
    ("bad version", _mutate(lambda d: d.update(version="v1")), ["semantic version", "'v1'"]),
    # YAML reads an unquoted `version: 1.0` as a number: say what is expected, not "string"
    ("numeric version", _mutate(lambda d: d.update(version=1.0)), ["semantic version", "1.0"]),
    (
        "bad name",
        _mutate(lambda d: d["categories"][0].update(name="Violent Threat")),
        ["snake_case", "Violent Threat"],
    ),
    (
        "bad group",
        _mutate(lambda d: d["categories"][0].update(group="bad")),
        ["categories[0]", "group"],
    ),
    (
        "two none groups",
        _mutate(lambda d: d["categories"][0].update(group="none")),
        ["exactly one category with group 'none'"],
    ),
    (
        "example with unknown label",
        _mutate(lambda d: d["categories"][0]["examples"][0].update(labels=["bogus"])),
        ["unknown category 'bogus'"],
    ),
    (
        "span not in example text",
        _mutate(lambda d: d["categories"][4]["examples"][0]["spans"][0].update(text="not there")),
        ["does not occur in the example text"],
    ),
    (
        "bad colour",
        _mutate(lambda d: d["spans"][0].update(color="red")),
        ["colour like", "'red'"],
    ),
    ("duplicate yaml key", "name: a\nname: b\n", ["not valid YAML", "duplicate key 'name'"]),
    ("not a mapping", "- a\n- b\n", ["expected a mapping"]),
    ("broken yaml", "name: [unclosed\n", ["not valid YAML", "line"]),
]


@pytest.mark.parametrize(("case", "text", "needles"), BAD, ids=[b[0] for b in BAD])
def test_bad_taxonomy_gives_one_line_error(case, text, needles):
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text)
    msg = str(info.value)
    assert "\n" not in msg
    assert "Fix:" in msg
    for needle in needles:
        assert needle in msg, (case, msg)


def test_missing_file(tmp_path):
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_project_taxonomy_label_space(taxonomy):
    assert taxonomy.category_names == [
        "violent_threat",
        "incitement",
        "graphic_violence",
        "extremist_propaganda",
        "news_reporting",
        "counter_speech",
        "none",
    ]
    assert taxonomy.harmful == taxonomy.category_names[:4]
    assert taxonomy.context == ["news_reporting", "counter_speech"]
    assert taxonomy.none_label == "none"
    assert taxonomy.label2id["none"] == 6 and taxonomy.id2label[0] == "violent_threat"
    assert "quoted_propaganda" in taxonomy.span_names
    assert taxonomy.severity_names[0] == "none" and taxonomy.severity_names[-1] == "critical"


def test_label_config_is_deterministic_valid_xml_and_complete(taxonomy):
    xml = taxonomy.render_label_config()
    assert xml == load_taxonomy(ROOT / "labels.yaml").render_label_config()
    root = ET.fromstring(xml)
    ui = taxonomy.interface
    by_name = {el.get("name"): el for el in root.iter() if el.get("name")}
    assert by_name[ui.passage].tag == "Text" and by_name[ui.passage].get("value") == "$text"
    cats = by_name[ui.categories]
    assert cats.tag == "Choices" and cats.get("choice") == "multiple"
    # reviewers see display names; results store the ids (alias)
    assert [c.get("alias") for c in cats] == taxonomy.category_names
    assert [c.get("value") for c in cats] == [c.title for c in taxonomy.categories]
    spans = by_name[ui.spans]
    assert spans.tag == "Labels" and spans.get("toName") == ui.passage
    assert [c.get("alias") for c in spans] == taxonomy.span_names
    assert [c.get("value") for c in by_name[ui.severity]] == taxonomy.severity_names
    assert by_name[ui.comment].tag == "TextArea"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("definition", 'Quotes " and <angle> & ampersands'),
        ("title", "A 'title' <with> & \"markup\""),
    ],
)
def test_label_config_escapes_xml(field, value):
    text = _mutate(lambda d: d["categories"][0].update({field: value}))
    xml = parse_taxonomy(text).render_label_config()
    root = ET.fromstring(xml)  # would raise on bad escaping
    hint = next(el.get("hint") for el in root.iter("Choice") if el.get("alias") == "violent_threat")
    assert value in hint


def test_export_features_follow_taxonomy(taxonomy):
    feats = taxonomy.export_features()
    assert feats["labels"].feature.names == taxonomy.category_names
    assert feats["split"].names == ["train", "validation", "test"]
    assert list(feats["model_scores"]) == taxonomy.category_names


def test_an_example_naming_a_renamed_category_is_named_by_its_place_and_words():
    """`incitement` renamed in labels.yaml: the error said "example of 'extremist_propaganda'
    uses unknown category 'incitement'" for whichever of its examples came first, leaving
    the user to search every example of the category for the old name."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    renamed = text.replace("  - name: incitement\n", "  - name: incitement_to_violence\n", 1)
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(renamed)
    said = str(err.value)
    assert "example 1 of 'incitement_to_violence' ('Stop talking" in said, said
    assert "uses unknown category 'incitement'" in said, said


def test_a_cross_check_error_has_no_top_level_prefix():
    """A bad example (or migration) is found by the whole-document check, which has no
    field path: the error read "labels.yaml: <top level>: example 1 of ..."."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    renamed = text.replace("  - name: incitement\n", "  - name: incitement_to_violence\n", 1)
    with pytest.raises(TaxonomyError) as err:
        parse_taxonomy(renamed)
    said = str(err.value)
    assert "<top level>" not in said, said
    assert ": example 1 of 'incitement_to_violence'" in said, said


def _severity_header(tax) -> str:  # type: ignore[no-untyped-def]
    root = ET.fromstring(tax.render_label_config())
    heads = [h.get("value") or "" for h in root.iter("Header")]
    (head,) = [h for h in heads if h.startswith("Severity")]
    return head


def test_the_severity_heading_tells_the_reviewer_the_rule_from_labels_yaml(taxonomy):
    """break5 B9: export reads a harmful category with severity `none`, and a harmful
    severity with only context labels, as no severity given, but the labeling view said
    only "Severity": the reviewer learnt the rule from warnings after the fact."""
    assert _severity_header(taxonomy) == (
        "Severity of the harmful content: none when only News reporting, Counter-speech or "
        "None of these apply; low and above need a harmful category"
    )

    def retitle(d):
        d["categories"][4]["title"] = "Reportage"
        d["severity"] = [s for s in d["severity"] if s["level"] != 0]

    # from labels.yaml: its titles; no level-0 severity: the severity is left empty
    tax = parse_taxonomy(_mutate(retitle))
    assert _severity_header(tax) == (
        "Severity of the harmful content: leave it empty when only Reportage, Counter-speech "
        "or None of these apply"
    )
