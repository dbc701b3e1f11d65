; Inno Setup 6 script for WardBrief (Windows). Build the one-folder bundle first (python packaging\build.py),
; then, from the repository root:
;     iscc packaging\installer\wardbrief.iss
; The version is read from dist\WardBrief\WardBrief.exe's version resource, which the build made from
; pyproject.toml (override with iscc /DAppVersion=1.2.3). Output: dist\WardBrief-<version>-setup.exe.
;
; Default: a per-user install under %LOCALAPPDATA%\Programs\WardBrief with no administrator rights (officers'
; locked-down laptops). IT can choose "Install for all users" in the first dialog, or deploy silently with
;     WardBrief-<version>-setup.exe /ALLUSERS /VERYSILENT /SUPPRESSMSGBOXES
; The user's data (%LOCALAPPDATA%\WardBrief: store, settings, logs) is never touched by an upgrade; the uninstaller
; keeps it unless the user ticks the box to remove it.

#define AppName "WardBrief"
#define AppExe "WardBrief.exe"
#define BundleDir "..\..\dist\WardBrief"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(BundleDir) + AppExe)
#endif

[Setup]
; Keep this AppId for every release: it is how Windows recognises an upgrade of the same application.
AppId={{6F1C8E2A-4B7D-4C39-9A55-2D8E5B7A1C40}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=WardBrief
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsedUserAreasWarning=no
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "Create a &desktop shortcut"; GroupDescription: "Shortcuts:"; Flags: unchecked

[Files]
; The whole one-folder bundle. An upgrade first removes the old program files (never the user's data).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Ward safety briefing packs"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent

[Code]
var
  RemoveData: Boolean;

function DataDir(): String;
begin
  { Where WardBrief keeps the store, settings and logs (platformdirs' user data folder on Windows). }
  Result := ExpandConstant('{localappdata}\WardBrief');
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
  RemoveData := False;
  if DirExists(DataDir()) and not UninstallSilent() then
    RemoveData := MsgBox('Also delete your WardBrief data (imported figures, priorities, settings and logs) in '
      + DataDir() + '?' + #13#10#13#10 + 'Choose No to keep it for a later install (recommended).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and RemoveData then
    DelTree(DataDir(), True, True, True);
end;
