#!/usr/bin/env bash
# Fill dist/wheelhouse/ with every wheel GradLab needs on Linux x86_64 and Windows amd64 for
# Python 3.11 (CPU torch), GradLab's own wheel, an icon and the install scripts, so that a lab
# with Python but no network installs with `install.sh` / `install.bat` from that folder alone.
#
#   packaging/build_wheelhouse.sh [PYTHON]    # `make wheelhouse` runs it with .venv/bin/python
#
# Versions follow constraints.txt. The Linux torch wheel is the CPU build (pip's find-links on
# this machine hold it; elsewhere add --extra-index-url https://download.pytorch.org/whl/cpu);
# PyPI's Windows torch wheels are CPU builds already.
set -euo pipefail
python=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."
out=dist/wheelhouse
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS

"$python" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$out" .
gradlab_wheel=$(ls "$out"/gradlab-*.whl)

download() {  # download PLATFORM-OPTIONS...: GradLab's dependencies for one platform
  "$python" -m pip download --quiet --dest "$out" --constraint constraints.txt \
    --only-binary=:all: --python-version 3.11 --implementation cp --abi cp311 --abi abi3 \
    --abi none "$@" "$gradlab_wheel"
}
# pip does not widen a manylinux_2_X tag to the older ones, so name them; 2_34 is the newest:
# PySide6 6.11 needs glibc >= 2.34 (Debian 12, Ubuntu 22.04 and later)
linux=()
for tag in manylinux_2_34 manylinux_2_28 manylinux_2_27 manylinux_2_17 manylinux2014; do
  linux+=(--platform "${tag}_x86_64")
done
download "${linux[@]}"
# pip evaluates environment markers for the machine it runs on, not for --platform: resolving
# for Windows here would pull in torch's Linux-only CUDA packages. So fetch the Windows build of
# each package the Linux resolution found, by name and version (pure-Python wheels are shared),
# then check the requirements of every wheel for each platform with its own markers.
pins=$("$python" - "$out" <<'PY'
import sys
from pathlib import Path
from packaging.utils import parse_wheel_filename
for path in sorted(Path(sys.argv[1]).glob("*.whl")):
    name, version, _, _ = parse_wheel_filename(path.name)
    if name != "gradlab":
        print(f"{name}=={version.public}")
PY
)
# shellcheck disable=SC2086
"$python" -m pip download --quiet --dest "$out" --no-deps --only-binary=:all: \
  --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none \
  --platform win_amd64 $pins
"$python" packaging/check_wheelhouse.py "$out"

cp packaging/wheelhouse/install.sh packaging/wheelhouse/install.bat packaging/wheelhouse/README.txt "$out"/
chmod +x "$out/install.sh"
"$python" -c "import sys; sys.path.insert(0, 'packaging'); from pathlib import Path; \
from icons import ico_bytes; Path(sys.argv[1]).write_bytes(ico_bytes())" "$out/gradlab.ico"

echo "build_wheelhouse: $(ls "$out"/*.whl | wc -l) wheels in $out ($(du -sh "$out" | cut -f1)," \
  "$((SECONDS - start)) s)"
ls "$out"
