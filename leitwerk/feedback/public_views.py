"""Public survey and suggestion pages.

Nothing about the visitor is read or stored: no address, user agent, referrer, session or
cookie beyond Django's CSRF cookie for the form. Abuse is limited (audit M3) by one-time
form tokens (signed, with a nonce remembered in the cache until it expires), a counter per
device (its CSRF cookie, hashed, ten minutes) before the counter per survey and minute (no
address in any key), and codes for the staff pulse, which count apart from uncoded answers.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import (
    FORM_TOKEN_MAX_AGE,
    StartForm,
    SuggestionForm,
    SurveyAnswerForm,
    form_token,
    form_token_nonce,
)
from .models import Survey, SurveyStatus, Wave

DEFAULT_SUBMISSIONS_PER_MINUTE = 120
# Per device (its CSRF cookie), before the survey's cap: enough for a kiosk tablet at a
# counter, far too few to crowd out everybody else (audit M3).
DEFAULT_SUBMISSIONS_PER_CLIENT = 10
CLIENT_WINDOW_SECONDS = 10 * 60


def _clock() -> float:
    return time.time()


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def _throttled(scope: str) -> bool:
    """True when this survey (or form) got more submissions this minute than allowed."""
    limit = getattr(settings, "FEEDBACK_SUBMISSIONS_PER_MINUTE", DEFAULT_SUBMISSIONS_PER_MINUTE)
    return _count(f"feedback:rate:{scope}:{int(_clock() // 60)}", 120) > limit


def _client_throttled(request: HttpRequest, scope: str) -> bool:
    """True when this device sent more answer sheets in the last minutes than a person would.

    The device is known only by its CSRF cookie (no address, no user agent), hashed with a
    key, and only for ten minutes; a client that throws its cookie away must fetch a new
    form first, which costs it the one-time token.
    """
    secret = request.META.get("CSRF_COOKIE") or ""
    if not secret:
        return False
    client = hmac.new(
        settings.SECRET_KEY.encode(), f"feedback-client:{secret}".encode(), hashlib.sha256
    ).hexdigest()[:24]
    limit = getattr(settings, "FEEDBACK_SUBMISSIONS_PER_CLIENT", DEFAULT_SUBMISSIONS_PER_CLIENT)
    window = int(_clock() // CLIENT_WINDOW_SECONDS)
    key = f"feedback:client:{scope}:{client}:{window}"
    return _count(key, CLIENT_WINDOW_SECONDS * 2) > limit


def token_consume(nonce: str) -> bool:
    """Use a form token's nonce once: False when it was used before (until it expires)."""
    return bool(cache.add(f"feedback:nonce:{nonce}", 1, timeout=FORM_TOKEN_MAX_AGE))


BUSY = "Gerade kommen sehr viele Antworten an. Bitte versuchen Sie es in einer Minute noch einmal."
BUSY_CLIENT = (
    "Von diesem Gerät kamen in den letzten Minuten schon sehr viele Antworten. Bitte "
    "versuchen Sie es in zehn Minuten noch einmal."
)
FORM_ALREADY_SENT = (
    "Dieses Formular wurde schon abgeschickt. Wenn Sie noch einmal antworten möchten, laden "
    "Sie die Seite bitte neu."
)


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


def _refusal(request: HttpRequest, survey: Survey, nonce: str | None) -> tuple[str, int] | None:
    """Why a well-formed answer sheet is not taken now (message, status), or None."""
    if survey.requires_code:
        # Each code works once: the code is the limit, and a flood of uncoded answers to
        # another survey never blocks a team answering with codes.
        if _throttled(f"survey:{survey.pk}:coded"):
            return BUSY, 429
    else:
        if _client_throttled(request, f"survey:{survey.pk}"):
            return BUSY_CLIENT, 429
        if _throttled(f"survey:{survey.pk}"):
            return BUSY, 429
    if nonce is None or not token_consume(nonce):
        return FORM_ALREADY_SENT, 409
    return None


