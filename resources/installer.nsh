; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).

; Per-user only: skip the "for me / for everyone" page. No administrator is needed to install,
; and updates replace the app without asking for one.
!macro customInstallMode
  StrCpy $isForceCurrentInstall "1"
!macroend

; warbler:// links open Warbler from the moment it is installed, not only after its first start.
; The same keys Electron's app.setAsDefaultProtocolClient writes, for the installing user.
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\warbler" "" "URL:Warbler"
  WriteRegStr SHELL_CONTEXT "Software\Classes\warbler" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\warbler\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\warbler\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\warbler"
!macroend
