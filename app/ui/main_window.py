"""The main window: side bar of views; in this first cut, the task tree of both documents."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QTreeView
from sqlalchemy import select

from app.storage.db import Database
from app.storage.models import Document, Task


class MainWindow(QMainWindow):
    """Top-level window of Taizhang."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setWindowTitle("台账 — 互联网经济与信息消费重点项目")
        self.resize(1200, 760)
        self.tree = QTreeView()
        self.tree_model = QStandardItemModel()
        self.tree_model.setHorizontalHeaderLabels(["任务", "责任单位"])
        self.tree.setModel(self.tree_model)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(QLabel("选择左侧任务查看详情"))
        self.setCentralWidget(splitter)
        self._fill_tree()
        self.statusBar().showMessage(f"数据库：{database.path or database.url}")

    def _fill_tree(self) -> None:
        with self.database.session() as session:
            for doc in session.scalars(select(Document).order_by(Document.id)):
                doc_item = QStandardItem(doc.short_title)
                items: dict[int, QStandardItem] = {}
                for task in session.scalars(select(Task).where(Task.document_id == doc.id).order_by(Task.sort_order)):
                    depts = "、".join(td.department.name for td in task.departments)
                    item = QStandardItem(f"{task.code} {task.title}")
                    parent = items.get(task.parent_id) if task.parent_id else None
                    (parent or doc_item).appendRow([item, QStandardItem(depts)])
                    items[task.id] = item
                self.tree_model.appendRow([doc_item, QStandardItem("")])
        self.tree.expandToDepth(0)
        self.tree.resizeColumnToContents(0)