@require_http_methods(["GET", "POST"])
def survey_detail(request, municipality_slug: str, pk: int):
    survey = selectors.public_survey_in(municipality_slug=municipality_slug, pk=pk)
    municipality = survey.municipality
    context: dict[str, Any] = {"municipality": municipality, "survey": survey}
    if survey.status != SurveyStatus.OPEN:
        return _no_store(render(request, "feedback/public/survey_closed.html", context))
    wave = selectors.open_wave(survey)
    questions = selectors.wave_questions(wave) if wave else list(survey.questions.all())
    pages = selectors.question_pages(questions)
    if survey.requires_code and wave is not None and len(pages) > 1:
        return _no_store(_paged(request, context, survey=survey, wave=wave, pages=pages))
    location = request.GET.get("standort") or request.POST.get("standort") or ""
    location_id = int(location) if location.isdigit() else None
    status = 200
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, survey=survey, questions=questions)
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # Filled-in trap field: a bot. Say thanks, keep nothing.
                return _no_store(render(request, "feedback/public/survey_thanks.html", context))
            refusal = _refusal(
                request, survey, form_token_nonce(form.cleaned_data["token"], survey.pk)
            )
            if refusal is not None:
                form.add_error(None, refusal[0])
                status = refusal[1]
            else:
                try:
                    services.response_submit(
                        survey=survey,
                        answers=form.answers(),
                        today=timezone.localdate(),
                        location_id=location_id,
                        code=form.cleaned_data.get("code", ""),
                        wave=wave,
                        questions=questions if wave is not None else None,
                    )
                except services.CodeAlreadyUsed as exc:
                    form.add_error("code", str(exc))
                    status = 400
                except services.SubmissionError as exc:
                    form.add_error(None, str(exc))
                    status = 400
                else:
                    return _no_store(render(request, "feedback/public/survey_thanks.html", context))
        else:
            status = 400
    else:
        form = SurveyAnswerForm(
            initial={"token": form_token(survey.pk)}, survey=survey, questions=questions
        )
    context.update(
        {
            "form": form,
            "location_id": location_id,
            # A fresh token for every form shown: each one is good for one sheet.
            "token": form.initial.get("token") or form_token(survey.pk),
            "groups": [(page.title, [form[f"q_{q.pk}"] for q in page.questions]) for page in pages],
        }
    )
    return _no_store(render(request, "feedback/public/survey_form.html", context, status=status))


