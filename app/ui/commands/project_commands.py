"""Undo commands of the project form: each redo/undo saves through ``app.services.projects`` on the worker.

How a failed save leaves the stack: ``app.ui.commands.base``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from app.services import projects as svc
from app.storage.errors import StaleEditError
from app.ui.commands.base import OpCommand, SetValueCommand
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


class EditProjectCommand(SetValueCommand):
    changes = "projects"

    def __init__(self, form: ProjectFormDialog, field: str, old: Any, new: Any) -> None:
        super().__init__(form, f"修改{svc.PROJECT_FIELDS[field]}", old, new)
        self.form, self.field = form, field

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


class EditRowCommand(RowCommand, SetValueCommand):
    """Change one field of a milestone or a member (the subclass names which); undo puts the old value back."""

    what = ""  # 里程碑 / 成员
    fields: dict[str, str] = {}
    model_name = ""
    update: Callable[[Any, int, int, dict[str, Any]], int]

    def __init__(self, form: ProjectFormDialog, row_id: int, field: str, old: Any, new: Any) -> None:
        SetValueCommand.__init__(self, form, f"修改{self.what}{self.fields[field]}", old, new)
        self.form, self.row_id, self.field = form, row_id, field

    def _model(self) -> KeyedRowsModel:
        model: KeyedRowsModel = getattr(self.form, self.model_name)
        return model

    def _shown(self, value: Any) -> Any:
        """The value as the row shows it once saved."""
        return value

    def _write(self, value: Any, *, undoing: bool) -> None:
        database, field, update = self.form.database, self.field, type(self).update
        rows: list[Any] = []

        def build() -> CollectionOp[int]:
            current = self._current(self.row_id)
            rows.append(current)
            return CollectionOp(
                parent=self.form, op=lambda: update(database, current.id, current.version, {field: value})
            )

        def show(version: int) -> None:
            row = rows[0]
            self._model().upsert(type(row)(**{**row.__dict__, field: self._shown(value), "version": version}))

        self._submit(build, show, undoing=undoing)


class EditMilestoneCommand(EditRowCommand):
    what, fields, model_name = "里程碑", svc.MILESTONE_FIELDS, "milestone_model"
    update = staticmethod(svc.update_milestone)


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


class EditMemberCommand(EditRowCommand):
    what, fields, model_name = "成员", svc.MEMBER_FIELDS, "member_model"
    update = staticmethod(svc.update_member)

    def _shown(self, value: Any) -> Any:
        return str(value).strip().upper() if self.field == "credit_code" else value


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
