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
