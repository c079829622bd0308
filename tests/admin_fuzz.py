"""Hostile requests against every admin page: the generator behind tests/test_fuzz_admin.py (a
deterministic sample) and bench/admin_fuzz.py (all of them, with figures).

The pages come from the admin's own URL patterns, so a model or view added later is fuzzed too:
changelists with hostile values for their filters, search, ordering and paging; object views
with ids that cannot exist; add forms with impossible prefills; the portal's own admin views
(moderation, export, import, deliberation); methods other than GET, HEAD and POST; actions on
ids that are none.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.urls import URLPattern, URLResolver

HUGE = "99999999999999999999999"
HOSTILE_VALUES = [
    "",
    "abc",
    "\x00",
    "a\x00b",
    HUGE,
    "-" + HUGE,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "2019-02-30",
    "9999-12-31 23:59:60",
    "true",
    "[]",
    "1,2,abc",
    "%",
    "%ff",
    "\ud7ff",
    "\u202e",
    "🌳" * 50,
    "x" * 5000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "__proto__",
    "../../etc/passwd",
    "\r\nSet-Cookie: a=b",
]
# Raw, un-decodable or odd bytes in the URL itself (not url-encoded from a str value).
RAW_QUERY_STRINGS = ["q=%ff%fe", "q=%00", "%00=1", "o=%E2%82", "p=%2", "==&&=", "e=1&e=2"]
IMPOSSIBLE_IDS = ["abc", "%00", HUGE, "-1", "1.5", "%ff", "1%20OR%201%3D1", "_5B", "%2F"]
ODD_METHODS = ["trace", "options", "put", "patch", "delete"]
GENERIC_PARAMETERS = ["q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters"]


@dataclass(frozen=True)
class FuzzRequest:
    method: str
    url: str
    data: dict = field(default_factory=dict, hash=False, compare=False)
    query_string: str | None = None  # raw, sent as it is

    def send(self, client):
        extra = {"QUERY_STRING": self.query_string} if self.query_string is not None else {}
        return getattr(client, self.method)(self.url, self.data, **extra)

    def __str__(self) -> str:
        query = f"?{self.query_string}" if self.query_string else ""
        data = f" {self.data!r}" if self.data else ""
        return f"{self.method.upper()} {self.url}{query}{data}"[:160]


def admin_routes() -> Iterator[tuple[str, ModelAdmin | None]]:
    """(route, ModelAdmin) for every admin URL pattern; routes keep their <converters>."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), getattr(pattern.callback, "model_admin", None)

    yield from walk(admin.site.get_urls(), "/admin/")


def filter_parameters(model_admin: ModelAdmin) -> list[str]:
    """Query parameters the changelist's filters, date hierarchy and lookups read."""
    names = []
    for entry in model_admin.list_filter:
        field_name = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(field_name, str):
            names += [field_name, f"{field_name}__exact", f"{field_name}__id__exact"]
            names += [f"{field_name}__isnull", f"{field_name}__gte", f"{field_name}__in"]
        filter_class = entry[1] if isinstance(entry, tuple) else entry
        if isinstance(filter_class, type) and getattr(filter_class, "parameter_name", None):
            names.append(filter_class.parameter_name)
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    names += [
        f.name
        for f in model_admin.model._meta.concrete_fields
        # Full-text search exists on PostgreSQL only; on SQLite (make run) the lookup is a syntax
        # error, which the outage middleware answers 503 like any OperationalError.
        if connection.vendor == "postgresql" or not isinstance(f, SearchVectorField)
    ]
    return names + GENERIC_PARAMETERS


def relation_names(model: type[models.Model]) -> list[str]:
    return [
        f.name for f in model._meta.get_fields() if f.concrete and (f.many_to_one or f.many_to_many)
    ]


def some_pk(model: type[models.Model]) -> str | None:
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return None if pk is None else quote(str(pk))


