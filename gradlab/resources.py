"""Where GradLab's data files (lessons, icons, fonts, translations) live."""

import sys
from pathlib import Path

# A source checkout or editable install reads the repo's resources/; a wheel installs the same
# files under <prefix>/share/gradlab (see [tool.setuptools.data-files] in pyproject.toml).
_CANDIDATES = (
    Path(__file__).resolve().parent.parent / "resources",
    Path(sys.prefix) / "share" / "gradlab",
)
_ROOT = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


def resource_path(*parts: str) -> Path:
    """Path of a file under the resources folder."""
    return _ROOT.joinpath(*parts)
