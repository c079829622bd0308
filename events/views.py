from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.calendar import build_calendar
from events.forms import EventFilterForm
from events.models import District, Event, Milestone, split_upcoming_and_past
from events.structured_data import event_json_ld
from events.templatetags.events_tags import listing_key
from goals.models import Goal
from hagen_isek import site_content
from hagen_isek.site_url import absolute_url

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _group_label(event: Event) -> str:
    if event.starts_at is None:
        return event.tentative_period
    return date_format(timezone.localtime(event.starts_at), "F Y")


def group_by_month(events) -> list[tuple[str, list[Event]]]:
    """Consecutive events of the same month (or the same tentative period) under one heading."""
    return [(label, list(items)) for label, items in groupby(events, key=_group_label)]


def _webcal_url(request: HttpRequest, form: EventFilterForm) -> str:
    """The feed as a webcal:// address, which calendar apps open as a subscription."""
    url = absolute_url(reverse("events:feed"))
    query = form.active_query if form.is_bound else ""
    return url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1) + (
        f"?{query}" if query else ""
    )


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    # The listed events as this worker keeps them for the site version and these filters
    # (hagen_isek/site_content.py); upcoming or past is decided by the clock now.
    form.is_valid()  # invalid values are ignored (EventFilterForm)
    filters = form.active_query if form.is_bound else ""
    events = site_content.kept(
        ("calendar", filters),
        lambda: list(form.filter(Event.objects.published().for_listing()).in_listing_order()),
    )
    upcoming, past = split_upcoming_and_past(events)
    upcoming_groups, past_groups = group_by_month(upcoming), group_by_month(past)
    context = {
        "form": form,
        "upcoming_groups": upcoming_groups,
        "past_groups": past_groups,
        # The groups' headings follow from the events' dates, which the keys hold.
        "upcoming_key": listing_key(*(events for _label, events in upcoming_groups)),
        "past_key": listing_key(*(events for _label, events in past_groups)),
        "feed_query": form.active_query if form.is_bound else "",
        "webcal_url": _webcal_url(request, form),
    }
    return render(request, "events/event_list.html", context)


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.published()
        .select_related("district")
        .prefetch_related("documents", "council_papers"),
        slug=slug,
    )
    goals = Goal.objects.published().filter(events=event)
    context = {"event": event, "goals": goals, "event_json_ld": event_json_ld(event, request)}
    return render(request, "events/event_detail.html", context)


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if event.is_tentative:
        raise Http404("Tentative events have no calendar entry yet.")
    response = HttpResponse(
        build_calendar([event], request, name=event.title), content_type=CALENDAR_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def event_feed(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    events = form.filter(Event.objects.published().dated()).order_by("starts_at")
    body = build_calendar(events, request, name=_("HAGENplant 2035 – Dates"))
    return HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)


def timeline(request: HttpRequest) -> HttpResponse:
    milestones = Milestone.objects.select_related("event").prefetch_related("council_papers")
    return render(request, "events/timeline.html", {"milestones": milestones})


def district_list(request: HttpRequest) -> HttpResponse:
    districts = District.objects.with_event_count()
    return render(request, "events/district_list.html", {"districts": districts})


def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    district = get_object_or_404(District.objects.with_followed_by(request.user), slug=slug)
    events = Event.objects.published().in_district(district).for_listing()
    context = {
        "district": district,
        "upcoming_events": events.upcoming(),
        "past_events": events.past(),
    }
    return render(request, "events/district_detail.html", context)


def district_dossier(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable dossier for the district council (Bezirksvertretung)."""
    from participation.dossier import district_dossier as dossier_of

    district = get_object_or_404(District, slug=slug)
    return render(request, "events/district_dossier.html", dossier_of(district))
