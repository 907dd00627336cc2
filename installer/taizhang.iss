; Inno Setup 6 script: packs the PyInstaller folder dist\Taizhang into dist\TaizhangSetup.exe.
; Build (on Windows, after `pyinstaller --noconfirm installer\taizhang.spec`):
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\taizhang.iss
; This file is UTF-8 with a byte-order mark: Inno Setup reads Chinese text correctly only with the BOM.
;
; What the clerk gets: Chinese installer pages, a choice between "仅为我安装" (no administrator rights;
; %LOCALAPPDATA%\Programs\Taizhang) and "为所有用户安装" (Program Files), Start-menu and desktop shortcuts.
; Uninstalling removes only the program folder: the ledger, logs and backups in %APPDATA%\Taizhang and
; %LOCALAPPDATA%\Taizhang are never touched (no [UninstallDelete] entry names them, on purpose).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "台账"
#define AppExe "Taizhang.exe"

; Simplified Chinese is an official Inno Setup translation since 7.0.2 (compiler:Languages\ChineseSimplified.isl);
; Inno Setup 6 does not install it (it was a user-contributed file under Languages\Unofficial in Inno Setup's
; sources). With an older compiler, put ChineseSimplified.isl next to this script: the Windows workflow does,
; from Inno Setup's sources at a pinned commit, checked by SHA-256. Messages a version lacks fall back to English
; with a compiler warning, so any Inno Setup 6.3+ builds it.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: use Inno Setup 7.0.2 or newer, or copy the file into installer\
#endif

; PREPROCVER encodes the Inno Setup version as EncodeVer does (major, minor, revision, build).
#if PREPROCVER < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible architecture identifiers)
#endif

[Setup]
; AppId identifies the product across versions (upgrades, uninstall); never change it.
AppId={{6E0B7C43-2C1D-4B8E-9B0A-4E5A7D3C2F19}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=吉林省互联网经济与信息消费联席会议办公室
VersionInfoDescription=台账：重点项目与部门报表管理
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
DefaultDirName={autopf}\Taizhang
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default (a clerk rarely has administrator rights); the first page offers "为所有用户安装".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
; 64-bit install mode: {autopf} is the 64-bit Program Files and the registry view is the 64-bit one.
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Relative paths are relative to this script's folder (installer\).
OutputDir=..\dist
OutputBaseFilename=TaizhangSetup
SetupIconFile=..\resources\icons\taizhang.ico
; LZMA2 at its strongest with a 64 MB dictionary, one solid block: the bundle is hundreds of similar files
; (DLLs, .pyd, .pyc), so solid compression is what keeps the download under 100 MB.
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
ShowLanguageDialog=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; Close a running 台账 (Restart Manager) instead of failing to replace its files.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimp"; MessagesFile: "{#ChineseMessages}"

[Messages]
; Python 3.11 and Qt 6 need 64-bit Windows 10 or 11 (MinVersion and ArchitecturesAllowed above). The standard
; messages only name a version number or a processor type; these say what to do, in Chinese.
WinVersionTooLowError=本机的 Windows 版本过旧，无法安装台账。%n%n台账需要 64 位的 Windows 10 或 Windows 11。请联系单位的信息化管理员升级系统后再安装。
WinVersionTooHighError=台账无法安装在此版本的 Windows 上。
OnlyOnTheseArchitectures=本机是 32 位 Windows（或不支持的处理器），无法安装台账。%n%n台账需要 64 位的 Windows 10 或 Windows 11。请联系单位的信息化管理员。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A PyInstaller bundle is replaced as a whole: libraries left over from an older version could be loaded
; instead of the new ones. Only the program folder's own _internal is cleared, never user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\Taizhang\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "重点项目与部门报表管理"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon; Comment: "重点项目与部门报表管理"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
