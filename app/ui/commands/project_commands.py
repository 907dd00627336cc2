"""Undo commands of the project form: each redo/undo saves through ``app.services.projects`` on the worker.

How a failed save leaves the stack: ``app.ui.commands.base``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from app.services import projects as svc
from app.storage.errors import StaleEditError
from app.ui.commands.base import OpCommand
from app.ui.models.project_models import KeyedRowsModel
from app.ui.ops import CollectionOp

if TYPE_CHECKING:
    from app.ui.dialogs.project_form import ProjectFormDialog


class FormCommand(OpCommand):
    """A project form edit; ``form`` is the host."""

    changes = "projects"

    def __init__(self, form: ProjectFormDialog, text: str) -> None:
        super().__init__(form, text)
        self.form = form


class EditProjectCommand(FormCommand):
    def __init__(self, form: ProjectFormDialog, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改{svc.PROJECT_FIELDS[field]}")
        self.field, self.old, self.new = field, old, new

    def _write(self, value: Any, *, undoing: bool) -> None:
        form, field = self.form, self.field
        database, project_id = form.database, form.project_id

        def build() -> CollectionOp[int]:
            version = form.version
            op = CollectionOp(
                parent=self.form, op=lambda: svc.update_project(database, project_id, version, {field: value})
            )
            # Someone else saved the project first: the form shows both values and offers to apply the clerk's again.
            op.on_error(StaleEditError, lambda exc: form.stale_edit(self, field, value, exc, undoing=undoing))
            return op

        self._submit(build, lambda version: form.show_saved_value(field, value, version), undoing=undoing)

    def redo(self) -> None:
        self._write(self.new, undoing=False)

    def undo(self) -> None:
        self._write(self.old, undoing=True)


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
        database, project_id, name, planned = self.form.database, self.form.project_id, self.name, self.planned

        def show(row: svc.MilestoneRow) -> None:
            if self.first_id is None:
                self.first_id = row.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, row.id)
            self._model().upsert(row)

        self._submit(
            lambda: CollectionOp(parent=self.form, op=lambda: svc.add_milestone(database, project_id, name, planned)),
            show,
            undoing=False,
        )

    def undo(self) -> None:
        database = self.form.database
        first_id = self.first_id
        if first_id is None:
            return

        def build() -> CollectionOp[svc.MilestoneRow]:
            current = self._current(first_id)
            return CollectionOp(
                parent=self.form, op=lambda: svc.delete_milestone(database, current.id, current.version)
            )

        def show(row: svc.MilestoneRow) -> None:
            self.deleted_id = row.id
            self._model().remove(row.id)

        self._submit(build, show, undoing=True)


class EditMilestoneCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, milestone_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改里程碑{svc.MILESTONE_FIELDS[field]}")
        self.milestone_id, self.field, self.old, self.new = milestone_id, field, old, new

    def _model(self) -> KeyedRowsModel:
        return self.form.milestone_model

    def _write(self, value: Any, *, undoing: bool) -> None:
        database, field = self.form.database, self.field
        rows: list[svc.MilestoneRow] = []

        def build() -> CollectionOp[int]:
            current = self._current(self.milestone_id)
            rows.append(current)
            return CollectionOp(
                parent=self.form, op=lambda: svc.update_milestone(database, current.id, current.version, {field: value})
            )

        def show(version: int) -> None:
            self._model().upsert(svc.MilestoneRow(**{**rows[0].__dict__, field: value, "version": version}))

        self._submit(build, show, undoing=undoing)

    def redo(self) -> None:
        self._write(self.new, undoing=False)

    def undo(self) -> None:
        self._write(self.old, undoing=True)


class DeleteMilestoneCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, row: svc.MilestoneRow) -> None:
        super().__init__(form, f"删除里程碑「{row.name}」")
        self.row_id = row.id
        self.deleted: svc.MilestoneRow = row

    def _model(self) -> KeyedRowsModel:
        return self.form.milestone_model

    def redo(self) -> None:
        database = self.form.database

        def build() -> CollectionOp[svc.MilestoneRow]:
            current = self._current(self.row_id)
            return CollectionOp(
                parent=self.form, op=lambda: svc.delete_milestone(database, current.id, current.version)
            )

        def show(row: svc.MilestoneRow) -> None:
            self.deleted = row
            self._model().remove(row.id)

        self._submit(build, show, undoing=False)

    def undo(self) -> None:
        database, project_id = self.form.database, self.form.project_id

        def build() -> CollectionOp[svc.MilestoneRow]:
            r = self.deleted
            return CollectionOp(
                parent=self.form,
                op=lambda: svc.add_milestone(database, project_id, r.name, r.planned_date, r.actual_date, r.source),
            )

        def show(row: svc.MilestoneRow) -> None:
            self._model().alias(self.deleted.id, row.id)
            self._model().upsert(row)

        self._submit(build, show, undoing=True)


class AddMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, name: str, code: str, region: str, year: int | None) -> None:
        super().__init__(form, f"新增成员「{name}」")
        self.args = (name, code, region, year)
        self.first_id: int | None = None
        self.deleted_id: int | None = None

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def redo(self) -> None:
        database, project_id, args = self.form.database, self.form.project_id, self.args

        def show(member: svc.MemberDetail) -> None:
            if self.first_id is None:
                self.first_id = member.id
            elif self.deleted_id is not None:
                self._model().alias(self.deleted_id, member.id)
            self._model().upsert(member)
            self.form.members_tab.update_summary()

        self._submit(
            lambda: CollectionOp(parent=self.form, op=lambda: svc.add_member(database, project_id, *args)),
            show,
            undoing=False,
        )

    def undo(self) -> None:
        database = self.form.database
        first_id = self.first_id
        if first_id is None:
            return

        def build() -> CollectionOp[svc.MemberDetail]:
            current = self._current(first_id)
            return CollectionOp(parent=self.form, op=lambda: svc.delete_member(database, current.id, current.version))

        def show(member: svc.MemberDetail) -> None:
            self.deleted_id = member.id
            self._model().remove(member.id)
            self.form.members_tab.update_summary()

        self._submit(build, show, undoing=True)


class EditMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, member_id: int, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改成员{svc.MEMBER_FIELDS[field]}")
        self.member_id, self.field, self.old, self.new = member_id, field, old, new

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def _write(self, value: Any, *, undoing: bool) -> None:
        database, field = self.form.database, self.field
        rows: list[svc.MemberDetail] = []

        def build() -> CollectionOp[int]:
            current = self._current(self.member_id)
            rows.append(current)
            return CollectionOp(
                parent=self.form, op=lambda: svc.update_member(database, current.id, current.version, {field: value})
            )

        def show(version: int) -> None:
            shown = str(value).strip().upper() if field == "credit_code" else value
            self._model().upsert(svc.MemberDetail(**{**rows[0].__dict__, field: shown, "version": version}))

        self._submit(build, show, undoing=undoing)

    def redo(self) -> None:
        self._write(self.new, undoing=False)

    def undo(self) -> None:
        self._write(self.old, undoing=True)


class DeleteMemberCommand(RowCommand):
    def __init__(self, form: ProjectFormDialog, member: svc.MemberDetail) -> None:
        super().__init__(form, f"删除成员「{member.name}」")
        self.member_id = member.id
        self.deleted: svc.MemberDetail = member

    def _model(self) -> KeyedRowsModel:
        return self.form.member_model

    def redo(self) -> None:
        database = self.form.database

        def build() -> CollectionOp[svc.MemberDetail]:
            current = self._current(self.member_id)
            return CollectionOp(parent=self.form, op=lambda: svc.delete_member(database, current.id, current.version))

        def show(member: svc.MemberDetail) -> None:
            self.deleted = member
            self._model().remove(member.id)
            self.form.members_tab.update_summary()

        self._submit(build, show, undoing=False)

    def undo(self) -> None:
        database, project_id = self.form.database, self.form.project_id

        def build() -> CollectionOp[svc.MemberDetail]:
            deleted = self.deleted
            return CollectionOp(parent=self.form, op=lambda: svc.restore_member(database, project_id, deleted))

        def show(member: svc.MemberDetail) -> None:
            self._model().alias(self.deleted.id, member.id)
            self._model().upsert(member)
            self.form.members_tab.update_summary()

        self._submit(build, show, undoing=True)
