@echo off
rem Install GradLab from this folder only (no network): a virtual environment, then a Start
rem menu and desktop shortcut for the user who runs it.
rem
rem   install.bat [FOLDER]    the environment's folder; default %LOCALAPPDATA%\GradLab\venv
rem
rem Needs Python 3.11 (the "py" launcher from python.org, or python.exe on PATH).
setlocal
set "HERE=%~dp0"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%LOCALAPPDATA%\GradLab\venv"
set "PY=py -3.11"
%PY% -c "import sys" >nul 2>&1 || set "PY=python"
%PY% -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || (
  echo install.bat: Python 3.11 not found; these wheels are for 3.11. & exit /b 1)
echo install.bat: creating %TARGET%
%PY% -m venv "%TARGET%" || exit /b 1
"%TARGET%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%" gradlab || exit /b 1
copy /y "%HERE%gradlab.ico" "%TARGET%\gradlab.ico" >nul
powershell -NoProfile -ExecutionPolicy Bypass -Command ^
  "$shell = New-Object -ComObject WScript.Shell;" ^
  "foreach ($folder in @([Environment]::GetFolderPath('Programs'), [Environment]::GetFolderPath('Desktop'))) {" ^
  "  $link = $shell.CreateShortcut((Join-Path $folder 'GradLab.lnk'));" ^
  "  $link.TargetPath = '%TARGET%\Scripts\gradlab-gui.exe';" ^
  "  $link.IconLocation = '%TARGET%\gradlab.ico';" ^
  "  $link.Save() }" || exit /b 1
echo install.bat: done. Start GradLab from the Start menu or the desktop shortcut.
