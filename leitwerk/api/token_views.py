"""„API-Zugänge“ under „Mein Konto“: a person's own tokens for the REST API."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require_allowed
from leitwerk.core.forms import AccessibleForm

from . import services
from .models import ApiToken

PERM = "api.manage_own_tokens"


class TokenForm(AccessibleForm):
    name = forms.CharField(
        label="Bezeichnung",
        max_length=100,
        help_text="Wofür ist der Zugang? Zum Beispiel „Excel-Auswertung Bürgerservice“.",
    )
    scope = forms.ChoiceField(
        label="Berechtigung",
        choices=[("read", "nur lesen"), ("write", "lesen und schreiben")],
        initial="read",
        widget=forms.RadioSelect,
        help_text="Das Token kann nie mehr als Sie selbst mit Ihren Rollen.",
    )


def _own_tokens(request: AuthedRequest) -> list[ApiToken]:
    return list(
        ApiToken.objects.filter(municipality=request.municipality, user=request.user).order_by(
            "revoked_at", "-created_at"
        )
    )


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    require_allowed(request.user, PERM, request.municipality)
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        token, secret = services.api_token_create(
            user=request.user,
            municipality=request.municipality,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["scope"] == "read",
            actor=request.user,
        )
        form = TokenForm()
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "api_tokens/list.html",
        {"tokens": _own_tokens(request), "form": form, "secret": secret},
        status=status,
    )


@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    if not request.municipality:
        raise Http404
    token = ApiToken.objects.filter(
        municipality=request.municipality, user=request.user, pk=pk
    ).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(
        request, f"Der Zugang „{token.name}“ ist widerrufen und gilt ab sofort nicht mehr."
    )
    return redirect("api_tokens:list")
