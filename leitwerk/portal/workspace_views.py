"""Workspace pages of the portal app: what editors check before and after publishing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .readability import LONG_SENTENCE_WORDS, TARGET_SCORE
from .readability_selectors import public_texts_for_review


@login_required
@require_safe
def readability(request: HttpRequest) -> HttpResponse:
    texts = public_texts_for_review(
        user=request.user,
        municipality=request.municipality,  # type: ignore[attr-defined]
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
