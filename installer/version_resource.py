"""The Windows version resource of Taizhang.exe and taizhang-cli.exe (Explorer → 属性 → 详细信息).

Used by taizhang.spec; importable without Windows so tests/delivery can check what it records.
"""

from __future__ import annotations

import re


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """"0.1.0" → (0, 1, 0, 0); a suffix such as "rc1" is dropped (Windows needs four numbers)."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        digits = re.match(r"\d*", part)
        numbers.append(int(digits.group() or 0) if digits else 0)
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def version_strings(version: str, components: str, internal_name: str) -> dict[str, str]:
    """The string table: product and file version, and the locked library versions under Comments."""
    return {
        "CompanyName": "吉林省互联网经济与信息消费联席会议办公室",
        "FileDescription": "台账：重点项目与部门报表管理",
        "FileVersion": version,
        "InternalName": internal_name,
        "LegalCopyright": "吉林省互联网经济与信息消费联席会议办公室",
        "OriginalFilename": f"{internal_name}.exe",
        "ProductName": "台账",
        "ProductVersion": version,
        "Comments": components,
    }


def version_resource(version: str, components: str, internal_name: str):  # type: ignore[no-untyped-def]
    """A PyInstaller VSVersionInfo for one executable."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = version_tuple(version)
    strings = version_strings(version, components, internal_name)
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0, OS=0x40004, fileType=0x1),
        kids=[
            # 0804 = Simplified Chinese, 04B0 = Unicode (1200)
            StringFileInfo([StringTable("080404B0", [StringStruct(k, v) for k, v in strings.items()])]),
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
