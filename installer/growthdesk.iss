;; GrowthDesk 学生成长档案 — Windows installer (Inno Setup 6.3 or newer).
;;
;; Build on a Windows machine (see installer\README.md):
;;   1. python installer\build.py          -> dist\growthdesk\ (GrowthDesk.exe, growthdesk-cli.exe, _internal\)
;;                                            and build\version.iss (the version, from growthdesk.__version__)
;;   2. iscc installer\growthdesk.iss      -> dist\installer\GrowthDesk-<version>-setup.exe
;;
;; Chinese: ChineseSimplified.isl is not shipped with Inno Setup; it is one of Inno Setup's
;; *unofficial* translations (https://jrsoftware.org/files/istrans/, "Chinese (Simplified)").
;; Download it next to this script before compiling (installer\ChineseSimplified.isl).
;; Keep this file saved as UTF-8 *with BOM*: Inno Setup needs the BOM to read the Chinese text.
;;
;; Data: the app keeps its databases, backups and evidence files in %LOCALAPPDATA%\GrowthDesk
;; ({localappdata}\GrowthDesk, see growthdesk/paths.py), never in the program folder. This
;; script neither creates nor deletes that folder, so upgrades and uninstalls keep every school's data.

#if FileExists(AddBackslash(SourcePath) + "..\build\version.iss")
  #include "..\build\version.iss"
#else
  ; no build\version.iss: read the version stamped into the executable by installer/build.py
  #define AppVersion GetVersionNumbersString(AddBackslash(SourcePath) + "..\dist\growthdesk\GrowthDesk.exe")
#endif
#define AppName "GrowthDesk"
#define AppTitle "GrowthDesk 学生成长档案"
#define AppExe "GrowthDesk.exe"
#define CliExe "growthdesk-cli.exe"

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{6F1C2B7E-4D0A-4C8B-9E57-3B2A7D5C9E14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppTitle} {#AppVersion}
AppPublisher=GrowthDesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppTitle}
; Per-machine: one installation for every teacher's account on a shared school PC.
PrivilegesRequired=admin
DefaultDirName={autopf}\GrowthDesk
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or newer.
MinVersion=10.0
SetupIconFile=..\resources\icons\growthdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppTitle}
OutputDir=..\dist\installer
OutputBaseFilename=GrowthDesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade while the app is open: ask to close it (Restart Manager) instead of failing on locked files.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
; Chinese first: it is chosen on Chinese Windows and whenever no language matches.
Name: "chinesesimp"; MessagesFile: "ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimp.SelfCheckFailed=GrowthDesk 安装完成，但自检没有通过。%n%n请在命令提示符中运行：%n"%1" --self-check%n并把输出发给技术支持。学校数据未受影响。
english.SelfCheckFailed=GrowthDesk was installed, but its self-check failed.%n%nRun this in a command prompt:%n"%1" --self-check%nand send the output to support. No school data was touched.

[Tasks]
; Checked by default: teachers look for the icon on the desktop.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the program files whole, so no module of the old version lingers.
; (Only the program folder: the data folder is elsewhere and never touched.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\growthdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppTitle} {#AppVersion}"
Name: "{autodesktop}\{#AppTitle}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppTitle}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Byte-code caches Python may have written into the program folder. Nothing outside {app}.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
{ After copying the files, run the bundle's own self-check (hidden, offscreen) so a broken
  installation is reported at install time, not in the middle of a lesson. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
  Cli: String;
begin
  if CurStep = ssPostInstall then
  begin
    Cli := ExpandConstant('{app}\{#CliExe}');
    if not Exec(Cli, '--self-check', ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, ResultCode)
       or (ResultCode <> 0) then
      SuppressibleMsgBox(FmtMessage(CustomMessage('SelfCheckFailed'), [Cli]), mbError, MB_OK, IDOK);
  end;
end;
