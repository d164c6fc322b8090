#!/bin/sh
# Install GradLab from this folder only (no network): a virtual environment, then the menu
# entry and desktop launcher for the user who runs it.
#
#   ./install.sh [FOLDER]    # the environment's folder; default ~/.local/share/gradlab/venv
#
# Needs Python 3.11 with its venv module (Debian/Ubuntu: apt-get install python3.11-venv).
# PYTHON=/path/to/python3.11 ./install.sh picks another interpreter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/gradlab/venv}
python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$candidate
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "install.sh: Python 3.11 not found (these wheels are for 3.11); set PYTHON=..." >&2
  exit 1
fi
echo "install.sh: creating $target with $("$python" --version)"
"$python" -m venv "$target"
"$target/bin/python" -m pip install --no-index --find-links "$here" gradlab
"$target/bin/gradlab" --install-desktop
echo "install.sh: done. Start GradLab from the application menu, or run $target/bin/gradlab-gui"
