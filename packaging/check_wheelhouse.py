"""Check that a wheelhouse holds everything GradLab needs on each target platform.

    python packaging/check_wheelhouse.py dist/wheelhouse

For Linux x86_64 and Windows amd64 (CPython 3.11), starting from gradlab's own wheel, every
requirement whose environment marker holds on that platform must have a wheel in the folder
that installs there, and the walk continues through that wheel's own requirements. pip cannot
do this check for another platform: it evaluates markers for the machine it runs on.
Exit status 1, with the missing requirements listed, if anything is missing.
"""

from __future__ import annotations

import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename

PLATFORMS = {
    "linux-x86_64": {
        "environment": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                        "platform_machine": "x86_64"},
        "platforms": ("linux_x86_64", "manylinux"),
    },
    "windows-amd64": {
        "environment": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                        "platform_machine": "AMD64"},
        "platforms": ("win_amd64",),
    },
}  # fmt: skip
PYTHON = {
    "python_version": "3.11",
    "python_full_version": "3.11.7",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}


def _installs_on(tag: Tag, platforms: tuple[str, ...]) -> bool:
    python_ok = tag.interpreter in ("py3", "cp311", "py311") or (
        tag.abi == "abi3" and tag.interpreter.startswith("cp3")
    )
    platform_ok = tag.platform == "any" or (
        tag.platform.startswith(platforms) and tag.platform.endswith(("x86_64", "amd64"))
    )
    return python_ok and platform_ok and tag.abi in ("none", "abi3", "cp311")


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]


def check(folder: Path) -> list[str]:
    """Problems found (empty when the wheelhouse is complete for every platform)."""
    wheels = [(path, *parse_wheel_filename(path.name)) for path in folder.glob("*.whl")]
    problems = []
    for label, target in PLATFORMS.items():
        environment = {**default_environment(), **PYTHON, **target["environment"], "extra": ""}
        usable = {}
        for path, name, version, _build, tags in wheels:
            if any(_installs_on(tag, target["platforms"]) for tag in tags):
                usable[canonicalize_name(name)] = (path, version)
        todo, seen = [Requirement("gradlab")], set()
        while todo:
            requirement = todo.pop()
            key = canonicalize_name(requirement.name)
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            found = usable.get(key)
            if found is None or not requirement.specifier.contains(found[1], prereleases=True):
                problems.append(f"{label}: nothing installs {requirement}")
                continue
            if key not in seen:
                seen.add(key)
                todo += _requirements(found[0])
        print(
            f"{label}: {len(seen)} wheels needed, all present"
            if not any(p.startswith(label) for p in problems)
            else f"{label}: incomplete"
        )
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/wheelhouse"))
    print("\n".join(found))
    sys.exit(1 if found else 0)
