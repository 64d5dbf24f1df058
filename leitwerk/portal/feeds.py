"""Calendar (iCalendar) and news (Atom) of a municipality's portal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from icalendar import Calendar, Event

from leitwerk.core.text import xml_safe
from leitwerk.municipalities.models import Municipality

from . import selectors
from .licences import licence
from .selectors import CalendarEvent


def build_calendar(
    *, municipality: Municipality, events: list[CalendarEvent], base_url: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Leitwerk//Portal//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{municipality.name}: Termine der Vorhaben")
    calendar.add("x-wr-timezone", "Europe/Berlin")
    # A stable DTSTAMP per event keeps the file byte-identical between requests, so ETags hold.
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.title)
        if item.starts_at is not None:
            event.add("dtstart", item.starts_at.astimezone(dt.UTC))
            if item.ends_at is not None:  # no invented end: without one, clients show the start
                event.add("dtend", item.ends_at.astimezone(dt.UTC))
            event.add("transp", "OPAQUE")
        else:
            event.add("dtstart", item.date)
            event.add("dtend", item.date + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        event.add("dtstamp", dt.datetime.combine(item.date, dt.time(0, 0), tzinfo=dt.UTC))
        event.add("categories", [item.kind_label])
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url_path:
            event.add("url", base_url + item.url_path)
        calendar.add_component(event)
    return calendar.to_ical()


class NewsFeed(Feed):
    """Atom feed of milestones reached in public Vorhaben."""

    feed_type = Atom1Feed
    language = "de"

    def get_object(self, request: HttpRequest, municipality_slug: str) -> Municipality:
        return selectors.municipality_by_slug(slug=municipality_slug)

    def title(self, obj: Municipality) -> str:
        return xml_safe(f"{obj.name}: Neuigkeiten aus den Vorhaben")

    def subtitle(self, obj: Municipality) -> str:
        return "Erreichte Meilensteine der öffentlichen Vorhaben."

    def link(self, obj: Municipality) -> str:
        return reverse("portal:news", kwargs={"municipality_slug": obj.slug})

    def feed_url(self, obj: Municipality) -> str:
        return reverse("portal:news_feed", kwargs={"municipality_slug": obj.slug})

    def author_name(self, obj: Municipality) -> str:
        return xml_safe(obj.name)

    def feed_copyright(self, obj: Municipality) -> str:
        """Atom `<rights>`: the licence the municipality chose for its open data."""
        settings = selectors.open_data_settings(municipality=obj)
        chosen = licence(settings.licence)
        credit = f", Namensnennung: {settings.attribution or obj.name}"
        return xml_safe(f"{chosen.name} ({chosen.url}){credit if chosen.needs_attribution else ''}")

    def items(self, obj: Municipality) -> list[selectors.NewsItem]:
        today = timezone.localdate()
        initiatives = selectors.public_initiatives(municipality=obj, today=today)
        return selectors.news_items(municipality=obj, initiatives=initiatives, today=today)

    def item_title(self, item: selectors.NewsItem) -> str:
        return xml_safe(item.title)

    def item_description(self, item: selectors.NewsItem) -> str:
        # Atom's <summary type="html"> is read as HTML: escape the plain text once more, so a
        # feed reader shows "<script>" as text instead of running it (catalogue C1).
        return escape(xml_safe(item.text))

    def item_link(self, item: selectors.NewsItem) -> str:
        return (
            reverse(
                "portal:initiative",
                kwargs={
                    "municipality_slug": item.municipality_slug,
                    "initiative_id": item.initiative_id,
                },
            )
            + "#meilensteine"
        )

    def item_guid(self, item: selectors.NewsItem) -> str:
        return f"tag:leitwerk,{item.date:%Y-%m-%d}:{item.municipality_slug}/{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: selectors.NewsItem) -> dt.datetime:
        return dt.datetime.combine(item.date, dt.time(12, 0), tzinfo=dt.UTC)

    def item_updateddate(self, item: selectors.NewsItem) -> dt.datetime:
        return self.item_pubdate(item)


@dataclass(frozen=True)
class _OneInitiative:
    municipality: Municipality
    initiative: selectors.PublicInitiative


class InitiativeFeed(NewsFeed):
    """Atom feed of one public Vorhaben: its milestones reached, as released. (The feed object
    is shared by all requests, so everything per request travels in `obj`.)"""

    def get_object(  # type: ignore[override]
        self, request: HttpRequest, municipality_slug: str, initiative_id: int
    ) -> _OneInitiative:
        municipality = selectors.municipality_by_slug(slug=municipality_slug)
        initiative = selectors.public_initiative(
            municipality=municipality, initiative_id=initiative_id, today=timezone.localdate()
        )
        return _OneInitiative(municipality, initiative)

    def _kwargs(self, obj: _OneInitiative) -> dict[str, object]:
        return {"municipality_slug": obj.municipality.slug, "initiative_id": obj.initiative.pk}

    def title(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        name = f"{obj.initiative.number} {obj.initiative.title}".strip()
        return xml_safe(f"{obj.municipality.name}: {name}")

    def subtitle(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        return xml_safe(f"Stand: {obj.initiative.status_text}. Erreichte Meilensteine.")

    def link(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        return reverse("portal:initiative", kwargs=self._kwargs(obj))

    def feed_url(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        return reverse("portal:initiative_feed", kwargs=self._kwargs(obj))

    def author_name(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        return xml_safe(obj.municipality.name)

    def feed_copyright(self, obj: _OneInitiative) -> str:  # type: ignore[override]
        return super().feed_copyright(obj.municipality)

    def items(self, obj: _OneInitiative) -> list[selectors.NewsItem]:  # type: ignore[override]
        return selectors.news_items(
            municipality=obj.municipality,
            initiatives=[obj.initiative],
            today=timezone.localdate(),
        )
