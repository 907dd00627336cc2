"""The log file: in the data folder, rotating, configured once."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from app.logging_setup import configure_logging


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    before = list(root.handlers)
    yield root
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_log_goes_to_logs_taizhang_log_in_the_data_folder(clean_root: logging.Logger) -> None:
    from app.paths import data_dir

    path = configure_logging()
    assert path == data_dir() / "logs" / "taizhang.log"
    logging.getLogger("taizhang.test").warning("导入失败：第3行")
    for handler in clean_root.handlers:
        handler.flush()
    assert "导入失败：第3行" in path.read_text(encoding="utf-8")


def test_configuring_twice_adds_one_rotating_handler(clean_root: logging.Logger, tmp_path: Path) -> None:
    configure_logging(folder=tmp_path)
    configure_logging(folder=tmp_path)
    handlers = [h for h in clean_root.handlers if isinstance(h, RotatingFileHandler)]
    assert len(handlers) == 1
    assert handlers[0].maxBytes > 0 and handlers[0].backupCount > 0


def test_a_failed_rollover_keeps_logging_to_the_current_file(
    clean_root: logging.Logger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = configure_logging(folder=tmp_path)
    handler = next(h for h in clean_root.handlers if isinstance(h, RotatingFileHandler))

    def locked(*_args: object) -> None:
        raise PermissionError("another process has the file open")  # what Windows says

    monkeypatch.setattr(handler, "rotate", locked)
    monkeypatch.setattr(handler, "shouldRollover", lambda _record: True)
    logging.getLogger("taizhang.test").warning("第一条")
    logging.getLogger("taizhang.test").warning("第二条")
    handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "第一条" in text and "第二条" in text
