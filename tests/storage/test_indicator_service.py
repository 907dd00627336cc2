"""The indicator service: seeded targets with their documents, actuals with sources, manual entry and audit."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.domain.indicators import Status, TargetKind
from app.domain.periods import Period
from app.services import indicators as service
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import (
    AuditEntry,
    Department,
    Indicator,
    IndicatorActual,
    ReportingPeriod,
    Return,
)
from app.storage.portfolio import read_portfolio


def _indicator_id(db: Database, code: str) -> int:
    with db.session() as s:
        return s.scalars(select(Indicator.id).where(Indicator.code == code)).one()


def _add_return_actual(
    db: Database, code: str, period_key: str, value: float, *, file_name: str = "工信厅2019年报.xlsx", row: int = 7
) -> int:
    """Insert a Return and an IndicatorActual from it, as the returns importer would."""
    period = Period.parse(period_key)
    with db.session() as s:
        dept = s.scalars(select(Department).where(Department.name == "省工业和信息化厅")).one()
        rp = s.scalars(select(ReportingPeriod).where(ReportingPeriod.key == period.key)).one_or_none()
        if rp is None:
            rp = ReportingPeriod(
                key=period.key, kind=period.kind.value, start=period.start, end=period.end, label=period.label
            )
            s.add(rp)
        ret = Return(
            department=dept,
            period=rp,
            file_name=file_name,
            sha256="0" * 64,
            imported_at=datetime(2020, 1, 15, 9, 0),
            imported_by="clerk",
        )
        s.add(ret)
        s.flush()
        ind_id = s.scalars(select(Indicator.id).where(Indicator.code == code)).one()
        s.add(
            IndicatorActual(
                indicator_id=ind_id,
                period_key=period.key,
                value=value,
                return_id=ret.id,
                source_sheet="指标",
                source_row=row,
            )
        )
        return ret.id


def test_both_broadband_targets_are_listed_each_with_its_document(db: Database) -> None:
    data = service.get_indicator(db, _indicator_id(db, "ZB06"))
    shown = {(t.document, t.value) for t in data.targets}
    assert shown == {("《关于促进互联网经济发展的指导意见》", 75.0), ("《扩大和升级信息消费实施方案》", 55.0)}


def test_both_broadband_targets_are_assessed_separately(db: Database) -> None:
    ind = _indicator_id(db, "ZB06")
    service.record_actual(db, ind, "2020", "60", "省通信管理局年报", user="张三")
    data = service.get_indicator(db, ind, as_of="2021")
    status = {t.value: t.assessment.status for t in data.targets}
    assert status == {75.0: Status.BEHIND, 55.0: Status.MET}


def test_baseline_comes_with_its_source_sentence(db: Database) -> None:
    data = service.get_indicator(db, _indicator_id(db, "ZB03"))
    assert data.baselines[0].year == 2013 and data.baselines[0].value == 1300.8
    assert "1300.8亿元" in data.baselines[0].source_text


def test_indicator_without_actuals_is_no_data(db: Database) -> None:
    data = service.get_indicator(db, _indicator_id(db, "ZB05"), as_of="2018")
    assert {t.assessment.status for t in data.targets} == {Status.NO_DATA}


def test_list_indicators_returns_every_seeded_indicator_in_order(db: Database) -> None:
    codes = [d.code for d in service.list_indicators(db)]
    assert codes[:3] == ["ZB01", "ZB02", "ZB03"] and len(codes) == len(read_portfolio()["indicators"])


def test_record_actual_writes_the_value_and_an_audit_entry(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    actual_id = service.record_actual(db, ind, "2016", "1,000", "统计公报", user="李四")
    with db.session() as s:
        row = s.get(IndicatorActual, actual_id)
        assert row is not None and row.value == 1000 and row.entered_by == "李四"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "indicator_actual")).one()
        assert (audit.entity_id, audit.action, audit.user, audit.new_value) == (
            actual_id,
            "create",
            "李四",
            "2016：1000",
        )


def test_manual_actual_shows_who_entered_it(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    service.record_actual(db, ind, "2016", "1000", "统计公报", user="李四")
    actual = service.get_indicator(db, ind).actuals[0]
    assert actual.manual and actual.source_label.startswith("手工录入：李四") and "统计公报" in actual.source_label


@pytest.mark.parametrize(
    ("period", "value", "message"),
    [("2016", "abc", "不是数字"), ("2016", "-5", "负数"), ("去年", "100", "报告期格式"), ("2999", "1", "尚未开始")],
)
def test_record_actual_refuses_bad_input(db: Database, period: str, value: str, message: str) -> None:
    with pytest.raises(KnownError, match=message):
        service.record_actual(db, _indicator_id(db, "ZB05"), period, value, user="李四")


def test_record_actual_refuses_a_second_manual_value_for_the_period(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    service.record_actual(db, ind, "2016", "1000", user="李四")
    with pytest.raises(KnownError, match="已有手工录入"):
        service.record_actual(db, ind, "2016", "1100", user="李四")


def test_percentage_over_100_is_refused(db: Database) -> None:
    with pytest.raises(KnownError, match="百分比"):
        service.record_actual(db, _indicator_id(db, "ZB06"), "2016", "120", user="李四")


def test_milestone_indicator_takes_yes_or_no(db: Database) -> None:
    ind = _indicator_id(db, "ZB16")
    service.record_actual(db, ind, "2020", "已实现", user="李四")
    data = service.get_indicator(db, ind, as_of="2021")
    assert data.is_milestone and data.format_value(data.latest.value if data.latest else None) == "已实现"
    assert data.targets[0].assessment.status is Status.MET


def test_update_actual_changes_value_and_audits_old_and_new(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    actual_id = service.record_actual(db, ind, "2016", "1000", user="李四")
    service.update_actual(db, actual_id, period_key="2016", value="1050", source="更正", user="王五")
    with db.session() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "update").order_by(AuditEntry.id)).all()
        assert [(a.field, a.old_value, a.new_value, a.user) for a in audits] == [
            ("value", "1000", "1050", "王五"),
            ("source", "", "更正", "王五"),
        ]


def test_delete_actual_removes_it_and_returns_its_content(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    actual_id = service.record_actual(db, ind, "2016", "1000", "公报", user="李四")
    kept = service.delete_actual(db, actual_id, user="李四")
    assert (kept.period_key, kept.value, kept.source) == ("2016", 1000.0, "公报")
    assert service.get_indicator(db, ind).actuals == ()
    with db.session() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == actual_id)).all() == [
            "create",
            "delete",
        ]


def test_actual_from_a_return_shows_file_sheet_and_row(db: Database) -> None:
    _add_return_actual(db, "ZB05", "2019", 1500)
    actual = service.get_indicator(db, _indicator_id(db, "ZB05")).actuals[0]
    assert not actual.manual
    assert actual.source_label == "报表：省工业和信息化厅 《工信厅2019年报.xlsx》 指标 第7行"


def test_actual_from_a_return_cannot_be_edited_or_deleted(db: Database) -> None:
    _add_return_actual(db, "ZB05", "2019", 1500)
    actual_id = service.get_indicator(db, _indicator_id(db, "ZB05")).actuals[0].id
    with pytest.raises(KnownError, match="来自报表"):
        service.delete_actual(db, actual_id)
    with pytest.raises(KnownError, match="来自报表"):
        service.update_actual(db, actual_id, period_key="2019", value="1")


def test_manual_entry_is_used_over_a_return_for_the_same_period(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    _add_return_actual(db, "ZB05", "2019", 1500)
    service.record_actual(db, ind, "2019", "1600", "核实更正", user="李四")
    data = service.get_indicator(db, ind)
    assert len(data.actuals) == 2 and data.latest is not None and data.latest.value == 1600


def test_superseded_return_actual_is_kept_but_not_used(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    old = _add_return_actual(db, "ZB05", "2019", 1500, file_name="旧.xlsx")
    new = _add_return_actual(db, "ZB05", "2019", 1550, file_name="新.xlsx")
    with db.session() as s:
        ret = s.get(Return, old)
        assert ret is not None
        ret.superseded_by_id = new
    data = service.get_indicator(db, ind)
    assert [a.used for a in data.actuals] == [False, True]
    assert "已被新报表替代" in data.actuals[0].source_label


def test_as_of_period_hides_later_actuals_from_the_assessment(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    service.record_actual(db, ind, "2016", "1000", user="李四")
    service.record_actual(db, ind, "2018", "2200", user="李四")
    floor_2020 = lambda d: next(t for t in d.targets if t.kind is TargetKind.FLOOR and t.year == 2020)  # noqa: E731
    assert floor_2020(service.get_indicator(db, ind, as_of="2016-Q4")).assessment.status is not Status.MET
    assert floor_2020(service.get_indicator(db, ind, as_of="2018")).assessment.status is Status.MET


def test_growth_target_reports_needed_and_achieved_growth(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    service.record_actual(db, ind, "2015", "800", user="李四")
    service.record_actual(db, ind, "2017", "1100", user="李四")
    data = service.get_indicator(db, ind, as_of="2017", today=date(2018, 1, 1))
    floor = next(t for t in data.targets if t.kind is TargetKind.FLOOR and t.year == 2020)
    assert floor.assessment.needed_growth_pct == pytest.approx(24.1, abs=0.05)
    assert floor.assessment.achieved_growth_pct == pytest.approx(17.3, abs=0.05)
    assert floor.assessment.status is Status.BEHIND


def test_quarterly_amount_is_shown_but_not_counted(db: Database) -> None:
    ind = _indicator_id(db, "ZB05")
    service.record_actual(db, ind, "2016", "960", user="李四")
    service.record_actual(db, ind, "2017-Q3", "700", "前三季度累计", user="李四")
    data = service.get_indicator(db, ind)
    assert [a.used for a in data.actuals] == [True, False]
    assert "年内累计数" in data.actuals[1].note
    assert data.latest is not None and data.latest.period_key == "2016"


def test_quarterly_rate_is_counted(db: Database) -> None:
    ind = _indicator_id(db, "ZB06")
    service.record_actual(db, ind, "2017-Q3", "50", user="李四")
    assert service.get_indicator(db, ind).actuals[0].used


def test_period_may_be_typed_as_its_chinese_label(db: Database) -> None:
    actual_id = service.record_actual(db, _indicator_id(db, "ZB06"), "2017年第三季度", "50", user="李四")
    with db.session() as s:
        row = s.get(IndicatorActual, actual_id)
        assert row is not None and row.period_key == "2017-Q3"


def test_without_a_period_every_entered_figure_counts(db: Database) -> None:
    ind = _indicator_id(db, "ZB06")
    service.record_actual(db, ind, str(date.today().year), "70", user="李四")
    assert service.get_indicator(db, ind).actuals[0].used
    assert not service.get_indicator(db, ind, as_of=f"{date.today().year - 1}").actuals[0].used
