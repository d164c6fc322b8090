"""Where GradLab's data files (lessons, icons, fonts, translations) live."""

import sys
from pathlib import Path

# A source checkout or editable install reads the repo's resources/; a wheel installs the same
# files under <prefix>/share/gradlab (see [tool.setuptools.data-files] in pyproject.toml); the
# frozen app (packaging/gradlab.spec) carries them in its bundle folder.
_FROZEN = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
_CANDIDATES = (
    *([Path(_FROZEN) / "resources"] if _FROZEN else []),
    Path(__file__).resolve().parent.parent / "resources",
    Path(sys.prefix) / "share" / "gradlab",
)
_ROOT = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


def resource_path(*parts: str) -> Path:
    """Path of a file under the resources folder."""
    return _ROOT.joinpath(*parts)
