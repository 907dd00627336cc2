"""Indicators as the documents word them: disagreements explained and chosen, related indicators, hedges, counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli import main
from app.reports.content import Paragraph, layout
from app.services import indicators as service
from app.services import settings as settings_service
from app.services.report import build_report
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.models import AuditEntry


def _id(db: Database, code: str) -> int:
    return service.indicator_id_by_code(db, code)


def _data(db: Database, code: str, as_of: str | None = None) -> service.IndicatorData:
    return service.get_indicator(db, _id(db, code), as_of=as_of)


def test_broadband_disagreement_is_explained_and_the_later_document_is_reported_by_default(db: Database) -> None:
    data = _data(db, "ZB06")
    assert data.disagreement and "不同目标" in data.note
    reported = {t.document_key: t.reported for t in data.targets}
    assert reported == {"guidance-2015": False, "infoconsumption-2018": True}
    rows = [r for r in service.indicator_rows([data])]
    assert [r.target_text for r in rows] == ["达到75%（“十三五”末期）（仅列示，不作报告口径）", "达55%以上"]


def test_choosing_the_reported_target_is_audited_and_changes_what_counts(db: Database) -> None:
    service.record_actual(db, _id(db, "ZB06"), "2020", "60", user="李四")
    assert _data(db, "ZB06").worst_status is service.Status.MET  # 60 ≥ 55, the 2018 target
    title = service.set_reported_document(db, _id(db, "ZB06"), "guidance-2015", user="李四")
    assert title == "《关于促进互联网经济发展的指导意见》"
    assert _data(db, "ZB06").worst_status is service.Status.BEHIND  # 60 < 75, the 2015 target
    with db.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.field == "reported_document_id")).one()
    assert (audit.user, audit.old_value, audit.new_value) == (
        "李四",
        "《扩大和升级信息消费实施方案》",
        "《关于促进互联网经济发展的指导意见》",
    )
    with pytest.raises(KnownError, match="只有一份文件"):
        service.set_reported_document(db, _id(db, "ZB05"), None)


def test_cli_chooses_the_reported_target_by_year(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    db.dispose()
    assert main(["indicators", "choose", "--code", "ZB06", "--document", "2015", "--db", str(db.path)]) == 0
    out = capsys.readouterr().out
    assert "按《关于促进互联网经济发展的指导意见》的目标报告" in out and "〔仅列示〕" in out
    assert main(["indicators", "choose", "--code", "ZB06", "--document", "默认", "--db", str(db.path)]) == 0
    assert "（默认：较晚的文件）" in capsys.readouterr().out


def test_an_actual_for_3g4g_users_is_offered_for_mobile_broadband_users(db: Database) -> None:
    offer = service.related_offer(db, _id(db, "ZB07"), "2019")
    assert offer is not None and offer.label == "ZB12 移动宽带用户普及率" and not offer.already_entered
    back = service.related_offer(db, _id(db, "ZB12"))
    assert back is not None and back.code == "ZB07"
    assert service.related_offer(db, _id(db, "ZB05")) is None


def test_cli_record_offers_the_related_indicator_and_records_both_when_asked(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    args = ["indicators", "record", "--code", "ZB07", "--period", "2019", "--value", "85", "--db", str(db.path)]
    assert main(args) == 0
    assert "提示：相关指标 ZB12 移动宽带用户普及率" in capsys.readouterr().out
    assert [a.value for a in _data(db, "ZB12").actuals] == []
    assert main([*args[:-4], "--period", "2020", "--value", "88", "--related", "--db", str(db.path)]) == 0
    assert "已同时记入相关指标 移动宽带用户普及率 2020：88" in capsys.readouterr().out
    [copied] = _data(db, "ZB12").actuals
    assert (copied.period_key, copied.value) == ("2020", 88.0) and "同口径" in copied.source


def test_a_forecast_missed_is_below_forecast_not_behind(db: Database) -> None:
    service.record_actual(db, _id(db, "ZB10"), "2020", "1000")
    data = _data(db, "ZB10")
    [target] = data.targets
    assert target.hedge == "预计" and target.assessment.status is service.Status.BEHIND
    assert target.status_label == "低于预计"
    assert data.worst_status is not service.Status.BEHIND
    [row] = service.indicator_rows([data])
    assert row.status == "低于预计" and "预计性目标" in row.rule


def test_cli_list_keeps_the_documents_words_and_shows_responsible_departments(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    assert main(["indicators", "list", "--db", str(db.path)]) == 0
    out = capsys.readouterr().out
    for words in ("力争达到800亿元", "力争突破600亿元", "预计达1300亿元", "达55%以上", "超过8100亿元", "突破2400亿元"):
        assert words in out, words
    assert "责任单位：省通信管理局、省广播电视局、省发展改革委" in out
    assert "说明：两份文件对同一年（2020年）设定了不同目标" in out


def test_report_counts_only_indicators_with_targets_and_keeps_forecasts_apart(db: Database) -> None:
    content = build_report(db, "2025-Q3")
    text = "\n".join(b.text for b in layout(content) if isinstance(b, Paragraph))
    with_targets = sum(1 for i in content.indicators if i.targets)
    assert with_targets == len(content.indicators) - 2  # 互联网网民数量 and 互联网普及率 have baselines only
    assert f"两份文件共对 {with_targets} 项指标设定目标" in text
    assert "另有预计性目标 3 项" in text
    assert "固定宽带家庭普及率按标“报告口径”的目标报告" in text


def test_organisation_name_is_a_setting_shown_on_the_cover(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_report(db, "2025-Q3").cover.organisation == settings_service.DEFAULT_ORGANISATION
    db.dispose()
    assert main(["settings", "set", "organisation", "吉林省互联网经济发展联席会议", "--db", str(db.path)]) == 0
    assert "机构名称：吉林省互联网经济发展联席会议" in capsys.readouterr().out
    assert build_report(db, "2025-Q3").cover.organisation == "吉林省互联网经济发展联席会议"
    assert main(["settings", "set", "organisation", "Joint Office", "--db", str(db.path)]) == 1
    assert main(["settings", "set", "colour", "红", "--db", str(db.path)]) == 1
    with db.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.field == "organisation")).one()
    assert audit.new_value == "吉林省互联网经济发展联席会议"


def test_upgrading_a_database_seeded_before_gives_the_2015_targets_their_hedge(db: Database) -> None:
    from sqlalchemy import update

    from app.storage.migrate import downgrade, upgrade_to_head
    from app.storage.models import IndicatorTarget

    with db.session() as s:
        s.execute(
            update(IndicatorTarget).where(IndicatorTarget.wording == "力争达到800亿元").values(wording="达到800亿元")
        )
    downgrade(db.engine, "0002_gantt_progress_index")
    upgrade_to_head(db.engine)
    with db.session() as s:
        wordings = set(s.scalars(select(IndicatorTarget.wording).where(IndicatorTarget.year == 2015)))
    assert wordings == {"力争达到800亿元", "力争达到2200亿元", "力争突破600亿元"}
