"""The city's street-map tiles: one PMTiles file (BASEMAP_PMTILES), served by the portal itself."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.http import http_date


@dataclass(frozen=True)
class TileFile:
    path: Path
    size: int
    modified_at: float

    @property
    def etag(self) -> str:
        # Strong, so that If-Range and the map library's check for a replaced file can use it.
        return f'"{int(self.modified_at * 1_000_000):x}-{self.size:x}"'

    @property
    def last_modified(self) -> str:
        return http_date(self.modified_at)


def tile_file() -> TileFile | None:
    """The configured file as it is now, or None when none is configured or it is missing."""
    if not settings.BASEMAP_PMTILES:
        return None
    path = Path(settings.BASEMAP_PMTILES)
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return TileFile(path=path, size=stat.st_size, modified_at=stat.st_mtime)
