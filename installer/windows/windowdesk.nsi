; The windowdesk client's Windows installer (NSIS 3, Unicode), around the one-folder
; PyInstaller build (installer/windowdesk.spec -> dist\windowdesk\windowdesk.exe + _internal\).
; Built on Windows after PyInstaller (README.md, "Windows"):
;   makensis /DVERSION=0.9.0.1 /DBUNDLE=dist\windowdesk /DOUTFILE=dist\windowdesk-0.9.0.1-setup.exe
;            [/DICON=installer\icons\windowdesk.ico] installer\windows\windowdesk.nsi
; VERSION has four parts (the same as the .deb's: windowdesk.__version__ and a build number).
;
; Per machine (Program Files, one Start-menu shortcut for every user, an entry in "Apps"),
; as an IT office deploys it; silently with /S. The user's data (the encrypted database,
; its backups, the log) is in each user's %LOCALAPPDATA%\windowdesk and its key in the
; Windows Credential Manager: neither installing, upgrading nor uninstalling touches them.

Unicode true
ManifestDPIAware true

!ifndef VERSION
  !error "give the four-part version: /DVERSION=0.9.0.1"
!endif
!ifndef BUNDLE
  !error "give the PyInstaller folder: /DBUNDLE=dist\windowdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "windowdesk-${VERSION}-setup.exe"
!endif

!define APP "windowdesk"
!define PUBLISHER "windowdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\cn.windowdesk.client"

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Name "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

; The installer's own version resource (Explorer's Details tab, inventory tools).
VIProductVersion "${VERSION}"
VIFileVersion "${VERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} counter client installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Apache-2.0"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\windowdesk.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; Chinese first: the installer speaks it unless Windows is set to English.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString NeedsX64 ${LANG_SIMPCHINESE} "windowdesk 需要 64 位 Windows 10 或 11。"
LangString NeedsX64 ${LANG_ENGLISH} "windowdesk needs 64-bit Windows 10 or 11."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NeedsX64)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "windowdesk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the whole bundle: no library of the older build stays behind.
  RMDir /r "$INSTDIR\_internal"
  File "${BUNDLE}\windowdesk.exe"
  File /r "${BUNDLE}\_internal"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\windowdesk.exe" "" "$INSTDIR\windowdesk.exe" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\windowdesk.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; Removes only what the installer put there, by name: never a folder it did not make,
; whatever INSTDIR was chosen, and never the users' data (%LOCALAPPDATA%\windowdesk) or
; their keys in the Credential Manager.
Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\windowdesk.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
