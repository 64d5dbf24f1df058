"""Public survey and suggestion pages.

Nothing about the visitor is read or stored: no address, user agent, referrer, session or
cookie beyond Django's CSRF cookie for the form. Abuse is limited by a counter per survey
and minute in the cache (no address in the key) and by a signed, timestamped form token.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import SuggestionForm, SurveyAnswerForm, form_token
from .models import SurveyStatus

DEFAULT_SUBMISSIONS_PER_MINUTE = 120


def _throttled(scope: str) -> bool:
    """True when this survey (or form) got more submissions this minute than allowed."""
    limit = getattr(settings, "FEEDBACK_SUBMISSIONS_PER_MINUTE", DEFAULT_SUBMISSIONS_PER_MINUTE)
    key = f"feedback:rate:{scope}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > limit


def _no_store(response):
    response["Cache-Control"] = "no-store"
    # Referrer-Policy stays Django's "same-origin": "no-referrer" makes browsers send
    # "Origin: null" with the form, which the CSRF check then refuses.
    return response


def survey_list(request, municipality_slug: str):
    municipality = selectors.public_municipality(slug=municipality_slug)
    return render(
        request,
        "feedback/public/survey_list.html",
        {
            "municipality": municipality,
            "surveys": selectors.public_surveys(municipality=municipality),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_detail(request, municipality_slug: str, pk: int):
    municipality = selectors.public_municipality(slug=municipality_slug)
    survey = selectors.public_survey(municipality=municipality, pk=pk)
    context: dict[str, Any] = {"municipality": municipality, "survey": survey}
    if survey.status != SurveyStatus.OPEN:
        return _no_store(render(request, "feedback/public/survey_closed.html", context))
    location = request.GET.get("standort") or request.POST.get("standort") or ""
    location_id = int(location) if location.isdigit() else None
    status = 200
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, survey=survey)
        if _throttled(f"survey:{survey.pk}"):
            form.add_error(
                None,
                "Gerade kommen sehr viele Antworten an. Bitte versuchen Sie es "
                "in einer Minute noch einmal.",
            )
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):
                # Filled-in trap field: a bot. Say thanks, keep nothing.
                return _no_store(render(request, "feedback/public/survey_thanks.html", context))
            try:
                services.response_submit(
                    survey=survey,
                    answers=form.answers(),
                    today=timezone.localdate(),
                    location_id=location_id,
                    code=form.cleaned_data.get("code", ""),
                )
            except services.CodeAlreadyUsed as exc:
                form.add_error("code", str(exc))
                status = 409
            except services.SubmissionError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                return _no_store(render(request, "feedback/public/survey_thanks.html", context))
        else:
            status = 400
    else:
        form = SurveyAnswerForm(initial={"token": form_token(survey.pk)}, survey=survey)
    context.update({"form": form, "location_id": location_id})
    return _no_store(render(request, "feedback/public/survey_form.html", context, status=status))


@require_http_methods(["GET", "POST"])
def suggestion_form(request, municipality_slug: str):
    municipality = selectors.public_municipality(slug=municipality_slug)
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST, municipality=municipality)
        if _throttled(f"suggestion:{municipality.pk}"):
            form.add_error(
                None,
                "Gerade kommen sehr viele Nachrichten an. Bitte versuchen Sie "
                "es in einer Minute noch einmal.",
            )
            status = 429
        elif form.is_valid():
            d = form.cleaned_data
            if d.get("website"):
                return _no_store(
                    render(
                        request,
                        "feedback/public/suggestion_thanks.html",
                        {"municipality": municipality, "suggestion": None},
                    )
                )
            suggestion = services.suggestion_submit(
                municipality=municipality,
                text=d["text"],
                today=timezone.localdate(),
                category=d["category"],
                service=d["service"],
                location=d["location"],
                contact=d["contact"],
            )
            return _no_store(
                render(
                    request,
                    "feedback/public/suggestion_thanks.html",
                    {"municipality": municipality, "suggestion": suggestion},
                )
            )
        else:
            status = 400
    else:
        form = SuggestionForm(
            initial={"token": form_token(-municipality.pk)}, municipality=municipality
        )
    return _no_store(
        render(
            request,
            "feedback/public/suggestion_form.html",
            {
                "municipality": municipality,
                "form": form,
                "answered": selectors.public_answered_suggestions(municipality=municipality),
            },
            status=status,
        )
    )
