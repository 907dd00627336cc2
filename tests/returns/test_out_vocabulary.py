"""The writers' helpers and vocabulary: text stays text, headers the template writes map back to one field."""

from __future__ import annotations

import unicodedata

import pytest
from openpyxl import Workbook

from app.returns.fields import SHEETS, SheetSpec
from app.returns.xlsx import fit_row_height, put_text, safe_sheet_title


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.key)
def test_template_header_is_no_other_fields_synonym(spec: SheetSpec) -> None:
    for f in spec.fields:
        others = [o.name for o in spec.fields if o is not f and _norm(f.header) in {_norm(h) for h in o.headers}]
        assert not others, f"{f.header} is also a header of {others}"


def test_reference_fields_are_marked_for_the_importer_to_skip() -> None:
    progress = next(s for s in SHEETS if s.key == "progress")
    assert {f.name for f in progress.fields if f.reference} == {"previous_cumulative", "previous_progress_pct"}


@pytest.mark.parametrize("text", ["=1+1", "+86 0431", "-3", "@SUM(A1)", '=HYPERLINK("x")'])
def test_formula_like_text_is_stored_as_text_with_quote_prefix(text: str) -> None:
    cell = Workbook().active.cell(row=1, column=1)  # type: ignore[union-attr]
    put_text(cell, text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_plain_text_has_no_quote_prefix_and_control_characters_are_dropped() -> None:
    cell = Workbook().active.cell(row=1, column=1)  # type: ignore[union-attr]
    put_text(cell, "进展\x0b顺利")
    assert (cell.value, cell.quotePrefix) == ("进展顺利", False)


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    first = safe_sheet_title("JH01 省级“两化”深度融合试验区/示范[一期]:很长很长很长的名字", taken)
    second = safe_sheet_title("JH01 省级“两化”深度融合试验区/示范[一期]:很长很长很长的名字", taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)


def test_text_longer_than_excel_allows_is_truncated_with_a_note() -> None:
    cell = Workbook().active.cell(row=1, column=1)  # type: ignore[union-attr]
    put_text(cell, "进" * 40_000)
    assert len(cell.value) == 32767 and cell.value.endswith("（内容过长，已截断）")


def test_row_height_stays_within_excel_limit() -> None:
    ws = Workbook().active
    assert ws is not None
    ws.column_dimensions["A"].width = 10
    ws["A1"] = "很长的进展情况" * 500
    fit_row_height(ws, 1, 1)
    assert ws.row_dimensions[1].height == 409
