"""Portfolio fidelity on PostgreSQL: the reform's successions seeded, renamings, chosen targets, the settings."""

from __future__ import annotations

from datetime import date

from app.services import departments, indicators, settings
from app.services.database import open_database
from app.services.report import build_report


def test_names_targets_and_settings_work_on_postgresql(pg_url: str) -> None:
    db = open_database(pg_url).database
    try:
        assert departments.resolve_name(db, "省卫计委").name == "省卫生健康委员会"
        result = departments.merge_departments(db, ["省公安厅", "省网信办"], "省网络安全和公安厅", date(2025, 1, 1))
        assert result.moved and departments.resolve_name(db, "省网信办").name == "省网络安全和公安厅"
        zb06 = indicators.indicator_id_by_code(db, "ZB06")
        assert indicators.get_indicator(db, zb06).reported_document_key == "infoconsumption-2018"
        indicators.set_reported_document(db, zb06, "guidance-2015")
        assert indicators.get_indicator(db, zb06).reported_document_key == "guidance-2015"
        offer = indicators.related_offer(db, indicators.indicator_id_by_code(db, "ZB07"), "2019")
        assert offer is not None and offer.code == "ZB12"
        settings.set_value(db, "organisation", "吉林省互联网经济发展联席会议")
        assert build_report(db, "2025-Q3").cover.organisation == "吉林省互联网经济发展联席会议"
    finally:
        db.dispose()
