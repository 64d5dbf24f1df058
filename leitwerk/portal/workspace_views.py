"""Workspace pages of the portal app: what editors check before and after publishing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require_allowed
from leitwerk.core.pages import edit_page

from . import selectors, services
from .forms import OpenDataSettingsForm
from .readability import LONG_SENTENCE_WORDS, TARGET_SCORE
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
            "needs_work": sum(1 for t in texts if not t.result.ok),
            "target_score": TARGET_SCORE,
            "long_sentence_words": LONG_SENTENCE_WORDS,
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
