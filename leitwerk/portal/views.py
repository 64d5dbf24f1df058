"""Public portal per municipality: pages, feeds, open data. No login, no JavaScript.

Every view reads through `selectors`, which return public rows only. Responses are public
and cacheable for a few minutes, with an ETag so repeat visits and feed readers get
"304 Not Modified" cheaply.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_safe

from leitwerk.municipalities.models import Municipality
from leitwerk.plans.progress import rollup_initiatives

from . import catalog, opendata, selectors, statement
from .feeds import InitiativeFeed, NewsFeed, build_calendar
from .licences import licence as licence_for

# Minutes, not hours: a milestone marked as reached should show up the same morning.
CACHE_SECONDS = 300

# Date the template of the accessibility statement was last reviewed against BITV 2.0.
ACCESSIBILITY_REVIEWED_ON = dt.date(2026, 11, 22)

NAV = [
    ("home", "Übersicht"),
    ("guideline", "Leitbild"),
    ("initiatives", "Vorhaben"),
    ("decisions", "Entscheidungen"),
    ("participation", "Mitmachen"),
    ("calendar", "Termine"),
    ("news", "Neuigkeiten"),
    ("open_data", "Offene Daten"),
]


def _page_cache_key(request: HttpRequest, slug: str | None) -> str | None:
    """Key of a rendered page: path, the municipality's newest audit entry and today's date.

    Every write of a service is audited (core.audit), so a new entry means "something may
    have changed"; it becomes visible with the change's commit, never before. The date covers
    what changes by the day (overdue milestones, the calendar); what depends on the hour (a
    participation date passing) waits at most CACHE_SECONDS, as browsers do anyway.
    """
    if slug is None or request.GET:
        # Only the plain pages: random query strings must not fill the cache with copies.
        return None
    newest = selectors.newest_change_by_slug(slug=slug)
    if newest is None:
        return None  # unknown municipality: the view answers 404, nothing to keep
    path = hashlib.sha256(request.path.encode()).hexdigest()
    stamp = f"{newest}:{_today().isoformat()}"
    return f"portal-page:{slug}:{stamp}:{request.method}:{path}"


def public_cacheable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, German, cacheable by browsers and proxies, with ETag and 304s.

    Rendered pages are also kept server-side (Django's cache, CACHE_URL), so a portal with
    many readers renders each page once per change instead of once per request.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = _page_cache_key(request, kwargs.get("municipality_slug"))
        kept = cache.get(key) if key else None
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response.headers[name] = value
            return response
        # The portal is German only: dates and numbers must match the German text around them.
        with translation.override("de"):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers["Content-Language"] = "de"
        if key and response.status_code == 200 and not response.streaming:
            headers = {
                name: value
                for name, value in response.headers.items()
                if name.lower()
                in {"content-type", "content-language", "content-disposition", "link"}
            }
            cache.set(key, (response.content, headers), CACHE_SECONDS)
        return response

    return require_safe(
        conditional_page(cache_control(public=True, max_age=CACHE_SECONDS)(wrapper))
    )


def _today() -> dt.date:
    return timezone.localdate()


def _opportunities(municipality: Municipality) -> list[selectors.PublicOpportunity]:
    return selectors.public_participation_opportunities(
        municipality=municipality, now=timezone.now()
    )


def _context(municipality: Municipality, current: str, **extra: Any) -> dict[str, Any]:
    nav = [
        {
            "url": reverse(f"portal:{name}", kwargs={"municipality_slug": municipality.slug}),
            "label": label,
            "current": name == current,
        }
        for name, label in NAV
    ]
    return {
        "municipality": municipality,
        "portal_nav": nav,
        "current_page": current,
        "surveys_url": f"/{municipality.slug}/umfragen/",
        "suggestions_url": f"/{municipality.slug}/anregungen/",
        **extra,
    }


def _initiative_url(municipality: Municipality, initiative_id: int) -> str:
    return reverse(
        "portal:initiative",
        kwargs={"municipality_slug": municipality.slug, "initiative_id": initiative_id},
    )


def _plans_with_rollup(initiatives: list[Any]) -> list[dict[str, Any]]:
    """Public plans, each rolled up over its public Vorhaben only."""
    plans: list[dict[str, Any]] = []
    for plan, items in groupby(initiatives, key=lambda i: i.plan):
        children = list(items)
        plans.append(
            {
                "plan": plan,
                "initiatives": children,
                "rollup": rollup_initiatives(
                    [(i.progress_info, i.weight, i.status) for i in children]
                ),
            }
        )
    return plans


def _events_with_urls(municipality: Municipality, events: list[Any]) -> list[Any]:
    # Survey pages belong to the feedback app; linked by path, as its URLs may still change.
    surveys_url = f"/{municipality.slug}/umfragen/"
    participation_url = reverse(
        "portal:participation", kwargs={"municipality_slug": municipality.slug}
    )

    def url_of(event: Any) -> str:
        if event.initiative_id:
            return _initiative_url(municipality, event.initiative_id)
        if "opportunity_id" in event.extra:
            return f"{participation_url}#angebot-{event.extra['opportunity_id']}"
        return f"{surveys_url}{event.extra['survey_id']}/"

    return [replace(event, url_path=url_of(event)) for event in events]


# --- Pages ---------------------------------------------------------------------------------


@public_cacheable
def home(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    initiatives = selectors.public_initiatives(municipality=municipality, today=today)
    surveys = selectors.open_citizen_surveys(municipality=municipality, today=today)
    events = [
        e
        for e in selectors.calendar_events(
            municipality=municipality,
            initiatives=initiatives,
            surveys=surveys,
            opportunities=_opportunities(municipality),
        )
        if e.date >= today
    ]
    guidelines = selectors.adopted_guidelines(municipality=municipality)
    context = _context(
        municipality,
        "home",
        guideline=guidelines[0] if guidelines else None,
        other_guidelines=guidelines[1:],
        goals=selectors.public_goals(municipality=municipality),
        plans=_plans_with_rollup(initiatives),
        surveys=surveys,
        events=_events_with_urls(municipality, events[:5]),
        news=selectors.news_items(
            municipality=municipality, initiatives=initiatives, today=today, limit=3
        ),
    )
    return render(request, "portal/home.html", context)


@public_cacheable
def guideline(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    context = _context(
        municipality,
        "guideline",
        guidelines=selectors.adopted_guidelines(municipality=municipality),
        goals=selectors.public_goals(municipality=municipality),
    )
    return render(request, "portal/guideline.html", context)


@public_cacheable
def initiatives(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    items = selectors.public_initiatives(municipality=municipality, today=today)
    context = _context(municipality, "initiatives", plans=_plans_with_rollup(items), today=today)
    return render(request, "portal/initiative_list.html", context)


@public_cacheable
def initiative(request: HttpRequest, municipality_slug: str, initiative_id: int) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    item = selectors.public_initiative(
        municipality=municipality, initiative_id=initiative_id, today=today
    )
    comments_enabled = selectors.portal_settings(municipality=municipality).comments_enabled
    context = _context(
        municipality,
        "initiatives",
        initiative=item,
        today=today,
        comments_enabled=comments_enabled,
        comments=selectors.published_comments(
            municipality=municipality, initiative_id=initiative_id
        ),
    )
    return render(request, "portal/initiative_detail.html", context)


@public_cacheable
def decisions(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    context = _context(
        municipality,
        "decisions",
        decisions=selectors.public_decisions(municipality=municipality),
    )
    return render(request, "portal/decisions.html", context)


@public_cacheable
def participation(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    context = _context(
        municipality,
        "participation",
        surveys=selectors.open_citizen_surveys(municipality=municipality, today=today),
        opportunities=_opportunities(municipality),
        today=today,
    )
    return render(request, "portal/participation.html", context)


@public_cacheable
def calendar(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    initiatives = selectors.public_initiatives(municipality=municipality, today=today)
    surveys = selectors.open_citizen_surveys(municipality=municipality, today=today)
    events = [
        e
        for e in selectors.calendar_events(
            municipality=municipality,
            initiatives=initiatives,
            surveys=surveys,
            opportunities=_opportunities(municipality),
        )
        if e.date >= today
    ]
    months = [
        {"month": month, "events": list(group)}
        for month, group in groupby(
            _events_with_urls(municipality, events), key=lambda e: e.date.replace(day=1)
        )
    ]
    context = _context(municipality, "calendar", months=months, today=today)
    return render(request, "portal/calendar.html", context)


@public_cacheable
def news(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    initiatives = selectors.public_initiatives(municipality=municipality, today=today)
    context = _context(
        municipality,
        "news",
        news=selectors.news_items(municipality=municipality, initiatives=initiatives, today=today),
    )
    return render(request, "portal/news.html", context)


@public_cacheable
def open_data(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    settings = selectors.open_data_settings(municipality=municipality)
    schema = json.loads(opendata.schema_text())
    fields = schema["$defs"]["vorhaben"]["properties"]
    context = _context(
        municipality,
        "open_data",
        fields=[
            {"name": name, "description": spec.get("description", "")}
            for name, spec in fields.items()
        ],
        csv_columns=[column for column, _ in opendata.CSV_COLUMNS],
        licence=licence_for(settings.licence),
        attribution=settings.attribution or municipality.name,
        contact_email=settings.contact_email,
    )
    return render(request, "portal/open_data.html", context)


def _statement(municipality: Municipality) -> statement.Statement:
    return statement.build(
        municipality=municipality,
        settings=selectors.portal_settings(municipality=municipality),
        check=selectors.latest_accessibility_check(municipality=municipality),
        reviewed_on=ACCESSIBILITY_REVIEWED_ON,
    )


@public_cacheable
def accessibility(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    context = _context(
        municipality,
        "accessibility",
        reviewed_on=ACCESSIBILITY_REVIEWED_ON,
        statement=_statement(municipality),
        report_url=reverse(
            "portal:barrier_report", kwargs={"municipality_slug": municipality.slug}
        ),
    )
    return render(request, "portal/accessibility.html", context)


@public_cacheable
def accessibility_jsonld(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The statement in a machine-readable format (EU 2018/1523, Art. 2): schema.org JSON-LD."""
    municipality = selectors.municipality_by_slug(slug=municipality_slug)

    def url(name: str) -> str:
        return request.build_absolute_uri(
            reverse(f"portal:{name}", kwargs={"municipality_slug": municipality.slug})
        )

    document = statement.as_jsonld(
        _statement(municipality),
        page_url=url("accessibility"),
        site_url=url("home"),
        report_url=url("barrier_report"),
    )
    return JsonResponse(
        document,
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@public_cacheable
def easy_language(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Leichte Sprache (§ 4 BITV 2.0): what the site offers, how to use it, the accessibility
    statement; the sign-language video; the Vorhaben and goals with a Leichte-Sprache text."""
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    settings = selectors.portal_settings(municipality=municipality)
    video = settings.sign_language_video_url
    context = _context(
        municipality,
        "easy_language",
        sections=selectors.easy_language_sections(municipality=municipality, today=today),
        video_url=video,
        video_is_file=video.lower().split("?")[0].endswith((".mp4", ".webm", ".ogv")),
        initiatives=[
            i
            for i in selectors.public_initiatives(municipality=municipality, today=today)
            if i.easy_summary
        ],
        goals=[g for g in selectors.public_goals(municipality=municipality) if g.easy_summary],
    )
    return render(request, "portal/easy_language.html", context)


@require_safe
def accessibility_global(request: HttpRequest) -> HttpResponse:
    """The statement for the internal staff UI (§ 12a BGG covers the intranet too).

    Not publicly cacheable: it uses the internal layout, whose forms carry a CSRF token.
    """
    return render(
        request,
        "portal/accessibility_global.html",
        {"reviewed_on": ACCESSIBILITY_REVIEWED_ON},
    )


# --- Feeds and data ------------------------------------------------------------------------


@public_cacheable
def calendar_ics(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    today = _today()
    initiatives = selectors.public_initiatives(municipality=municipality, today=today)
    surveys = selectors.open_citizen_surveys(municipality=municipality, today=today)
    events = selectors.calendar_events(
        municipality=municipality,
        initiatives=initiatives,
        surveys=surveys,
        opportunities=_opportunities(municipality),
    )
    body = build_calendar(
        municipality=municipality,
        events=_events_with_urls(municipality, events),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}-termine.ics"'
    return _licence_link(response, municipality)


news_feed = public_cacheable(NewsFeed())
initiative_feed = public_cacheable(InitiativeFeed())


def _open_data_document(request: HttpRequest, municipality: Municipality) -> dict[str, Any]:
    today = _today()
    items = selectors.public_initiatives(municipality=municipality, today=today)
    return {
        "kommune": {
            "name": municipality.name,
            "kurzname": municipality.slug,
            "ags": municipality.ags,
        },
        "erstellt_am": timezone.localtime(
            selectors.data_changed_at(municipality=municipality, initiatives=items)
        )
        .replace(microsecond=0)
        .isoformat(),
        "stichtag": today.isoformat(),
        "schema": request.build_absolute_uri(
            reverse("portal:open_data_schema", kwargs={"municipality_slug": municipality.slug})
        ),
        "lizenz": _licence_record(municipality),
        "vorhaben": [
            opendata.initiative_record(
                i, url=request.build_absolute_uri(_initiative_url(municipality, i.pk))
            )
            for i in items
        ],
    }


@public_cacheable
def open_data_json(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    document = _open_data_document(request, municipality)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    return _licence_link(response, municipality)


@public_cacheable
def open_data_csv(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    document = _open_data_document(request, municipality)
    response = HttpResponse(
        opendata.as_csv(document["vorhaben"]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-vorhaben.csv"'
    return _licence_link(response, municipality)


def _licence_link(response: HttpResponse, municipality: Municipality) -> HttpResponse:
    """Every dataset and feed names its licence (RFC 8288 `rel="license"`)."""
    chosen = licence_for(selectors.open_data_settings(municipality=municipality).licence)
    response.headers["Link"] = f'<{chosen.url}>; rel="license"'
    return response


def _licence_record(municipality: Municipality) -> dict[str, str]:
    settings = selectors.open_data_settings(municipality=municipality)
    chosen = licence_for(settings.licence)
    return {
        "name": chosen.name,
        "url": chosen.url,
        "kennung": chosen.iri,
        "namensnennung": (settings.attribution or municipality.name)
        if chosen.needs_attribution
        else "",
    }


def _catalog_info(request: HttpRequest, municipality: Municipality) -> catalog.CatalogInfo:
    settings = selectors.open_data_settings(municipality=municipality)
    items = selectors.public_initiatives(municipality=municipality, today=_today())

    def url(name: str) -> str:
        return request.build_absolute_uri(
            reverse(f"portal:{name}", kwargs={"municipality_slug": municipality.slug})
        )

    vorhaben = catalog.Dataset(
        key="vorhaben",
        title=f"Vorhaben des Aktionsplans – {municipality.name}",
        description="Die öffentlichen Vorhaben mit Zielsetzung, Stand, Fortschritt, "
        "Meilensteinen und Kennzahlen.",
        landing_page=url("open_data"),
        keywords=("Aktionsplan", "Vorhaben", "Steuerung", "Leitbild"),
        distributions=(
            catalog.Distribution(
                "Vorhaben (JSON)",
                url("open_data_json"),
                "JSON",
                "application/json",
                conforms_to=url("open_data_schema"),
            ),
            catalog.Distribution("Vorhaben (CSV)", url("open_data_csv"), "CSV", "text/csv"),
        ),
    )
    news = catalog.Dataset(
        key="neuigkeiten",
        title=f"Neuigkeiten und Termine – {municipality.name}",
        description="Neue Sachstände, erreichte Meilensteine und Termine der Vorhaben.",
        landing_page=url("news"),
        keywords=("Neuigkeiten", "Termine"),
        distributions=(
            catalog.Distribution(
                "Neuigkeiten (Atom)", url("news_feed"), "ATOM", "application/atom+xml"
            ),
            catalog.Distribution(
                "Termine (iCalendar)", url("calendar_ics"), "ICS", "text/calendar"
            ),
        ),
    )
    return catalog.CatalogInfo(
        municipality=municipality,
        url=url("open_data_catalog_ttl"),
        homepage=url("home"),
        licence=licence_for(settings.licence),
        attribution=settings.attribution or municipality.name,
        contact_email=settings.contact_email,
        modified=selectors.data_changed_at(municipality=municipality, initiatives=items),
        datasets=(vorhaben, news),
    )


@public_cacheable
def open_data_catalog_ttl(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    graph = catalog.build(_catalog_info(request, municipality))
    return HttpResponse(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")


@public_cacheable
def open_data_catalog_jsonld(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    graph = catalog.build(_catalog_info(request, municipality))
    return HttpResponse(
        graph.serialize(format="json-ld", auto_compact=True), content_type="application/ld+json"
    )


@public_cacheable
def open_data_schema(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    selectors.municipality_by_slug(slug=municipality_slug)
    return HttpResponse(opendata.schema_text(), content_type="application/schema+json")


class _PortalPagesSitemap(Sitemap):
    changefreq = "weekly"

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality

    def items(self) -> list[str]:
        return [name for name, _ in NAV] + ["accessibility", "easy_language"]

    def location(self, item: str) -> str:
        return reverse(f"portal:{item}", kwargs={"municipality_slug": self.municipality.slug})


class _InitiativeSitemap(Sitemap):
    changefreq = "weekly"

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality

    def items(self) -> list[Any]:
        return selectors.public_initiatives(
            municipality=self.municipality, today=_today(), with_details=False
        )

    def location(self, item: Any) -> str:
        return _initiative_url(self.municipality, item.pk)

    def lastmod(self, item: Any) -> dt.datetime:
        return item.released_at


@public_cacheable
def sitemap(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    return sitemap_view(
        request,
        sitemaps={
            "seiten": _PortalPagesSitemap(municipality),
            "vorhaben": _InitiativeSitemap(municipality),
        },
        template_name="portal/sitemap.xml",
    )
