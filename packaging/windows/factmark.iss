; Inno Setup script of the Factmark installer for Windows (Inno Setup 6.3 or newer).
;
; Build the app first (python packaging\build.py), then, from the checkout:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\factmark.iss
;
; which writes dist\factmark-0.1.0-windows-x64-setup.exe from dist\Factmark\.
; /DDistDir=FOLDER reads the app from another build.py --out folder (and writes
; the installer there); relative paths are relative to this script's folder.
;
; Projects and settings live in %LOCALAPPDATA%\Factmark, which nothing here
; names: installing over an older version and uninstalling leave them alone.

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=X.Y.Z packaging\windows\factmark.iss
#endif
#ifndef DistDir
  #define DistDir "..\..\dist"
#endif

[Setup]
; The AppId ties every version together (upgrades, one uninstall entry): never change it.
AppId={{36F07C00-01B4-46DA-9ED8-4F43339DFB58}
AppName=Factmark
AppVersion={#AppVersion}
AppPublisher=Factmark
DefaultDirName={autopf}\Factmark
DefaultGroupName=Factmark
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\Factmark.exe
; For all users (Program Files) by default; /CURRENTUSER or the dialog installs for
; one user without administrator rights ({autopf} is then %LOCALAPPDATA%\Programs).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
OutputDir={#DistDir}
OutputBaseFilename=factmark-{#AppVersion}-windows-x64-setup

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous version's program files (a newer Qt or Python drops some); the
; install folder only, never user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; Factmark.exe (windowed) and factmark-debug.exe (console: command line, selftest).
Source: "{#DistDir}\Factmark\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Factmark"; Filename: "{app}\Factmark.exe"
Name: "{autodesktop}\Factmark"; Filename: "{app}\Factmark.exe"; Tasks: desktopicon

[Registry]
; .factmark project files open in Factmark (HKA: machine-wide or per-user, as installed).
Root: HKA; Subkey: "Software\Classes\.factmark\OpenWithProgids"; ValueType: string; ValueName: "Factmark.Project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Factmark.Project"; ValueType: string; ValueName: ""; ValueData: "Factmark project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Factmark.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Factmark.exe,0"
Root: HKA; Subkey: "Software\Classes\Factmark.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Factmark.exe"" gui ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\Factmark.exe\SupportedTypes"; ValueType: string; ValueName: ".factmark"; ValueData: ""

[Run]
Filename: "{app}\Factmark.exe"; Description: "{cm:LaunchProgram,Factmark}"; Flags: nowait postinstall skipifsilent
