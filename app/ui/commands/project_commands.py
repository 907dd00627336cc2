"""Undo commands of the project form: each redo/undo saves through ``app.services.projects``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from app.services import projects as svc
from app.storage.errors import KnownError, StaleEditError
from app.ui.models.project_models import KeyedRowsModel

if TYPE_CHECKING:
    from app.ui.dialogs.project_form import ProjectFormDialog


class FormCommand(QUndoCommand):
    """A form edit; a refused write marks the command obsolete and reloads the form."""

    def __init__(self, form: ProjectFormDialog, text: str) -> None:
        super().__init__(text)
        self.form = form

    def _run(self, fn: Any) -> bool:
        try:
            fn()
        except StaleEditError as exc:
            self.setObsolete(True)
            self.form.stale(exc.message)
            return False
        except KnownError as exc:
            self.setObsolete(True)
            self.form.refused(exc.message)
            return False
        self.form.after_write()
        return True


class EditProjectCommand(FormCommand):
    def __init__(self, form: ProjectFormDialog, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改{svc.PROJECT_FIELDS[field]}")
        self.field, self.old, self.new = field, old, new

    def redo(self) -> None:
        self._run(lambda: self.form.write_project(self.field, self.new))

    def undo(self) -> None:
        self._run(lambda: self.form.write_project(self.field, self.old))


class RowCommand(FormCommand):
    """Base of milestone and member commands.

    Undoing a delete (or redoing an add) re-creates the row under a new id; the model records the old id as an
    alias of the new one, so commands further along the stack still find "their" row.
    """

    def _model(self) -> KeyedRowsModel:
        raise NotImplementedError

    def _current(self, row_id: int) -> Any:
        row = self._model().by_id(row_id)
        if row is None:
            raise StaleEditError("该记录已不在列表中，可能已被其他人删除。")
        return row


class AddMilestoneCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, name: str, planned: date | None) -> None:
        super().__init__(form, f"新增里程碑「{name}」")
        self.name, self.planned = name, planned
        self.first_id: int | None = None
        self.deleted_id: int | None = None

    def _model(self) -> KeyedRowsModel:
        return self.form.milestone_model

    def redo(self) -> None:
        def do() -> None:
            row = svc.add_milestone(self.form.database, self.form.project_id, self.name, self.planned)
            if self.first_id is None:
                self.first_id = row.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, row.id)
            self._model().upsert(row)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            assert self.first_id is not None
            current = self._current(self.first_id)
            svc.delete_milestone(self.form.database, current.id, current.version)
            self.deleted_id = current.id
            self._model().remove(current.id)

        if self.first_id is not None:
            self._run(do)


class EditMilestoneCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, milestone_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改里程碑{svc.MILESTONE_FIELDS[field]}")
        self.milestone_id, self.field, self.old, self.new = milestone_id, field, old, new

    def _model(self) -> KeyedRowsModel:
        return self.form.milestone_model

    def _write(self, value: Any) -> None:
        current = self._current(self.milestone_id)
        version = svc.update_milestone(self.form.database, current.id, current.version, {self.field: value})
        self._model().upsert(svc.MilestoneRow(**{**current.__dict__, self.field: value, "version": version}))

    def redo(self) -> None:
        self._run(lambda: self._write(self.new))

    def undo(self) -> None:
        self._run(lambda: self._write(self.old))


class DeleteMilestoneCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, row: svc.MilestoneRow) -> None:
        super().__init__(form, f"删除里程碑「{row.name}」")
        self.row_id = row.id
        self.deleted: svc.MilestoneRow = row

    def _model(self) -> KeyedRowsModel:
        return self.form.milestone_model

    def redo(self) -> None:
        def do() -> None:
            current = self._current(self.row_id)
            svc.delete_milestone(self.form.database, current.id, current.version)
            self.deleted = current
            self._model().remove(current.id)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            r = self.deleted
            row = svc.add_milestone(
                self.form.database, self.form.project_id, r.name, r.planned_date, r.actual_date, r.source
            )
            self._model().alias(r.id, row.id)
            self._model().upsert(row)

        self._run(do)


class AddMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, name: str, code: str, region: str, year: int | None) -> None:
        super().__init__(form, f"新增成员「{name}」")
        self.args = (name, code, region, year)
        self.first_id: int | None = None
        self.deleted_id: int | None = None

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def redo(self) -> None:
        def do() -> None:
            member = svc.add_member(self.form.database, self.form.project_id, *self.args)
            if self.first_id is None:
                self.first_id = member.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, member.id)
            self._model().upsert(member)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            assert self.first_id is not None
            current = self._current(self.first_id)
            svc.delete_member(self.form.database, current.id, current.version)
            self.deleted_id = current.id
            self._model().remove(current.id)

        if self.first_id is not None:
            self._run(do)


class EditMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, member_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改成员{svc.MEMBER_FIELDS[field]}")
        self.member_id, self.field, self.old, self.new = member_id, field, old, new

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def _write(self, value: Any) -> None:
        current = self._current(self.member_id)
        version = svc.update_member(self.form.database, current.id, current.version, {self.field: value})
        if self.field == "credit_code":
            value = str(value).strip().upper()
        self._model().upsert(svc.MemberDetail(**{**current.__dict__, self.field: value, "version": version}))

    def redo(self) -> None:
        self._run(lambda: self._write(self.new))

    def undo(self) -> None:
        self._run(lambda: self._write(self.old))


class DeleteMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, member: svc.MemberDetail) -> None:
        super().__init__(form, f"删除成员「{member.name}」")
        self.member_id = member.id
        self.deleted: svc.MemberDetail = member

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def redo(self) -> None:
        def do() -> None:
            current = self._current(self.member_id)
            svc.delete_member(self.form.database, current.id, current.version)
            self.deleted = current
            self._model().remove(current.id)

        self._run(do)

    def undo(self) -> None:
        def do() -> None:
            member = svc.restore_member(self.form.database, self.form.project_id, self.deleted)
            self._model().alias(self.deleted.id, member.id)
            self._model().upsert(member)

        self._run(do)
