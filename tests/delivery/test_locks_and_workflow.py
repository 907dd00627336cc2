"""The hash-locked dependencies and the Windows workflow that cannot run here: what can be proven on Linux is.

The locks must pin every runtime dependency (and the postgres extra) with hashes and hold no development tool;
this environment must have exactly the locked versions (the frozen-build test builds from it); the workflow
must parse, run on windows-latest under a Chinese profile path with a space, test the folders the issue names,
install from the locks with --require-hashes and install per user without administrator rights.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT

RUNTIME_LOCK = REPO_ROOT / "installer" / "requirements.lock"
BUILD_LOCK = REPO_ROOT / "installer" / "requirements-build.lock"
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "windows.yml"
DEV_TOOLS = {"pytest", "pytest-qt", "ruff", "mypy", "pyinstaller", "pyinstaller-hooks-contrib", "setuptools", "pip"}


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of every pin in a uv/pip-tools lock."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["postgres"]]


def test_the_runtime_lock_pins_every_dependency_and_the_postgres_extra_with_hashes() -> None:
    pins = locked(RUNTIME_LOCK)
    for requirement in runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {RUNTIME_LOCK.name}"
        assert requirement.specifier.contains(pins[name][0]), f"{name}=={pins[name][0]} breaks {requirement}"
    assert "psycopg-binary" in pins  # the driver the postgres extra brings
    assert all(hashes >= 1 for _version, hashes in pins.values())
    assert not DEV_TOOLS & set(pins), "a development tool is locked as a runtime dependency"


def test_the_build_lock_agrees_with_the_runtime_lock() -> None:
    runtime, build = locked(RUNTIME_LOCK), locked(BUILD_LOCK)
    assert {"pyinstaller", "pytest", "pytest-qt", "setuptools"} <= set(build)
    assert all(hashes >= 1 for _version, hashes in build.values())
    for name in set(runtime) & set(build):
        assert runtime[name][0] == build[name][0], name


def test_this_environment_runs_the_locked_versions() -> None:
    # The frozen-build test bundles what is installed here: it must be what the lock says.
    wrong = []
    for name, (version, _hashes) in locked(RUNTIME_LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a Windows-only pin (its marker excludes Linux)
        if canonicalize_name(installed) != canonicalize_name(version):
            wrong.append(f"{name} {installed}（锁定 {version}）")
    assert not wrong, "与 installer/requirements.lock 不符，请运行 bash scripts/setup.sh：" + "；".join(wrong)


@pytest.fixture(scope="module")
def workflow() -> dict[str, object]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps_text(workflow: dict, job: str) -> str:  # type: ignore[type-arg]
    return "\n".join(str(step.get("run", "")) for step in workflow["jobs"][job]["steps"])


def test_the_workflow_tests_on_windows_under_a_chinese_profile_with_a_space(workflow: dict) -> None:  # type: ignore[type-arg]
    assert {job["runs-on"] for job in workflow["jobs"].values()} == {"windows-latest"}
    profile = workflow["env"]["CLERK_PROFILE"]
    assert " " in profile and re.search(r"[\u4e00-\u9fff]", profile)
    tests = _steps_text(workflow, "tests")
    for variable in ("USERPROFILE", "APPDATA", "LOCALAPPDATA", "TEMP", "WIN_PD_OVERRIDE_APPDATA"):
        assert f"{variable}=" in tests
    for folder in ("tests/unit", "tests/storage", "tests/returns", "tests/delivery", "tests/reports", "tests/ui"):
        assert folder in tests and (REPO_ROOT / folder).is_dir()
    assert "choco install poppler" in tests


def test_the_workflow_builds_from_the_locks_and_installs_per_user(workflow: dict) -> None:  # type: ignore[type-arg]
    for job in ("tests", "installer"):
        text = _steps_text(workflow, job)
        assert "--require-hashes --no-deps -r installer/requirements.lock" in text
        assert ".[dev]" not in text  # the bundle is built from the runtime lock, not the dev extras
    installer = _steps_text(workflow, "installer")
    assert "pyinstaller --noconfirm --clean installer/taizhang.spec" in installer
    assert '"/CURRENTUSER"' in installer and '"/VERYSILENT"' in installer
    assert "unins000.exe" in installer and "uninstall deleted" in installer
    assert "-gt 100" in installer  # the installer's size limit


def test_the_installer_refuses_old_and_32_bit_windows_in_chinese() -> None:
    iss = (REPO_ROOT / "installer" / "taizhang.iss").read_text(encoding="utf-8-sig")
    assert "MinVersion=10.0" in iss and "ArchitecturesAllowed=x64compatible" in iss
    messages = dict(
        line.split("=", 1) for line in iss.split("[Messages]", 1)[1].split("\n[", 1)[0].splitlines() if "=" in line
    )
    assert "Windows 10" in messages["WinVersionTooLowError"] and "64 位" in messages["WinVersionTooLowError"]
    assert "32 位" in messages["OnlyOnTheseArchitectures"]
    assert "PrivilegesRequired=lowest" in iss and "Compression=lzma2/ultra64" in iss
    assert "SetupIconFile=..\\resources\\icons\\taizhang.ico" in iss


def _version_resource_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("version_resource", REPO_ROOT / "installer" / "version_resource.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_executables_version_strings_record_taizhang_and_the_library_versions() -> None:
    from app.versions import app_version, versions_line

    vr = _version_resource_module()
    assert vr.version_tuple("0.1.0") == (0, 1, 0, 0) and vr.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    strings = vr.version_strings(app_version(), versions_line(), "Taizhang")
    assert strings["ProductVersion"] == strings["FileVersion"] == app_version()
    assert f"PySide6-Essentials {metadata.version('PySide6-Essentials')}" in strings["Comments"]
    assert f"SQLAlchemy {metadata.version('SQLAlchemy')}" in strings["Comments"]


def test_the_version_file_loads_into_pyinstallers_version_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    import PyInstaller.compat

    from app.versions import app_version, versions_line

    # PyInstaller's version-info module imports two Windows-only names at load; the parsing itself is portable.
    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32 import versioninfo

    vr = _version_resource_module()
    path = vr.write_version_file(tmp_path, app_version(), versions_line(), "taizhang-cli")
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert info.ffi.fileVersionMS >> 16 == vr.version_tuple(app_version())[0]
    strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
    assert strings["ProductVersion"] == app_version() and strings["OriginalFilename"] == "taizhang-cli.exe"
    assert f"PySide6-Essentials {metadata.version('PySide6-Essentials')}" in strings["Comments"]
    assert len(info.toRaw()) > 500  # serialises into the binary resource PyInstaller embeds
