"""Fixtures for the parser tests: sample paths and a LinkedIn export zip built on the fly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def linkedin_zip(tmp_path):
    """Build ``Complete_LinkedInDataExport_….zip`` from tests/samples/linkedin/ (or given members)."""

    def build(members: dict[str, bytes] | None = None, name: str = "Complete_LinkedInDataExport_07-08-2026.zip"):
        if members is None:
            folder = "Complete_LinkedInDataExport_07-08-2026/"
            members = {folder + p.name: p.read_bytes() for p in sorted((SAMPLES / "linkedin").iterdir())}
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path

    return build
