"""HTTP byte ranges (RFC 9110, section 14): which part of a file a Range header asks for."""

from dataclasses import dataclass


class RangeNotSatisfiable(Exception):
    """The Range header is valid but asks only for bytes beyond the end of the file (416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def requested_range(header: str, size: int) -> ByteRange | None:
    """The one byte range `header` asks for, or None to answer with the whole file.

    A header the server does not understand (another unit, bad syntax, a last position before
    the first) must be ignored, and so may a request for several ranges: the map library only
    ever asks for one. Raises RangeNotSatisfiable for a range that starts after the last byte.
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if not first:  # a suffix: the last N bytes
        if not last.isdigit() or int(last) == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(size - int(last), 0), size - 1)
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)
