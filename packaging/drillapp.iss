; Inno Setup 6 script: the Windows installer of drillapp (Windows 10/11, 64-bit), made from the bundle
; dist\drillapp\ that packaging\build.py builds. On Windows, with Inno Setup 6 installed:
;     python packaging\build.py --installer
; or, after build.py:   ISCC /DAppVersion=0.1.0 packaging\drillapp.iss
; The result is dist\drillapp-<version>-setup.exe. It cannot be built on Linux (Inno Setup runs on Windows).
;
; Installing a newer version over an older one replaces the program folder's collection (_internal) and
; keeps the data: that lives in the user's folder (%LOCALAPPDATA%\drillapp\drillapp), or in portable mode
; in data\ beside drillapp.exe; neither the installer nor the uninstaller touches it. The app upgrades
; the database's schema at its next start.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir SourcePath + "..\dist\drillapp"
#endif

[Setup]
; the same AppId in every version: a new version installs over the old one
AppId={{5D0F3A52-8C4B-4E0B-9A77-2C41D8B1E6F3}
AppName=drillapp
AppVersion={#AppVersion}
AppVerName=drillapp {#AppVersion}
AppPublisher=drillapp
DefaultDirName={autopf}\drillapp
DefaultGroupName=drillapp
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; for every user of the PC (Program Files) by default; without administrator rights, for this user only
; (%LOCALAPPDATA%\Programs\drillapp)
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#SourcePath}..\dist
OutputBaseFilename=drillapp-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\drillapp-gui.exe
; a running drillapp is asked to close before its files are replaced
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; the previous version's collection: a library it had and this version has not must not linger
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; everything build.py made, but never a portable data folder or marker left in the build folder
Source: "{#BundleDir}\*"; DestDir: "{app}"; Excludes: "\data\*,\portable.txt"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\drillapp"; Filename: "{app}\drillapp-gui.exe"
Name: "{group}\{cm:UninstallProgram,drillapp}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\drillapp"; Filename: "{app}\drillapp-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\drillapp-gui.exe"; Description: "{cm:LaunchProgram,drillapp}"; Flags: nowait postinstall skipifsilent
