"""The portal's public forms: report a barrier, follow a Vorhaben or plan by e-mail (with
confirmation and one-click unsubscribe), comment on a Vorhaben.

Not cached and `no-store`: each page carries a CSRF token and a signed start time. Without
JavaScript; a filled-in trap field is answered like a success and stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from leitwerk.municipalities.models import Municipality
from leitwerk.plans.models import ActionPlan, Initiative

from . import selectors, services, spam
from .forms import BarrierReportForm, CommentForm, FollowForm
from .views import _context

TOO_MANY = (
    "Von Ihrem Anschluss kamen gerade sehr viele Nachrichten. "
    "Bitte versuchen Sie es in einer Stunde noch einmal."
)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    with translation.override("de"):
        response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = "de"
    return response


def _released_initiative(municipality: Any, initiative_id: int) -> Any:
    return selectors.public_initiative(
        municipality=municipality, initiative_id=initiative_id, today=timezone.localdate()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def barrier_report(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The feedback mechanism of the accessibility statement: a suggestion "Barriere melden"."""
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    status = 200
    if request.method == "POST":
        form = BarrierReportForm(request.POST)
        if form.is_valid() and spam.over_limit(
            request, scope="barrier", municipality_id=municipality.pk
        ):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            if not form.is_trap:
                d = form.cleaned_data
                services.barrier_report_submit(
                    municipality=municipality,
                    page=d["page"],
                    text=d["text"],
                    contact=d["contact"],
                    today=timezone.localdate(),
                )
            return _page(
                request,
                "portal/form_done.html",
                _context(
                    municipality,
                    "accessibility",
                    heading="Danke für Ihre Meldung",
                    message="Wir haben Ihre Meldung bekommen. Wir antworten Ihnen innerhalb "
                    "von 14 Tagen, wenn Sie uns einen Kontakt genannt haben.",
                    back_url=reverse(
                        "portal:accessibility", kwargs={"municipality_slug": municipality.slug}
                    ),
                ),
            )
        else:
            status = 400
    else:
        form = BarrierReportForm(initial={"page": request.GET.get("seite", "")[:300]})
    return _page(
        request,
        "portal/barrier_report.html",
        _context(municipality, "accessibility", form=form),
        status,
    )


