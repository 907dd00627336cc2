"""The GUI on a PostgreSQL server database: opens, saves, refuses a stale edit, notices others, honours read-only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import make_url

from app.services import projects
from app.services.database import open_database
from app.storage.db import Database
from app.ui import ops
from app.ui.dialogs.project_form import ProjectFormDialog
from app.ui.main_window import MainWindow
from tests.ui.desk_helpers import screenshot
from tests.ui.desk_helpers import settle as settle_ops


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A migrated, seeded server database."""
    db = open_database(pg_url).database
    yield db
    _quiet()
    db.dispose()


@pytest.fixture(autouse=True)
def _writable() -> Iterator[None]:
    yield
    ops.set_read_only("")  # a read-only window must not leave the op runner refusing writes for later tests


def settle() -> None:
    """As in the SQLite GUI tests, with room for a loaded machine: a server round trip costs more."""
    settle_ops(timeout=60_000)


def _quiet() -> None:
    """Every op has ended and no worker holds a connection: only then may a test dispose an engine."""
    from app.ui.tasks import database_pool

    settle()
    database_pool().waitForDone(10_000)
    settle()


def _form(qtbot, db: Database, project_id: int = 4) -> ProjectFormDialog:  # type: ignore[no-untyped-def]
    form = ProjectFormDialog(db, project_id)
    qtbot.addWidget(form)
    settle()
    return form


def _type_region(form: ProjectFormDialog, text: str) -> None:
    form.fields["region"].setEditText(text)  # type: ignore[attr-defined]
    form.commit_field("region")
    settle()


def test_main_window_opens_on_postgresql_and_an_edit_saves(qtbot, pg_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(pg_db)
    qtbot.addWidget(win)
    win.timer.stop()  # no background polling while the test waits for its own ops
    settle()
    assert win.db_label.text().startswith("服务器数据库：postgres@")
    assert win.period_combo.count() > 1  # the period list came from the server
    form = _form(qtbot, pg_db)
    _type_region(form, "长春市")
    assert projects.load_project(pg_db, 4).values["region"] == "长春市"
    assert form.undo_stack.count() == 1 and form.message.text() == "已保存。"
    win.close()


def test_two_gui_instances_editing_one_project_refuse_the_stale_edit(
    qtbot, pg_url: str, pg_db: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []

    def keep_theirs(box: QMessageBox) -> int:
        # The refusal shows both values and offers 重新应用我的修改; this clerk keeps the other's value.
        shown.append(box.text() + box.informativeText())
        for button in box.buttons():
            if button.text() == "保留对方的值":
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", keep_theirs)
    other_pc = Database(pg_url)  # a second clerk: own engine, own connections
    try:
        mine, theirs = _form(qtbot, pg_db), _form(qtbot, other_pc)
        _type_region(mine, "长春市")
        _type_region(theirs, "吉林市")  # still holds the version it loaded before my save
        assert shown and "您填写的：吉林市" in shown[0] and "现在数据库中的：长春市" in shown[0]
        assert projects.load_project(pg_db, 4).values["region"] == "长春市"  # nothing lost
        assert theirs.fields["region"].currentText() == "长春市"  # type: ignore[attr-defined]
        assert theirs.undo_stack.count() == 0
        _type_region(theirs, "吉林市")  # after the reload the same edit goes through
        assert projects.load_project(pg_db, 4).values["region"] == "吉林市"
    finally:
        _quiet()  # no op of the second clerk's window may still hold a connection
        other_pc.dispose()


def test_a_change_made_by_another_clerk_is_noticed(qtbot, pg_url: str, pg_db: Database) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(pg_db)
    qtbot.addWidget(win)
    win.timer.stop()  # the test polls by hand: the 2-s timer must not see the change first
    settle()
    assert win.watcher.remote
    win.check_for_changes()
    settle()
    other_pc = Database(pg_url)
    try:
        projects.update_project(other_pc, 4, projects.load_project(other_pc, 4).version, {"region": "长春市"})
    finally:
        _quiet()
        other_pc.dispose()
    with qtbot.waitSignal(win.database_changed, timeout=5000):
        win.check_for_changes()
    win.close()


def test_a_read_only_login_opens_the_app_read_only(  # type: ignore[no-untyped-def]
    qtbot, pg_url: str, pg_db: Database, monkeypatch, artifacts_dir
) -> None:
    reader = "reader_" + uuid.uuid4().hex[:8]
    with pg_db.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{reader}" LOGIN')
        conn.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{reader}"')
    url = make_url(pg_url).set(username=reader).render_as_string(hide_password=False)
    db = open_database(url).database
    try:
        assert "只有读取权限" in db.read_only_reason
        shown: list[str] = []
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
        win = MainWindow(db)
        qtbot.addWidget(win)
        win.timer.stop()
        returns = win.show_view("returns")
        settle()
        assert "只读" in win.db_label.text()
        assert not returns.import_button.isEnabled() and "只读" in returns.import_button.toolTip()
        win.resize(1280, 800)
        win.show()
        screenshot(win, artifacts_dir, "read_only_server_window")
        form = _form(qtbot, db)
        assert not form.fields_tab.isEnabled() and form.message.text().startswith("只读")
        form.fields_tab.setEnabled(True)  # even if an edit got through, nothing is sent to the server
        _type_region(form, "长春市")
        assert shown and "不能保存" in shown[-1]
        assert projects.load_project(pg_db, 4).values["region"] != "长春市"
        assert form.undo_stack.count() == 0
        win.close()
    finally:
        _quiet()
        db.dispose()
