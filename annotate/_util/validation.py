"""Strict YAML loading and the one formatter of pydantic validation errors.

Both turn a problem into a one-line :class:`~annotate.errors.AnnotateError` (of the
caller's subclass) that says where it is, what is wrong and what to do.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from annotate.errors import AnnotateError


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key written twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source: str, error: type[AnnotateError]) -> Any:
    """Parse ``text`` as YAML, refusing a key written twice in one mapping.

    Raises ``error`` (one line, with line and column) when it is not valid YAML.
    """
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", exc))
        fix = (
            "keep one of the two entries (the later one would silently win) and remove the other."
            if problem.startswith("duplicate key")
            else "fix the YAML syntax (indentation, quotes, colons) at that position."
        )
        raise error(f"{source} is not valid YAML{where}: {problem}.", fix=fix) from None


def yaml_kind(data: Any) -> str:
    """What a parsed YAML document holds, for an error: ``a string``, ``a list``..."""
    if data is None:
        return "nothing"
    if isinstance(data, bool):
        return f"the value {str(data).lower()}"
    for kind, said in ((dict, "a mapping"), (list, "a list"), (str, "a string")):
        if isinstance(data, kind):
            return said
    if isinstance(data, (int, float)):
        return "a number"
    return f"a {type(data).__name__}"


def _found(value: Any, limit: int = 60) -> str:
    """`` (found 'harmfull')``: the value a check refused, shortened to ``limit``
    characters; a mapping or list by its kind (a whole section, too long to quote), an
    empty one as such (``(found an empty list)``: ``members: []``)."""
    if isinstance(value, (dict, list)):
        kind = yaml_kind(value)
        return f" (found {'an empty ' + kind.split(' ', 1)[1] if not value else kind})"
    shown = repr(value)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f" (found {shown})"


def error_location(loc: tuple[Any, ...], data: Any) -> str:
    """Human path of a pydantic error location (``categories[2](threat).examples``),
    naming list items by their ``name`` key where they have one."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            item = node[key]
            name = item.get("name") if isinstance(item, dict) else None
            parts.append(f"[{key}]" + (f"({name})" if name else ""))
            node = item
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "<top level>"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds (``Rule``, ``list[Rule]``, ``X | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, tuple, set):
        return [m for a in args for m in _models_in(a)]
    if typing.get_origin(annotation) is dict and len(args) == 2:
        return _models_in(args[1])
    return []


def schema_keys(schema: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys ``schema`` accepts in the mapping at ``loc`` (a pydantic error location
    without its last key: ``("rules", 0)`` for a rule's keys); [] when unknown."""
    models = [schema]
    for key in loc:
        if isinstance(key, int):
            continue
        fields = [m.model_fields[key] for m in models if key in m.model_fields]
        models = [m for f in fields for m in _models_in(f.annotation)]
    return sorted({k for m in models for k in m.model_fields})


def _key_paths(schema: type[BaseModel], prefix: str = "", depth: int = 3) -> dict[str, list[str]]:
    """Each key ``schema`` accepts, anywhere, with the dotted paths it is written at
    (``{"epochs": ["finetune.epochs", "head.epochs"]}``); nested models down to ``depth``
    levels."""
    paths: dict[str, list[str]] = {}
    for key, field in schema.model_fields.items():
        paths.setdefault(key, []).append(prefix + key)
        if depth > 1:
            for model in _models_in(field.annotation):
                sub = _key_paths(model, f"{prefix}{key}.", depth - 1)
                for k, where in sub.items():
                    paths.setdefault(k, []).extend(where)
    return paths


def _did_you_mean(schema: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """``"did you mean 'epochs'? "`` for the unknown key at ``loc`` (a pydantic error
    location) when a key accepted beside it is close; else, when a key accepted elsewhere
    in ``schema`` is close (``epocs`` under ``frozen:``), where that key is written
    (``did you mean 'finetune.epochs' or 'head.epochs'? 'epochs' is no key of 'frozen'.``);
    "" when nothing is close."""
    name = str(loc[-1])
    keys = schema_keys(schema, loc[:-1])
    # the key in another case (`C`, scikit-learn's name for `c`): difflib sees no likeness
    close = [k for k in keys if k.lower() == name.lower()]
    close = close or difflib.get_close_matches(name, keys, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}? "
    everywhere = _key_paths(schema)
    # a stricter cutoff: a key of another section is a guess at the spelling and the place
    close = difflib.get_close_matches(name, list(everywhere), n=1, cutoff=0.8)
    if not close:
        return ""
    where = everywhere[close[0]][:3]
    section = ".".join(str(k) for k in loc[:-1] if not isinstance(k, int))
    here = f"of {section!r}" if section else "at the top level"
    return f"did you mean {' or '.join(map(repr, where))}? {close[0]!r} is no key {here}. "


def validation_error(
    err: ValidationError,
    data: Any,
    source: str,
    error: type[AnnotateError],
    *,
    reference: str,
    schema: type[BaseModel] | None = None,
) -> AnnotateError:
    """One ``error`` for a pydantic ``err`` raised while validating ``data`` from
    ``source``. An unknown key (a typo) explains the other problems best, so it is
    reported first, with the closest accepted key of ``schema`` (difflib) when one is
    close; the count of further problems is appended. A document that is no mapping at
    all says what it holds. ``reference`` names where the valid keys are documented
    (e.g. "labels.yaml")."""
    errors = sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    if not first["loc"] and first["type"] == "model_type":
        return error(
            f"{source} must be a YAML mapping (`key: value` lines); it holds {yaml_kind(data)}.",
            fix=f"write it as `key: value` lines, without a leading `- ` (see {reference}).",
        )
    loc = error_location(tuple(first["loc"]), data)
    kind = first["type"]
    if kind == "extra_forbidden":
        what = f"{source}: unknown key {loc!r}."
        fix = (_did_you_mean(schema, tuple(first["loc"])) if schema else "") + (
            f"correct its spelling or remove it (see the keys documented in {reference})."
        )
    elif kind == "missing":
        what = f"{source}: required key {loc!r} is missing."
        fix = f"add it (see {reference} for its form)."
    else:
        msg = first["msg"].removeprefix("Value error, ")
        # pydantic's own checks ("Input should be a valid list") do not say what they
        # found; a validator's own message (a value error) does
        found = "" if kind in ("value_error", "assertion_error") else _found(first.get("input"))
        # a check of the whole document (a cross-check: an example's label, a migration)
        # has no field path: "<top level>: " before its own message said nothing
        where = f"{loc}: " if first["loc"] else ""
        what = f"{source}: {where}{msg}{found}."
        fix = f"edit that entry (see {reference})."
    more = len(errors) - 1
    if more:
        what += f" ({more} more problem{'s' if more > 1 else ''} after this one.)"
    return error(what, fix=fix)
