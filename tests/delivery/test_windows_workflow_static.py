"""The Windows workflow and the installer script, checked where they cannot run: on Linux, before a push.

Nothing here can build an installer (Inno Setup needs Windows); what can be proven statically is: the workflow
refers to files that exist, with the names the spec and the .iss give them (executables, output, AppId); the
installer script uses only [Setup] directives Inno Setup knows (an unknown one stops ISCC, and CI would be the
first to tell), installs per user without administrator rights on 64-bit Windows 10/11 only, refuses older and
32-bit systems in Chinese, carries the icon, and leaves the clerk's data alone when uninstalled.
"""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "windows.yml"
ISS = REPO_ROOT / "installer" / "taizhang.iss"
SPEC = REPO_ROOT / "installer" / "taizhang.spec"

# Every [Setup] directive of Inno Setup 6.7 and 7.1 (both know all of these): a name outside this list is a
# typo or an invented directive, which ISCC refuses ("Unrecognized [Setup] section directive").
INNO_SETUP_DIRECTIVES = set(
    """
    ASLRCompatible AllowCancelDuringInstall AllowNetworkDrive AllowNoIcons AllowRootDirectory AllowUNCPath
    AlwaysRestart AlwaysShowComponentsList AlwaysShowDirOnReadyPage AlwaysShowGroupOnReadyPage
    AlwaysUsePersonalGroup AppComments AppContact AppCopyright AppId AppModifyPath AppMutex AppName
    AppPublisher AppPublisherURL AppReadmeFile AppSupportPhone AppSupportURL AppUpdatesURL AppVerName
    AppVersion AppendDefaultDirName AppendDefaultGroupName ArchitecturesAllowed
    ArchitecturesInstallIn64BitMode ArchiveExtraction BackColor BackColor2 BackColorDirection BackSolid
    ChangesAssociations ChangesEnvironment CloseApplications CloseApplicationsFilter
    CloseApplicationsFilterExcludes Compression CompressionThreads CreateAppDir CreateUninstallRegKey
    DEPCompatible DefaultDialogFontName DefaultDirName DefaultGroupName DefaultUserInfoName
    DefaultUserInfoOrg DefaultUserInfoSerial DirExistsWarning DisableDirPage DisableFinishedPage
    DisablePrecompiledFileVerifications DisableProgramGroupPage DisableReadyMemo DisableReadyPage
    DisableStartupPrompt DisableWelcomePage DiskClusterSize DiskSliceSize DiskSpanning
    DontMergeDuplicateFiles EnableDirDoesntExistWarning Encryption EncryptionKeyDerivation
    ExtraDiskSpaceRequired FlatComponentsList InfoAfterFile InfoBeforeFile InternalCompressLevel
    LZMAAlgorithm LZMABlockSize LZMADictionarySize LZMAMatchFinder LZMANumBlockThreads LZMANumFastBytes
    LZMAUseSeparateProcess LanguageDetectionMethod LicenseFile MergeDuplicateFiles MessagesFile MinVersion
    MissingMessagesWarning MissingRunOnceIdsWarning NotRecognizedMessagesWarning OnlyBelowVersion Output
    OutputBaseFilename OutputDir OutputManifestFile Password PrivilegesRequired
    PrivilegesRequiredOverridesAllowed RedirectionGuard ReserveBytes RestartApplications
    RestartIfNeededByRun SetupIconFile SetupLogging SetupMutex ShowComponentSizes ShowLanguageDialog
    ShowTasksTreeLines ShowUndisplayableLanguages SignTool SignToolMinimumTimeBetween SignToolRetryCount
    SignToolRetryDelay SignToolRunMinimized SignedUninstaller SignedUninstallerDir SlicesPerDisk
    SolidCompression SourceDir TerminalServicesAware TimeStampRounding TimeStampsInUTC TouchDate TouchTime
    UninstallDisplayIcon UninstallDisplayName UninstallDisplaySize UninstallFilesDir UninstallIconFile
    UninstallLogMode UninstallLogging UninstallRestartComputer UninstallStyle Uninstallable
    UpdateUninstallLogAppName UsePreviousAppDir UsePreviousGroup UsePreviousLanguage UsePreviousPrivileges
    UsePreviousSetupType UsePreviousTasks UsePreviousUserInfo UseSetupLdr UsedUserAreasWarning UserInfoPage
    VersionInfoCompany VersionInfoCopyright VersionInfoDescription VersionInfoOriginalFileName
    VersionInfoProductName VersionInfoProductTextVersion VersionInfoProductVersion VersionInfoTextVersion
    VersionInfoVersion WindowResizable WindowShowCaption WindowStartMaximized WindowVisible WizardBackColor
    WizardBackColorDynamicDark WizardBackImageFile WizardBackImageFileDynamicDark WizardBackImageOpacity
    WizardImageAlphaFormat WizardImageBackColor WizardImageBackColorDynamicDark WizardImageFile
    WizardImageFileDynamicDark WizardImageOpacity WizardImageStretch WizardKeepAspectRatio WizardResizable
    WizardSizePercent WizardSmallImageBackColor WizardSmallImageBackColorDynamicDark WizardSmallImageFile
    WizardSmallImageFileDynamicDark WizardStyle WizardStyleFile WizardStyleFileDynamicDark
    """.split()
)


