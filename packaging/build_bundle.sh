#!/usr/bin/env bash
# Freeze GradLab into dist/GradLab/ with packaging/gradlab.spec, then pack it as
# dist/GradLab-<version>-<os>-<machine>.tar.gz (Linux; the CI workflow zips it elsewhere).
#
#   packaging/build_bundle.sh [PYTHON]     # PYTHON has PyInstaller and GradLab's dependencies
#
# `make bundle` runs it with .venv/bin/python. PYTHONPATH points at this checkout so that the
# gradlab frozen is this one, whatever else that Python has installed.
set -euo pipefail
python=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' gradlab/__init__.py)
start=$SECONDS
rm -rf dist/GradLab
# torch warns about its deprecated modules while PyInstaller lists them all: not our concern
PYTHONWARNINGS=ignore::DeprecationWarning PYTHONPATH=$root "$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/gradlab.spec
built=$SECONDS
echo "build_bundle: froze dist/GradLab in $((built - start)) s ($(du -sh dist/GradLab | cut -f1))"
if [[ $(uname -s) == Linux ]]; then
  archive=dist/GradLab-$version-linux-$(uname -m).tar.gz
  tar -C dist -czf "$archive.part" GradLab
  mv "$archive.part" "$archive"
  echo "build_bundle: packed $archive in $((SECONDS - built)) s ($(du -sh "$archive" | cut -f1))"
fi
echo "build_bundle: done in $((SECONDS - start)) s"
