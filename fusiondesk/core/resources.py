"""Finding the files FusionDesk ships beside its code: default policy, icons, stylesheet."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import fusiondesk

RESOURCES_ENV = "FUSIONDESK_RESOURCES"


def resource_dirs() -> list[Path]:
    """Where resources are looked for, first match wins."""
    dirs = []
    override = os.environ.get(RESOURCES_ENV)
    if override:
        dirs.append(Path(override))
    dirs.append(Path(fusiondesk.__file__).resolve().parent.parent / "resources")
    # Only a PyInstaller build has _MEIPASS; without it Path("") would mean the
    # current directory, which must never be searched by accident.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "resources")
    return dirs


def resource_path(name: str) -> Path:
    """The path of a shipped resource file; FileNotFoundError names every place tried."""
    # An override directory may hold only some resources, so fall through to
    # the shipped ones for the rest.
    tried = [folder / name for folder in resource_dirs()]
    for candidate in tried:
        if candidate.is_file():
            return candidate
    places = ", ".join(str(p) for p in tried)
    raise FileNotFoundError(f"FusionDesk resource '{name}' not found; looked in: {places}")
