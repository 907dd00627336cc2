"""`taizhang --self-test` in a checkout: passes with 自检通过, or names the failing check and exits 1."""

from __future__ import annotations

import pytest

from app.cli import main
from app.services.self_test import SelfTest, SelfTestFailed


def test_self_test_passes_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1].startswith("自检通过")
    assert "PDF" in out and "中文字体" in out


def test_a_failing_check_exits_1_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: SelfTest) -> str:
        raise SelfTestFailed("找不到 python-docx 的模板")

    monkeypatch.setattr(SelfTest, "check_docx", broken)
    assert main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert "自检失败：Word 文档（python-docx）：找不到 python-docx 的模板" in out
    assert "自检通过" not in out
