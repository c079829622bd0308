"""The DCAT-AP.de catalogue of the open data, as JSON-LD with an inline context, so that a
harvester (the city's open-data portal, GovData) reads it without fetching anything else."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from opendata.datasets import DATASETS, Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Controlled vocabularies that DCAT-AP(.de) asks for.
LANGUAGE = "http://publications.europa.eu/resource/authority/language/DEU"
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
# Hagen's official municipality key (Amtlicher Gemeindeschlüssel 05914000).
SPATIAL = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05914000"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocodingLevel/municipality"
PUBLISHER_NAME = "Stadt Hagen"
PUBLISHER_URL = "https://www.hagen.de/"


def CATALOG_DESCRIPTION() -> str:  # noqa: N802 (reads like the constant it stands for)
    return _(
        "Open data of the participation portal for the Integrated Urban Development Concept "
        "„HAGENplant 2035“ of the City of Hagen."
    )


FORMATS = {
    "json": ("application/json", "JSON"),
    "csv": ("text/csv", "CSV"),
}


def _uri(value: str) -> dict:
    return {"@id": value}


def _distribution(dataset: Dataset, extension: str, absolute: Callable[[str], str]) -> dict:
    media_type, file_type = FORMATS[extension]
    url = absolute(reverse("opendata:download", args=[dataset.slug, extension]))
    license_ = settings.OPEN_DATA_LICENSE
    return {
        "@id": f"{url}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": f"{dataset.title} ({file_type})",
        "dcat:accessURL": _uri(url),
        "dcat:downloadURL": _uri(url),
        "dcat:mediaType": _uri(f"https://www.iana.org/assignments/media-types/{media_type}"),
        "dct:format": _uri(
            f"http://publications.europa.eu/resource/authority/file-type/{file_type}"
        ),
        "dct:license": _uri(license_["uri"]),
        "dcatde:licenseAttributionByText": license_["attribution"],
    }


def _dataset(dataset: Dataset, absolute: Callable[[str], str], publisher: dict) -> dict:
    page = absolute(reverse("opendata:index"))
    return {
        "@id": f"{page}#{dataset.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{page}#{dataset.slug}",
        "dct:title": {"@value": str(dataset.title), "@language": "de"},
        "dct:description": {"@value": str(dataset.description), "@language": "de"},
        "dct:publisher": publisher,
        "dct:license": _uri(settings.OPEN_DATA_LICENSE["uri"]),
        "dct:language": _uri(LANGUAGE),
        "dct:spatial": _uri(SPATIAL),
        "dcatde:politicalGeocodingLevelURI": _uri(GEOCODING_LEVEL),
        "dcat:theme": _uri(THEME),
        "dcat:keyword": [{"@value": word, "@language": "de"} for word in dataset.keywords],
        "dcat:landingPage": _uri(page),
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": "Stadt Hagen, Fachbereich Stadtentwicklung, -planung und Bauordnung",
            "vcard:hasURL": _uri(absolute(reverse("legal-kontakt"))),
        },
        "dcat:distribution": [_distribution(dataset, extension, absolute) for extension in FORMATS],
    }


def catalog(absolute: Callable[[str], str]) -> dict:
    """The catalogue; `absolute` turns a path into an absolute URL of this site."""
    page = absolute(reverse("opendata:index"))
    publisher = {"@id": PUBLISHER_URL, "@type": "foaf:Organization", "foaf:name": PUBLISHER_NAME}
    return {
        "@context": CONTEXT,
        "@id": f"{page}#katalog",
        "@type": "dcat:Catalog",
        "dct:title": {"@value": _("HAGENplant 2035 – Open data"), "@language": "de"},
        "dct:description": {"@value": CATALOG_DESCRIPTION(), "@language": "de"},
        "dct:publisher": publisher,
        "dct:language": _uri(LANGUAGE),
        "dct:license": _uri(settings.OPEN_DATA_LICENSE["uri"]),
        "foaf:homepage": _uri(absolute(reverse("home"))),
        "dcat:dataset": [_dataset(dataset, absolute, publisher) for dataset in DATASETS],
    }
