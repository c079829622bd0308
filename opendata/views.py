"""The open-data page, the DCAT catalogue and the downloads (JSON and CSV, streamed)."""

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from opendata.catalog import FORMATS, catalog
from opendata.datasets import BY_SLUG, DATASETS, Dataset, Row
from participation.export import safe_cell

LIST_SEPARATOR = " | "


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: object) -> object:
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    return "" if value is None else safe_cell(value)


def csv_chunks(dataset: Dataset, rows: Iterator[Row]) -> Iterator[str]:
    """RFC 4180 (comma, CRLF), UTF-8; lists joined with " | "; text that a spreadsheet would
    read as a formula gets the export's guard (participation.export.safe_cell)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(dataset.columns)
    for row in rows:
        yield writer.writerow([_csv_value(row[column]) for column in dataset.columns])


def json_chunks(dataset: Dataset, rows: Iterator[Row], request: HttpRequest) -> Iterator[str]:
    """One object: what the data is, its licence and source, then the rows under "daten"."""
    license_ = settings.OPEN_DATA_LICENSE
    head = {
        "titel": str(dataset.title),
        "beschreibung": str(dataset.description),
        "herausgeber": license_["attribution"],
        "lizenz": {"name": license_["title"], "kennung": license_["code"], "url": license_["url"]},
        "quelle": request.build_absolute_uri(request.path),
        "stand": timezone.localtime().isoformat(timespec="seconds"),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "daten": ['
    for index, row in enumerate(rows):
        yield (
            ("," if index else "")
            + "\n"
            + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
        )
    yield "\n]}\n"


def index(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": DATASETS,
        "formats": list(FORMATS),
        "license": settings.OPEN_DATA_LICENSE,
    }
    return render(request, "opendata/index.html", context)


def catalog_view(request: HttpRequest) -> HttpResponse:
    body = json.dumps(catalog(request.build_absolute_uri), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


def download(request: HttpRequest, slug: str, extension: str) -> StreamingHttpResponse:
    dataset = BY_SLUG.get(slug)
    if dataset is None or extension not in FORMATS:
        raise Http404("No such dataset.")
    rows = dataset.rows(request.build_absolute_uri)
    if extension == "csv":
        chunks = csv_chunks(dataset, rows)
    else:
        chunks = json_chunks(dataset, rows, request)
    media_type, _label = FORMATS[extension]
    response = StreamingHttpResponse(chunks, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="hagenplant-2035-{slug}.{extension}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