def _follow(
    request: HttpRequest,
    municipality: Any,
    *,
    target_name: str,
    back_url: str,
    **target: Any,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid() and spam.over_limit(
            request, scope="follow", municipality_id=municipality.pk
        ):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            if not form.is_trap:
                services.follow_request(
                    municipality=municipality, email=form.cleaned_data["email"], **target
                )
            # The same answer whether the address already follows or not.
            return _page(
                request,
                "portal/form_done.html",
                _context(
                    municipality,
                    "initiatives",
                    heading="Bitte bestätigen Sie Ihre E-Mail-Adresse",
                    message="Wir haben Ihnen eine E-Mail geschickt. Klicken Sie auf den Link "
                    "darin. Erst dann bekommen Sie Neuigkeiten.",
                    back_url=back_url,
                ),
            )
        else:
            status = 400
    else:
        form = FollowForm()
    return _page(
        request,
        "portal/follow.html",
        _context(municipality, "initiatives", form=form, target_name=target_name),
        status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow_initiative(
    request: HttpRequest, municipality_slug: str, initiative_id: int
) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    item = _released_initiative(municipality, initiative_id)
    initiative = Initiative.objects.for_municipality(municipality).get(pk=item.pk)
    name = f"{item.number} {item.title}".strip()
    return _follow(
        request,
        municipality,
        target_name=f"Vorhaben „{name}“",
        back_url=reverse(
            "portal:initiative",
            kwargs={"municipality_slug": municipality.slug, "initiative_id": item.pk},
        ),
        initiative=initiative,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow_plan(request: HttpRequest, municipality_slug: str, plan_id: int) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    released = {
        i.plan.pk: i.plan
        for i in selectors.public_initiatives(municipality=municipality, today=timezone.localdate())
    }
    if plan_id not in released:
        raise Http404("Diesen Plan gibt es im Portal nicht.")
    plan = ActionPlan.objects.for_municipality(municipality).get(pk=plan_id)
    return _follow(
        request,
        municipality,
        target_name=f"Plan „{released[plan_id].title}“",
        back_url=reverse("portal:initiatives", kwargs={"municipality_slug": municipality.slug}),
        plan=plan,
    )


def _follow_token_page(
    request: HttpRequest,
    municipality: Municipality,
    *,
    act: Callable[[], object],
    ask: tuple[str, str, str],
    done: tuple[str, str],
) -> HttpResponse:
    """The page behind a follow mail's link: GET shows one button (`ask`: heading, text,
    button), POST acts and says so (`done`: heading, message)."""
    if request.method == "POST":
        act()
        heading, message = done
        return _page(
            request,
            "portal/form_done.html",
            _context(municipality, "initiatives", heading=heading, message=message),
        )
    heading, text, button = ask
    return _page(
        request,
        "portal/follow_token.html",
        _context(municipality, "initiatives", heading=heading, text=text, button=button),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request: HttpRequest, municipality_slug: str, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners open links, they do not press buttons."""
    municipality = selectors.municipality_by_slug(slug=municipality_slug)

    def confirm() -> None:
        try:
            services.follow_confirm(municipality=municipality, token=token)
        except ValidationError:
            raise Http404("Dieser Link ist nicht mehr gültig.") from None

    return _follow_token_page(
        request,
        municipality,
        act=confirm,
        ask=(
            "E-Mail-Adresse bestätigen",
            "Sie möchten Neuigkeiten per E-Mail bekommen. Bitte bestätigen Sie das.",
            "Ja, ich möchte Neuigkeiten bekommen",
        ),
        done=(
            "Danke, Sie sind angemeldet",
            "Ab jetzt bekommen Sie eine E-Mail, wenn es Neuigkeiten gibt. "
            "In jeder E-Mail steht ein Link zum Abbestellen.",
        ),
    )


# The mail's link opens a page with one button: GET must change nothing (link scanners open
# every link), and every POST carries a CSRF token (no view is exempt, SECURITY.md C2), so the
# RFC 8058 one-click POST of mail programs is not offered.
@require_http_methods(["GET", "HEAD", "POST"])
def follow_cancel(request: HttpRequest, municipality_slug: str, token: str) -> HttpResponse:
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    return _follow_token_page(
        request,
        municipality,
        act=lambda: services.follow_cancel(municipality=municipality, token=token),
        ask=(
            "Keine E-Mails mehr bekommen",
            "Mit einem Klick bestellen Sie die E-Mails ab. Wir löschen dann Ihre Adresse.",
            "E-Mails abbestellen",
        ),
        done=(
            "Sie sind abgemeldet",
            "Sie bekommen keine E-Mails mehr. Ihre Adresse haben wir gelöscht.",
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment(request: HttpRequest, municipality_slug: str, initiative_id: int) -> HttpResponse:
    """Comment on a released Vorhaben, where the municipality allows comments (404 otherwise)."""
    municipality = selectors.municipality_by_slug(slug=municipality_slug)
    if not selectors.portal_settings(municipality=municipality).comments_enabled:
        raise Http404("Kommentare sind hier nicht möglich.")
    item = _released_initiative(municipality, initiative_id)
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid() and spam.over_limit(
            request, scope="comment", municipality_id=municipality.pk
        ):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            if not form.is_trap:
                services.comment_submit(
                    municipality=municipality,
                    initiative=Initiative.objects.for_municipality(municipality).get(pk=item.pk),
                    text=form.cleaned_data["text"],
                    author_name=form.cleaned_data["author_name"],
                    today=timezone.localdate(),
                )
            return _page(
                request,
                "portal/form_done.html",
                _context(
                    municipality,
                    "initiatives",
                    heading="Danke für Ihren Kommentar",
                    message="Wir lesen Ihren Kommentar. Danach erscheint er beim Vorhaben. "
                    "Das dauert höchstens 14 Tage.",
                    back_url=reverse(
                        "portal:initiative",
                        kwargs={"municipality_slug": municipality.slug, "initiative_id": item.pk},
                    ),
                ),
            )
        else:
            status = 400
    else:
        form = CommentForm()
    return _page(
        request,
        "portal/comment.html",
        _context(municipality, "initiatives", form=form, initiative=item),
        status,
    )
