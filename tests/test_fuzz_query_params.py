"""Hypothesis fuzzing of the query string of every public page: never a server error."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PUBLIC_PAGES = [
    "/",
    "/ueber-das-isek/",
    "/ziele/",
    "/termine/",
    "/beteiligung/",
    "/impressum/",
    "/netiquette/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]
KNOWN_PARAMETERS = ["page", "q", "next", "district", "bezirk", "sort", "format", "round", "typ"]
values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", "0", "-1", "999999", "https://evil.example/", "//evil.example", "%00"]),
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url=st.sampled_from(PUBLIC_PAGES),
    params=st.dictionaries(
        st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=1, max_size=20)),
        values,
        max_size=4,
    ),
)
def test_query_parameters_never_cause_a_server_error(seeded, url, params):
    client = Client(raise_request_exception=False)
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)
    if response.status_code in (301, 302):
        assert not response["Location"].startswith(("http", "//")), response["Location"]


# The parameters each page really reads, with their valid values mixed into the garbage.
FILTERED_PAGES = {
    "/massnahmen/": {"ziel": ["hagener-kieze"], "status": ["proposed", "done", "in_progress"]},
    "/termine/": {
        "district": ["haspe", "mitte"],
        "kind": ["district_workshop"],
        "audience": ["public"],
        "goal": ["hagener-kieze"],
    },
    "/termine/feed.ics": {
        "district": ["haspe"],
        "kind": ["district_workshop"],
        "audience": ["public"],
        "goal": ["hagener-kieze"],
    },
    "/ziele/hagener-kieze/": {"seite": ["1", "2", "0", "-1", "99999"], "sortierung": ["neu"]},
}
garbage = st.one_of(
    values,
    st.sampled_from(["\x00", "a\x00b", "\u202e", "🌳", "<script>", "' OR 1=1 --", "%", "[]"]),
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_filters_accept_any_value_and_answer_normally(seeded, data):
    url = data.draw(st.sampled_from(sorted(FILTERED_PAGES)))
    known = FILTERED_PAGES[url]
    params = {
        name: data.draw(st.one_of(st.sampled_from(valid), garbage), label=name)
        for name, valid in known.items()
        if data.draw(st.booleans(), label=f"use {name}")
    }
    response = Client(raise_request_exception=False).get(url, params)
    # Unknown or malformed values are ignored: the page (or feed) comes, never an error page.
    assert response.status_code == 200, (url, params, response.status_code)
    if url.endswith(".ics"):
        assert response["Content-Type"].startswith("text/calendar")
        assert response.content.startswith(b"BEGIN:VCALENDAR")
    else:
        html = response.content.decode()
        for value in params.values():
            if "<" in value:
                assert value not in html  # echoed values are escaped
