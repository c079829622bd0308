from pathlib import Path

import pytest

from tests.basemap.tiny_pmtiles import write_tiny_pmtiles


@pytest.fixture
def tiny_tiles(tmp_path, settings) -> Path:
    """The city's tile file, configured: here a tiny one with a single tile."""
    path = write_tiny_pmtiles(tmp_path / "hagen.pmtiles")
    settings.BASEMAP_PMTILES = str(path)
    return path
