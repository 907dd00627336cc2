"""Indicator charts: a Figure with Chinese labels, target markers named by document, saved for a person to see."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from app.reports.chart_fonts import configure_cjk_font
from app.reports.indicator_charts import document_abbrev, indicator_figure
from app.services import indicators as service
from app.storage.db import Database
from app.storage.models import Indicator


def _id(db: Database, code: str) -> int:
    with db.session() as s:
        return s.scalars(select(Indicator.id).where(Indicator.code == code)).one()


def _texts(fig: object) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]  # type: ignore[attr-defined]


def test_a_cjk_font_is_configured() -> None:
    assert configure_cjk_font() is not None


def test_document_abbrev_keeps_the_last_words() -> None:
    assert document_abbrev("《关于促进互联网经济发展的指导意见》") == "指导意见"
    assert document_abbrev("《扩大和升级信息消费实施方案》") == "实施方案"


def test_broadband_chart_labels_both_targets_with_their_documents(db: Database, artifacts_dir: Path) -> None:
    ind = _id(db, "ZB06")
    for year, value in (("2015", "40"), ("2016", "45"), ("2017", "49.5"), ("2018", "53"), ("2019", "57.2")):
        service.record_actual(db, ind, year, value, user="李四")
    fig = indicator_figure(service.get_indicator(db, ind, as_of="2019"), width_in=6.4, height_in=3.6)
    texts = _texts(fig)
    assert "指导意见：2020年达到75%" in texts
    assert "实施方案：2020年达55%以上" in texts
    fig.savefig(artifacts_dir / "indicator_chart_broadband.png")  # drawing checks every glyph (warnings = errors)


def test_industry_chart_draws_actuals_and_target_paths(db: Database, artifacts_dir: Path) -> None:
    ind = _id(db, "ZB05")
    for year, value in (("2015", "812"), ("2016", "960"), ("2017", "1130"), ("2018", "1290")):
        service.record_actual(db, ind, year, value, user="李四")
    fig = indicator_figure(service.get_indicator(db, ind, as_of="2018"), width_in=6.4, height_in=3.6)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "实际值" in labels
    assert any("年均增长20%路径" in label for label in labels)
    fig.savefig(artifacts_dir / "indicator_chart_industry.png")


def test_milestone_chart_and_empty_chart_render(db: Database, artifacts_dir: Path) -> None:
    ind = _id(db, "ZB16")
    service.record_actual(db, ind, "2019", "否", user="李四")
    service.record_actual(db, ind, "2020", "是", user="李四")
    indicator_figure(service.get_indicator(db, ind), width_in=5, height_in=3).savefig(
        artifacts_dir / "indicator_chart_milestone.png"
    )
    empty = indicator_figure(service.get_indicator(db, _id(db, "ZB10")), width_in=5, height_in=3)
    assert any("暂无实际值" in t for t in _texts(empty))
    empty.savefig(artifacts_dir / "indicator_chart_empty.png")


def test_charts_never_import_pyplot(db: Database) -> None:
    indicator_figure(service.get_indicator(db, _id(db, "ZB05")), width_in=4, height_in=3)
    assert "matplotlib.pyplot" not in sys.modules
