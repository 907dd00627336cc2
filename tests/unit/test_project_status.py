"""The status rule a project shows for a period (app.domain.project_status)."""

from __future__ import annotations

from app.domain.project_status import project_status


def _key(**kw: object) -> str:
    facts: dict[str, object] = {
        "kind": "key_project",
        "stored": "未填报",
        "reported_this_period": True,
        "latest_pct": 30.0,
        "latest_investment": 100.0,
    }
    facts.update(kw)
    return project_status(**facts)  # type: ignore[arg-type]


def test_key_project_without_an_entry_this_period_is_unreported() -> None:
    assert _key(reported_this_period=False) == "未填报"


def test_key_project_with_progress_this_period_is_under_way() -> None:
    assert _key() == "在建"


def test_key_project_reported_with_nothing_done_is_not_started() -> None:
    assert _key(latest_pct=0.0, latest_investment=None) == "未开工"


def test_key_project_at_full_progress_is_complete_even_without_a_return_this_period() -> None:
    assert _key(latest_pct=100.0, reported_this_period=False) == "已完成"


def test_status_stored_by_the_import_does_not_override_the_period() -> None:
    assert _key(stored="在建", reported_this_period=False) == "未填报"


def test_paused_set_by_a_clerk_overrides_reported_progress() -> None:
    assert _key(stored="暂停", latest_pct=100.0) == "暂停"


def test_programme_with_members_below_quota_is_under_way() -> None:
    assert project_status(
        kind="programme", stored="未填报", reported_this_period=False, latest_pct=None, latest_investment=None,
        members_counted=3, quota_count=50,
    ) == "在建"  # fmt: skip


def test_programme_reaching_its_quota_is_complete() -> None:
    assert project_status(
        kind="programme", stored="未填报", reported_this_period=False, latest_pct=None, latest_investment=None,
        members_counted=50, quota_count=50,
    ) == "已完成"  # fmt: skip


def test_programme_without_members_is_unreported() -> None:
    assert project_status(
        kind="programme", stored="在建", reported_this_period=True, latest_pct=None, latest_investment=None,
    ) == "未填报"  # fmt: skip
