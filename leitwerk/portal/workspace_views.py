"""Workspace pages of the portal app: what editors check before and after publishing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require_allowed, scoped_get
from leitwerk.core.pages import create_page, delete_page, edit_page

from . import easy_language, selectors, services
from .forms import (
    ModerationForm,
    OpenDataSettingsForm,
    ParticipationOpportunityForm,
    PortalSettingsForm,
)
from .models import ParticipationOpportunity
from .readability import LONG_SENTENCE_WORDS, TARGET_SCORE, easy_language_findings
from .readability_selectors import public_texts_for_review


@login_required
@require_safe
def readability(request: AuthedRequest) -> HttpResponse:
    texts = public_texts_for_review(
        user=request.user,
        municipality=request.municipality,
    )
    return render(
        request,
        "portal/workspace_readability.html",
        {
            "texts": texts,
            "needs_work": sum(1 for t in texts if not t.ok),
            "target_score": TARGET_SCORE,
            "long_sentence_words": LONG_SENTENCE_WORDS,
            "may_change_portal": request.user.has_perm(
                "portal.change_portal_settings",
                request.municipality,
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_data_settings(request: AuthedRequest) -> HttpResponse:
    """Licence, attribution and contact of the municipality's open data (strategy, admin)."""
    municipality = request.municipality
    require_allowed(request.user, "portal.change_open_data", municipality)
    current = selectors.open_data_settings(municipality=municipality)

    def save(*, actor: object, expected_version: int, changes: dict[str, str]) -> object:
        return services.open_data_settings_save(
            municipality=municipality,
            actor=actor,
            expected_version=expected_version,
            **changes,
        )

    here = reverse("portal_workspace:open_data_settings")
    return edit_page(
        request,
        obj=current,
        form_class=OpenDataSettingsForm,
        update=save,
        title="Offene Daten: Lizenz und Kontakt",
        crumbs=[("Offene Daten", here)],
        success_url=here,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_settings(request: AuthedRequest) -> HttpResponse:
    """Leichte Sprache, sign-language video, known barriers, comments (strategy, admin)."""
    municipality = request.municipality
    require_allowed(request.user, "portal.change_portal_settings", municipality)
    current = selectors.portal_settings(municipality=municipality)

    def save(*, actor: object, expected_version: int, changes: dict[str, Any]) -> object:
        return services.portal_settings_save(
            municipality=municipality,
            actor=actor,
            expected_version=expected_version,
            **changes,
        )

    here = reverse("portal_workspace:portal_settings")
    generated = easy_language.as_text(
        easy_language.generated_sections(
            selectors.site_facts(municipality=municipality, today=timezone.localdate())
        )
    )
    own = current.easy_language_text or ""
    return edit_page(
        request,
        obj=current,
        form_class=PortalSettingsForm,
        update=save,
        title="Bürgerportal: Leichte Sprache und Barrierefreiheit",
        crumbs=[("Bürgerportal", here)],
        success_url=here,
        extra_context={
            "aside_template": "portal/workspace_settings_aside.html",
            "generated_text": generated,
            "easy_findings": easy_language_findings(own or generated, names=(municipality.name,)),
            "checked_own": bool(own),
        },
    )


@login_required
@require_safe
def comments(request: AuthedRequest) -> HttpResponse:
    """Comments waiting for moderation first, then the decided ones."""
    municipality = request.municipality
    require_allowed(request.user, "portal.moderate_comments", municipality)
    return render(
        request,
        "portal/workspace_comments.html",
        {
            "comments": selectors.comments_for_moderation(municipality=municipality),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_moderate(request: AuthedRequest, pk: int) -> HttpResponse:
    municipality = request.municipality
    # Found first: another municipality's comment is 404 for everyone, like a missing one.
    comment = selectors.comment_for_moderation(municipality=municipality, pk=pk)
    require_allowed(request.user, "portal.moderate_comments", municipality)
    status = 200
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if form.is_valid():
            services.comment_moderate(
                comment=comment,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                answer=form.cleaned_data["answer"],
                today=timezone.localdate(),
            )
            return redirect("portal_workspace:comments")
        status = 400
    else:
        form = ModerationForm(
            initial={
                "decision": comment.status if comment.status != "pending" else None,
                "answer": comment.answer,
            }
        )
    return render(
        request,
        "portal/workspace_comment_moderate.html",
        {"comment": comment, "form": form},
        status=status,
    )


PARTICIPATION = "portal.change_participation"


def _participation_crumbs() -> list[tuple[str, str]]:
    return [("Beteiligungsangebote", reverse("portal_workspace:participation"))]


@login_required
@require_safe
def participation(request: AuthedRequest) -> HttpResponse:
    """Every participation opportunity of the municipality, upcoming and past (strategy, admin)."""
    municipality = request.municipality
    page = selectors.participation_overview(user=request.user, municipality=municipality)
    return render(request, "portal/workspace_participation.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_create(request: AuthedRequest) -> HttpResponse:
    municipality = request.municipality
    require_allowed(request.user, PARTICIPATION, municipality)
    return create_page(
        request,
        form_class=ParticipationOpportunityForm,
        form_kwargs={"municipality": municipality},
        create=lambda actor, values: services.participation_opportunity_create(
            municipality=municipality, actor=actor, values=values
        ),
        title="Neues Beteiligungsangebot",
        crumbs=_participation_crumbs(),
        back_url=reverse("portal_workspace:participation"),
        success_url=lambda row: reverse("portal_workspace:participation") + f"#angebot-{row.pk}",
        intro="Was, wann, wo, wie und für wen: So steht es im Bürgerportal unter „Mitmachen“.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = scoped_get(request, ParticipationOpportunity, pk)
    require_allowed(request.user, PARTICIPATION, opportunity)
    return edit_page(
        request,
        obj=opportunity,
        form_class=ParticipationOpportunityForm,
        form_kwargs={"municipality": request.municipality},
        update=lambda **kw: services.participation_opportunity_update(
            opportunity=opportunity, **kw
        ),
        title=f"Beteiligungsangebot bearbeiten: {opportunity}",
        crumbs=_participation_crumbs(),
        success_url=reverse("portal_workspace:participation") + f"#angebot-{opportunity.pk}",
        delete_url=reverse("portal_workspace:participation_delete", args=[opportunity.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participation_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    opportunity = scoped_get(request, ParticipationOpportunity, pk)
    require_allowed(request.user, PARTICIPATION, opportunity)
    return delete_page(
        request,
        obj=opportunity,
        delete=lambda **kw: services.participation_opportunity_delete(
            opportunity=opportunity, **kw
        ),
        title=f"Beteiligungsangebot löschen: {opportunity}",
        crumbs=_participation_crumbs(),
        back_url=reverse("portal_workspace:participation_edit", args=[opportunity.pk]),
        success_url=reverse("portal_workspace:participation"),
        consequence="Das Angebot verschwindet auch aus dem Bürgerportal und dem Terminkalender.",
    )
