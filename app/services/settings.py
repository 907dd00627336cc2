"""Database-wide settings a clerk sets by name (the organisation's name on the report, the office's name …).

One table (app_settings) holds them; every change is audited (entity ``app_setting``). The CLI
(`taizhang settings`) and the GUI (设置 → 单位名称设置) both come through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.reports.content import ORGANISATION
from app.services.meetings import DEFAULT_INTERNAL_LINE, SETTING_INTERNAL_LINE, set_setting
from app.services.scope import (
    DEFAULT_OFFICE_NAME,
    OFFICE_CONTACT_SETTING,
    OFFICE_NAME_SETTING,
    setting,
)
from app.storage.db import Database
from app.storage.errors import KnownError

ORGANISATION_SETTING = "organisation"
# The documents name the joint conference differently (2015: 全省互联网经济发展联席会议制度; 2018: 协调会商机制),
# so the report's organisation is the office's to set; this is only the default until it does.
DEFAULT_ORGANISATION = ORGANISATION


@dataclass(frozen=True)
class SettingSpec:
    """A setting a clerk may change: its key, Chinese label, default and what it is used for."""

    key: str
    label: str
    default: str
    used_for: str
    max_length: int = 100


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(ORGANISATION_SETTING, "机构名称", DEFAULT_ORGANISATION, "会议材料封面和页眉"),
    SettingSpec(OFFICE_NAME_SETTING, "办公室名称", DEFAULT_OFFICE_NAME, "填报模板、汇总表和催报通知的落款"),
    SettingSpec(OFFICE_CONTACT_SETTING, "办公室联系人", "", "填报模板上的联系人和电话"),
    SettingSpec(SETTING_INTERNAL_LINE, "密级标注", DEFAULT_INTERNAL_LINE, "会议材料页眉左侧"),
)
# Short names a clerk may type on the command line.
ALIASES = {
    "organisation": ORGANISATION_SETTING,
    "机构名称": ORGANISATION_SETTING,
    "office": OFFICE_NAME_SETTING,
    "办公室名称": OFFICE_NAME_SETTING,
    "contact": OFFICE_CONTACT_SETTING,
    "办公室联系人": OFFICE_CONTACT_SETTING,
    "internal_line": SETTING_INTERNAL_LINE,
    "密级标注": SETTING_INTERNAL_LINE,
}


@dataclass(frozen=True)
class SettingValue:
    """A setting with its current value (the default when never set)."""

    spec: SettingSpec
    value: str
    is_default: bool


def spec_for(name: str) -> SettingSpec:
    """The setting a clerk names (key, short name or Chinese label); KnownError listing the choices if none."""
    key = ALIASES.get(name.strip(), name.strip())
    for spec in SETTINGS:
        if spec.key == key:
            return spec
    choices = "、".join(f"{s.key}（{s.label}）" for s in SETTINGS)
    raise KnownError(f"没有名为“{name}”的设置。可设置：{choices}")


def organisation(session: Session) -> str:
    """The organisation's name for the report's cover and headers."""
    return setting(session, ORGANISATION_SETTING, DEFAULT_ORGANISATION)


def list_settings(database: Database) -> list[SettingValue]:
    """Every setting a clerk may change, with its value."""
    with database.session() as session:
        out = []
        for spec in SETTINGS:
            value = setting(session, spec.key, "")
            out.append(SettingValue(spec, value or spec.default, not value))
        return out


def set_value(database: Database, name: str, value: str) -> SettingValue:
    """Change a setting (audited); an empty value puts the default back."""
    spec = spec_for(name)
    text = " ".join(value.split())
    if len(text) > spec.max_length:
        raise KnownError(f"{spec.label}太长（{len(text)} 字），最多 {spec.max_length} 字")
    if spec.key == ORGANISATION_SETTING and text and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        raise KnownError("机构名称应为中文全称，如：吉林省互联网经济发展联席会议")
    set_setting(database, spec.key, text)
    return SettingValue(spec, text or spec.default, not text)
