from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from search import queries


def results(request: HttpRequest) -> HttpResponse:
    found = queries.search(request.GET)
    response = render(request, "search/results.html", {"results": found, "kinds": queries.KINDS})
    # Every query string is a page of its own: storing them in the page cache would let any
    # visitor fill it with pages nobody asks for again.
    response["Cache-Control"] = "private"
    return response