def requests_for_route(
    route: str, model_admin: ModelAdmin | None, rng: random.Random, *, exhaustive: bool
) -> Iterator[FuzzRequest]:
    """The hostile requests for one admin URL pattern: every combination, or `count` of each
    list drawn from the seeded generator."""

    def pick(items, count):
        return list(items) if exhaustive else rng.sample(list(items), min(count, len(items)))

    if route.endswith("$"):  # simple_history's regex route: <id>/history/<version id>/
        base = route.removesuffix("^([^/]+)/history/([^/]+)/$")
        for version in pick(IMPOSSIBLE_IDS, 1):
            yield FuzzRequest("get", f"{base}1/history/{version}/")
            yield FuzzRequest("get", f"{base}{version}/history/1/")
        return
    if "(?P<app_label>" in route:  # app index
        yield FuzzRequest("get", "/admin/events/")
        yield FuzzRequest("get", "/admin/nicht-da/")
        return
    if route.endswith("(?P<url>.*)$") or route == "/admin/(?P<url>.*)$":
        return
    if model_admin is None and "<" in route and not route.startswith("/admin/r/"):
        # The portal's own views (moderation, export) under a model's URLs.
        app_label, model_name = route.split("/")[2:4]
        yield from _custom_view_requests(route, apps.get_model(app_label, model_name), rng, pick)
        return
    if model_admin is None:
        yield from _site_view_requests(route, rng, pick)
        return
    model = model_admin.model
    if route.endswith("<path:object_id>/"):
        return  # only redirects to .../change/
    if "<path:object_id>" in route:
        pk = some_pk(model)
        real = [pk] if pk and (exhaustive or route.endswith("/change/")) else []
        for object_id in pick(IMPOSSIBLE_IDS, 1) + real:
            yield FuzzRequest("get", route.replace("<path:object_id>", object_id))
        if pk and route.endswith("/change/"):
            name = rng.choice(filter_parameters(model_admin))
            yield FuzzRequest(
                "post", route.replace("<path:object_id>", pk), {name: rng.choice(HOSTILE_VALUES)}
            )
        return
    if route.endswith("/add/"):
        for name in pick(relation_names(model), 1):
            for value in pick(HOSTILE_VALUES, 1):
                yield FuzzRequest("get", route, {name: value})
        return
    # A changelist.
    parameters = filter_parameters(model_admin)
    for name in pick(parameters, 2):
        for value in pick(HOSTILE_VALUES, 1):
            yield FuzzRequest("get", route, {name: value})
    for query_string in pick(RAW_QUERY_STRINGS, 1):
        yield FuzzRequest("get", route, query_string=query_string)
    for method in pick(ODD_METHODS, 1):
        yield FuzzRequest(method, route)
    actions = ["delete_selected", "nicht-da", "", "\x00", *list(model_admin.actions or [])]
    yield FuzzRequest(
        "post",
        route,
        {"action": rng.choice(actions), "_selected_action": pick(IMPOSSIBLE_IDS, 2), "index": "x"},
    )
    yield FuzzRequest("post", route, {"action": rng.choice(actions), "select_across": "abc"})


def _site_view_requests(route: str, rng: random.Random, pick) -> Iterator[FuzzRequest]:
    if route.startswith("/admin/r/"):
        for content_type, object_id in [("abc", "1"), ("%00", "1"), ("1", "abc"), (HUGE, HUGE)]:
            yield FuzzRequest("get", f"/admin/r/{content_type}/{object_id}/")
    elif route == "/admin/autocomplete/":
        for value in pick(HOSTILE_VALUES, 2):
            yield FuzzRequest(
                "get",
                route,
                {
                    "app_label": "goals",
                    "model_name": "keymessage",
                    "field_name": "goal",
                    "term": value,
                },
            )
        yield FuzzRequest("get", route, {"app_label": "\x00", "model_name": "x", "page": HUGE})
    elif "<" not in route and not route.endswith(("logout/", "login/")):
        yield FuzzRequest(
            "get", route, {rng.choice(GENERIC_PARAMETERS): rng.choice(HOSTILE_VALUES)}
        )
        yield FuzzRequest(rng.choice(ODD_METHODS), route)


def _custom_view_requests(route, model, rng: random.Random, pick) -> Iterator[FuzzRequest]:
    pk = some_pk(model) or "1"
    for value in pick(IMPOSSIBLE_IDS[:1] + ["nicht-da", "x" * 300], 1):
        url = route.replace("<int:pk>", pk).replace("<slug:action>", value)
        url = url.replace("<slug:fmt>", value)
        yield FuzzRequest("get", url)
        yield FuzzRequest("post", url, {"reason": rng.choice(HOSTILE_VALUES)})
    url = (
        route.replace("<int:pk>", HUGE)
        .replace("<slug:action>", "hide")
        .replace("<slug:fmt>", "csv")
    )
    yield FuzzRequest("post", url)


def admin_requests(*, seed: str, exhaustive: bool = False) -> list[FuzzRequest]:
    """The fuzz: a sample drawn from a generator seeded with `seed`, or every combination."""
    rng = random.Random(seed)
    return [
        request
        for route, model_admin in admin_routes()
        for request in requests_for_route(route, model_admin, rng, exhaustive=exhaustive)
    ]
