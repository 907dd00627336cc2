"""The Windows version resource of Taizhang.exe and taizhang-cli.exe (Explorer → 属性 → 详细信息).

taizhang.spec writes it as a PyInstaller version file (the text form PyInstaller evaluates with its
VSVersionInfo classes) and passes the path to EXE(version=…). Plain text, so tests/delivery checks what it
records on any platform; PyInstaller's own classes load only on Windows.
"""

from __future__ import annotations

import re
from pathlib import Path


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """ "0.1.0" → (0, 1, 0, 0); a suffix such as "rc1" is dropped (Windows needs four numbers)."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        digits = re.match(r"\d*", part)
        numbers.append(int(digits.group() or 0) if digits else 0)
    padded = (*numbers, 0, 0, 0, 0)
    return padded[0], padded[1], padded[2], padded[3]


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


def version_file_text(version: str, components: str, internal_name: str) -> str:
    """The version resource in PyInstaller's version-file syntax (what pyi-grab_version prints)."""
    numbers = version_tuple(version)
    strings = ",\n".join(
        f"          StringStruct({key!r}, {value!r})"
        for key, value in version_strings(version, components, internal_name).items()
    )
    # 0804 = Simplified Chinese (2052), 04B0 = Unicode (1200).
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080404B0',
        [
{strings},
        ],
      ),
    ]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])]),
  ],
)
"""


def write_version_file(folder: Path, version: str, components: str, internal_name: str) -> Path:
    """Write the version file for one executable into ``folder`` (PyInstaller's work folder); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"version-{internal_name}.txt"
    path.write_text(version_file_text(version, components, internal_name), encoding="utf-8")
    return path