def _page_initial(page: selectors.QuestionPage, kept: dict[int, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for question in page.questions:
        value = kept.get(question.pk)
        if value is None:
            continue
        if isinstance(value, list):
            initial[f"q_{question.pk}"] = (
                [str(v) for v in value] if question.kind == "multiple" else str(value[0])
            )
        else:
            initial[f"q_{question.pk}"] = value
    return initial


def _page_raw_answers(data: Any, page: selectors.QuestionPage) -> dict[int, Any]:
    raw: dict[int, Any] = {}
    for question in page.questions:
        name = f"q_{question.pk}"
        raw[question.pk] = data.getlist(name) if question.kind == "multiple" else data.get(name)
    return raw


def _submit_last_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    form: SurveyAnswerForm,
    page: selectors.QuestionPage,
    code: str,
    nonce: str,
) -> HttpResponse:
    """The last page: keep its answers, then store the whole sheet (the draft goes)."""
    survey = context["survey"]
    today = timezone.localdate()
    kept = services.draft_save(survey=survey, code=code, answers=form.answers(), today=today)
    refusal = _refusal(request, survey, nonce)
    if refusal is not None:
        form.add_error(None, refusal[0])
        return render(
            request,
            "feedback/public/survey_page.html",
            {**context, "form": form, "page": page, "code": code},
            status=refusal[1],
        )
    services.response_submit(
        survey=survey, answers={int(k): v for k, v in kept.items()}, today=today, code=code
    )
    return render(request, "feedback/public/survey_thanks.html", context)


def _paged(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    survey: Survey,
    wave: Wave,
    pages: list[selectors.QuestionPage],
) -> HttpResponse:
    """A pulse with one page per guideline section: a start page for the code, then the
    pages with back and next. Between pages the answers wait on the server, keyed by the
    one-time code (hashed); the browser keeps nothing but the CSRF cookie."""
    today = timezone.localdate()
    context.update({"pages": pages, "token": form_token(survey.pk)})
    if request.method != "POST":
        start = StartForm()
        return render(request, "feedback/public/survey_start.html", {**context, "form": start})
    start = StartForm(request.POST)
    if not start.is_valid():
        return _start_refused(request, context, start=start)
    if start.cleaned_data.get("website"):
        return render(request, "feedback/public/survey_thanks.html", context)
    code = start.cleaned_data["code"]
    nonce = form_token_nonce(start.cleaned_data["token"], survey.pk)
    if nonce is None:
        start.add_error("token", "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.")
        return _start_refused(request, context, start=start)
    current = start.cleaned_data.get("seite") or 0
    action = start.cleaned_data.get("aktion") or "weiter"
    page = pages[current - 1] if 1 <= current <= len(pages) else None
    try:
        if page is None:
            services.draft_save(survey=survey, code=code, answers={}, today=today)
            target = 1
        else:
            form = SurveyAnswerForm(
                request.POST, survey=survey, questions=page.questions, with_code=False
            )
            if action == "zurueck":
                services.draft_save(
                    survey=survey,
                    code=code,
                    answers=_page_raw_answers(request.POST, page),
                    today=today,
                )
                target = max(1, current - 1)
            elif not form.is_valid():
                return _page_refused(request, context, form=form, page=page, code=code)
            elif action == "abschicken" and page.is_last:
                return _submit_last_page(
                    request, context, form=form, page=page, code=code, nonce=nonce
                )
            else:
                services.draft_save(survey=survey, code=code, answers=form.answers(), today=today)
                target = min(len(pages), current + 1)
    except services.CodeAlreadyUsed as exc:
        start.add_error("code", str(exc))
        return _start_refused(request, context, start=start)
    except services.SubmissionError as exc:
        return _submission_failed(
            request, context, start=start, survey=survey, wave=wave, page=page, code=code, exc=exc
        )
    shown = pages[target - 1]
    form = _draft_page_form(survey=survey, wave=wave, page=shown, code=code)
    return render(
        request,
        "feedback/public/survey_page.html",
        {**context, "form": form, "page": shown, "code": code},
    )


def _start_refused(
    request: HttpRequest, context: dict[str, Any], *, start: StartForm
) -> HttpResponse:
    """The start page again, with the start form's errors (one place for the 400 answer)."""
    return render(
        request, "feedback/public/survey_start.html", {**context, "form": start}, status=400
    )


def _draft_page_form(
    *, survey: Survey, wave: Wave, page: selectors.QuestionPage, code: str
) -> SurveyAnswerForm:
    """A page's form filled with the answers that wait on the server for this code."""
    return SurveyAnswerForm(
        initial=_page_initial(page, selectors.draft_answers(wave=wave, code=code)),
        survey=survey,
        questions=page.questions,
        with_code=False,
    )


def _submission_failed(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    start: StartForm,
    survey: Survey,
    wave: Wave,
    page: selectors.QuestionPage | None,
    code: str,
    exc: services.SubmissionError,
) -> HttpResponse:
    """A refused save: a problem with the code goes back to the start page, any other stays
    on the page with the answers as they were saved."""
    if page is None or "Code" in str(exc):
        start.add_error("code" if "Code" in str(exc) else None, str(exc))
        return _start_refused(request, context, start=start)
    form = _draft_page_form(survey=survey, wave=wave, page=page, code=code)
    form.add_error(None, str(exc))
    return _page_refused(request, context, form=form, page=page, code=code)


def _page_refused(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    form: SurveyAnswerForm,
    page: selectors.QuestionPage,
    code: str,
) -> HttpResponse:
    """The same page again, with the form's errors (one place for the 400 answer)."""
    return render(
        request,
        "feedback/public/survey_page.html",
        {**context, "form": form, "page": page, "code": code},
        status=400,
    )


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