def iss_text() -> str:
    return ISS.read_bytes().decode("utf-8-sig")


def iss_sections() -> dict[str, list[str]]:
    """The script's sections (lower-case name → lines), comments and preprocessor lines left out."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in iss_text().splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1).lower()
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["setup"])


def iss_defines() -> dict[str, str]:
    return dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', iss_text(), flags=re.MULTILINE))


@pytest.fixture(scope="module")
def workflow() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> str:  # type: ignore[type-arg]
    return "\n".join(str(step.get("run", "")) for step in workflow["jobs"][job]["steps"])


def test_the_installer_script_uses_only_directives_inno_setup_knows() -> None:
    unknown = set(setup_directives()) - INNO_SETUP_DIRECTIVES
    assert not unknown, f"ISCC would refuse these [Setup] directives: {sorted(unknown)}"


def test_the_installer_script_is_utf8_with_a_byte_order_mark() -> None:
    # Without the BOM Inno Setup reads the script in the system code page and the Chinese text is garbled.
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_installer_is_per_user_64_bit_windows_10_or_later_with_the_icon() -> None:
    setup, defines = setup_directives(), iss_defines()
    assert setup["PrivilegesRequired"] == "lowest"  # no administrator rights
    # /CURRENTUSER and /ALLUSERS on the command line need "commandline" here.
    assert "commandline" in setup["PrivilegesRequiredOverridesAllowed"].split()
    assert setup["DefaultDirName"].startswith("{autopf}")  # %LOCALAPPDATA%\Programs for a per-user install
    assert setup["MinVersion"] == "10.0"
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    icon = (ISS.parent / setup["SetupIconFile"].replace("\\", "/")).resolve()
    assert icon.suffix == ".ico" and icon.is_file()
    assert setup["UninstallDisplayIcon"] == "{app}\\{#AppExe}" and defines["AppExe"] == "Taizhang.exe"
    assert setup["Compression"] == "lzma2/ultra64" and setup["SolidCompression"] == "yes"


def test_uninstalling_removes_only_the_program_never_the_clerks_data() -> None:
    sections = iss_sections()
    assert "uninstalldelete" not in sections
    assert sections.get("installdelete") == ['Type: filesandordirs; Name: "{app}\\_internal"']
    for line in sections["files"]:
        assert 'DestDir: "{app}"' in line  # nothing installed into %APPDATA% or %LOCALAPPDATA%


def test_the_installer_packs_the_folder_the_spec_builds_and_names_both_executables() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    collected = re.search(r'COLLECT\((?:.|\n)*?name="([^"]+)"', spec)
    assert collected is not None
    (files_line,) = iss_sections()["files"]
    assert f'Source: "..\\dist\\{collected.group(1)}\\*"' in files_line
    executables = set(re.findall(r'EXE\((?:.|\n)*?name="([^"]+)"', spec))
    assert executables == {"Taizhang", "taizhang-cli"}
    assert iss_defines()["AppExe"] == "Taizhang.exe"


def test_the_workflow_refers_only_to_files_that_exist(workflow: dict) -> None:  # type: ignore[type-arg]
    text = steps(workflow, "tests") + "\n" + steps(workflow, "installer")
    generated = {"installer/ChineseSimplified.isl"}  # fetched by the workflow when the compiler lacks it
    paths = set(re.findall(r"\b((?:installer|tests|scripts|resources|bench)[/\\][\w./\\-]*\w)", text))
    named = {p.replace("\\", "/") for p in paths} - generated
    missing = sorted(p for p in named if not (REPO_ROOT / p).exists())
    assert "installer/taizhang.spec" in named and "tests/delivery" in named
    assert not missing, missing
    for step in workflow["jobs"]["installer"]["steps"] + workflow["jobs"]["tests"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"actions/[\w-]+@v\d+", step["uses"]), step["uses"]
    assert {job["defaults"]["run"]["shell"] for job in workflow["jobs"].values()} == {"pwsh"}


def test_the_workflow_builds_the_installer_the_script_names_and_holds_it_to_100_mb(workflow: dict) -> None:  # type: ignore[type-arg]
    setup = setup_directives()
    installer = steps(workflow, "installer")
    output = "dist\\" + setup["OutputBaseFilename"] + ".exe"
    assert setup["OutputDir"] == "..\\dist" and output in installer
    assert '& $env:ISCC "/DAppVersion=$version" installer\\taizhang.iss' in installer
    assert "if ($bytes -gt 100e6)" in installer and "exit 1" in installer
    assert workflow["jobs"]["installer"]["steps"][-1]["with"]["path"] == output.replace("\\", "/")
    # An older Inno Setup without the Chinese messages gets them pinned and checked, never "latest".
    env = next(s["env"] for s in workflow["jobs"]["installer"]["steps"] if "ISL_URL" in s.get("env", {}))
    assert re.search(r"/issrc/[0-9a-f]{40}/Files/Languages/ChineseSimplified.isl$", env["ISL_URL"])
    assert re.fullmatch(r"[0-9a-f]{64}", env["ISL_SHA256"])


def test_the_workflow_installs_silently_per_user_self_tests_and_uninstalls_keeping_data(workflow: dict) -> None:  # type: ignore[type-arg]
    installer = steps(workflow, "installer")
    for flag in ("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER"):
        assert f'"{flag}"' in installer
    app_id = re.search(r"AppId=\{(\{[0-9A-F-]+\})", iss_text())
    assert app_id is not None
    # Inno Setup's per-user uninstall entry: HKCU, the AppId, "_is1".
    assert f"HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{app_id.group(1)}_is1" in installer
    assert '(Join-Path $app "taizhang-cli.exe") --self-test' in installer
    assert '(Join-Path $app "Taizhang.exe") -ArgumentList "--self-test"' in installer
    assert 'Join-Path $app "unins000.exe"' in installer
    assert 'Join-Path $env:APPDATA "Taizhang\\taizhang.db"' in installer
    assert "uninstall deleted" in installer


def test_the_it_guide_in_chinese_gives_the_commands_the_workflow_proves() -> None:
    guide = (REPO_ROOT / "installer" / "README.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "Windows 10 或 Windows 11，64 位" in guide and "不需要管理员权限" in guide
    assert "TaizhangSetup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER" in guide
    assert r'"%LOCALAPPDATA%\Programs\Taizhang\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART' in guide
    assert "卸载只删除程序，不删除数据库、日志和备份" in guide
    for folder in (r"%APPDATA%\Taizhang", r"%LOCALAPPDATA%\Taizhang\backups"):
        assert folder in guide
    assert "--db postgresql+psycopg://" in guide and '--db "\\\\' in guide  # a server, and a file on a share


def test_the_executables_the_installer_and_the_window_share_one_icon_of_16_to_256_px() -> None:
    import struct

    spec = SPEC.read_text(encoding="utf-8")
    assert 'icon = ROOT / "resources" / "icons" / "taizhang.ico"' in spec and "icon=str(icon)" in spec
    ico = REPO_ROOT / "resources" / "icons" / "taizhang.ico"
    assert (ISS.parent / setup_directives()["SetupIconFile"].replace("\\", "/")).resolve() == ico
    data = ico.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)  # an icon file, not a cursor
    sizes = {data[6 + 16 * n] or 256 for n in range(count)}  # width byte; 0 means 256
    assert {16, 32, 48, 256} <= sizes
