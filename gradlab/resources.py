"""Where GradLab's data files (lessons, icons, fonts, translations) live."""

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under the top-level resources/ folder."""
    return _ROOT.joinpath(*parts)
