from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from basemap.ranges import RangeNotSatisfiable, requested_range
from basemap.style import street_map_style
from basemap.tiles import TileFile, tile_file

CONTENT_TYPE = "application/vnd.pmtiles"
CHUNK = 64 * 1024
# Browsers may keep parts of the file for an hour. When the city replaces it, the map library
# notices the new ETag on the next part it fetches and reloads what it had (pmtiles FetchSource).
CACHE_CONTROL = "public, max-age=3600"


def _chunks(archive: TileFile, start: int, length: int):
    with archive.path.open("rb") as file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def _if_range_matches(request: HttpRequest, archive: TileFile) -> bool:
    """A Range request with If-Range gets the part only while the file is the one the client
    has (same strong ETag or date); otherwise it gets the whole, current file."""
    condition = request.headers.get("If-Range")
    return condition is None or condition in (archive.etag, archive.last_modified)


def _described(response: HttpResponse, archive: TileFile) -> HttpResponse:
    response["ETag"] = archive.etag
    response["Last-Modified"] = archive.last_modified
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
def tiles(request: HttpRequest) -> HttpResponse:
    """The PMTiles file, with byte ranges: the map reads the file's directory and each tile
    it needs as one small part (HTTP 206) and never downloads the whole file."""
    archive = tile_file()
    if archive is None:
        raise Http404
    not_modified = get_conditional_response(
        request, etag=archive.etag, last_modified=int(archive.modified_at)
    )
    if not_modified is not None:  # 304 or 412
        return _described(not_modified, archive)
    byte_range = None
    if "Range" in request.headers and _if_range_matches(request, archive):
        try:
            byte_range = requested_range(request.headers["Range"], archive.size)
        except RangeNotSatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{archive.size}"
            return _described(response, archive)
    if byte_range is None:
        response = FileResponse(archive.path.open("rb"), content_type=CONTENT_TYPE)
    else:
        body = (
            []
            if request.method == "HEAD"
            else _chunks(archive, byte_range.start, byte_range.length)
        )
        response = StreamingHttpResponse(body, status=206, content_type=CONTENT_TYPE)
        response["Content-Range"] = byte_range.content_range(archive.size)
        response["Content-Length"] = str(byte_range.length)
    return _described(response, archive)


@require_safe
def style(request: HttpRequest) -> HttpResponse:
    """The MapLibre style of the street map; 404 while no tile file is configured."""
    if tile_file() is None:
        raise Http404
    response = JsonResponse(street_map_style(reverse("basemap:tiles")))
    response["Cache-Control"] = CACHE_CONTROL
    return response
