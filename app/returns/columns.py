"""Headers → fields: which column holds which field, tolerant of renamed, reordered, missing and extra columns.

A header matches a field when, after normalisation (width, brackets, spaces, case), it equals one of the
field's synonyms (best), equals it once bracketed units are set aside (总投资（亿元） → 总投资), or contains it
(本期完成投资额 ⊃ 本期完成投资). Each field takes its best column and each column at most one field.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from app.domain.money import MoneyUnit, unit_in_text
from app.domain.text import normalise_header, split_parenthesised
from app.returns.fields import Field, SheetSpec, ValueKind

EXACT, BASE, CONTAINS, MEANING = 3, 2, 1, 0
# Columns every form has that carry nothing to import; ignored without a warning.
SILENT_COLUMNS = frozenset({"序号", "行号", "编号序号", "no", "no.", "#"})
_MIN_CONTAINED = 2  # a synonym must be at least this long to count inside a longer header


@dataclass(frozen=True)
class ColumnBinding:
    """One field found in one column (0-based ``index``), with the header as written and its money unit."""

    field: Field
    index: int
    header: str
    unit: MoneyUnit | None = None
    score: int = EXACT


@dataclass
class ColumnMap:
    """The result of matching a header row against a sheet spec."""

    spec: SheetSpec
    bindings: dict[str, ColumnBinding] = field(default_factory=dict)
    extra: list[tuple[int, str]] = field(default_factory=list)  # (index, header) of ignored columns
    by_meaning: list[tuple[int, str, Field]] = field(default_factory=list)  # bound by meaning words, to confirm
    ignored: list[tuple[int, str]] = field(default_factory=list)  # unknown columns the clerk chose to ignore

    @property
    def score(self) -> int:
        return sum(b.score for b in self.bindings.values())

    @property
    def missing_required(self) -> list[Field]:
        return [f for f in self.spec.fields if f.required and f.name not in self.bindings]


@lru_cache(maxsize=1)
def _meanings_file() -> dict[str, dict[str, list[Any]]]:
    """column_meanings.toml: extra synonyms and meaning words per "<sheet>.<field>"."""
    try:
        with resources.files("app.returns").joinpath("column_meanings.toml").open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):  # a damaged data file must not stop imports
        return {}


def extra_synonyms(spec: SheetSpec, f: Field) -> tuple[str, ...]:
    """The synonyms the data file adds to a field's own titles."""
    return tuple(_meanings_file().get("synonyms", {}).get(f"{spec.key}.{f.name}", ()))


def meaning_of(text: str, spec: SheetSpec, taken: set[str]) -> Field | None:
    """The field a title means by its words (column_meanings.toml), among fields not ``taken``; None if none."""
    norm = normalise_header(text)
    if not norm:
        return None
    names = {f.name: f for f in spec.fields}
    for key, groups in _meanings_file().get("meanings", {}).items():
        sheet, _dot, name = key.partition(".")
        if sheet != spec.key or name not in names or name in taken:
            continue
        if any(all(normalise_header(word) in norm for word in group) for group in groups):
            return names[name]
    return None


@lru_cache(maxsize=64)
def _synonyms(spec: SheetSpec) -> tuple[tuple[Field, str, str, int], ...]:
    """(field, normalised synonym, synonym without brackets, its position) for every synonym of the spec."""
    out = []
    for f in spec.fields:
        for position, header in enumerate((*f.headers, *extra_synonyms(spec, f))):
            norm = normalise_header(header)
            out.append((f, norm, split_parenthesised(norm)[0], position))
    return tuple(out)


def match_header(text: str, spec: SheetSpec) -> list[tuple[int, Field]]:
    """All fields a header could be, best first, as (score, field); empty when it is none of them."""
    return [(score, f) for score, _specificity, f in _ranked_matches(text, spec)]


def _ranked_matches(text: str, spec: SheetSpec) -> list[tuple[int, int, Field]]:
    """(score, specificity, field) best first: earlier synonyms (the template's own words) are more specific."""
    norm = normalise_header(text)
    if not norm:
        return []
    base = split_parenthesised(norm)[0]
    found: dict[str, tuple[int, int, Field]] = {}
    for f, syn, syn_base, position in _synonyms(spec):
        if norm == syn:
            score = EXACT
        elif base and (base == syn_base or base == syn):
            score = BASE
        elif len(syn_base) >= _MIN_CONTAINED and syn_base in base:
            score = CONTAINS
        else:
            continue
        # Among CONTAINS matches the longest synonym is the most specific (本期完成投资 beats 进展).
        key = (score, len(syn_base) if score == CONTAINS else -position)
        current = found.get(f.name)
        if current is None or key > current[:2]:
            found[f.name] = (key[0], key[1], f)
    return sorted(found.values(), key=lambda t: (t[0], t[1]), reverse=True)


def map_columns(candidates: list[list[str]], spec: SheetSpec) -> ColumnMap:
    """Bind fields to columns; ``candidates[c]`` lists header texts to try for column c, best first.

    Two-row headers give several candidates per column (the sub-header, parent+sub-header, the parent);
    the unit (万元/亿元) is taken from any of them, so 投资情况（亿元） over 累计完成 reads as 亿元.
    """
    options: list[tuple[int, int, int, int, Field]] = []  # (score, -rank, specificity, -col, field)
    headers: dict[int, str] = {}
    units: dict[int, MoneyUnit | None] = {}
    for col, texts in enumerate(candidates):
        texts = [t for t in texts if t and t.strip()]
        if not texts:
            continue
        headers[col] = texts[0].strip() if len(texts) == 1 else f"{texts[-1].strip()}/{texts[0].strip()}"
        units[col] = next((u for u in (unit_in_text(t) for t in texts) if u is not None), None)
        for rank, text in enumerate(texts):
            for score, specificity, f in _ranked_matches(text, spec):
                options.append((score, -rank, specificity, -col, f))
    options.sort(key=lambda o: (o[0], o[1], o[2], o[3]), reverse=True)
    result = ColumnMap(spec)
    taken: set[int] = set()
    for score, _rank, _specificity, neg_col, f in options:
        col = -neg_col
        if f.name in result.bindings or col in taken:
            continue
        unit = units.get(col) if f.kind is ValueKind.MONEY else None
        result.bindings[f.name] = ColumnBinding(f, col, headers[col], unit, score)
        taken.add(col)
    for col, header in headers.items():
        if col in taken or normalise_header(header) in SILENT_COLUMNS:
            continue
        # A title no synonym matches may still say what it is about (需要协调的困难 is a coordination need).
        meant = next((f for f in (meaning_of(t, spec, set(result.bindings)) for t in candidates[col] if t) if f), None)
        if meant is not None:
            unit = units.get(col) if meant.kind is ValueKind.MONEY else None
            result.bindings[meant.name] = ColumnBinding(meant, col, headers[col], unit, MEANING)
            result.by_meaning.append((col, header, meant))
            taken.add(col)
            continue
        result.extra.append((col, header))
    return result
