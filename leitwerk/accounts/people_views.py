"""Pages of "Personen & Rollen" (the municipality's admin) and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from leitwerk.core.access import require
from leitwerk.core.pages import add_errors

from . import selectors, services
from .http import AuthedRequest
from .models import IdentityProvider
from .people_forms import InviteForm, RolesForm, SetPasswordForm

Request = AuthedRequest


@login_required
@require_GET
def people_list(request: Request) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    people = selectors.people_for_admin(
        user=request.user, municipality=request.municipality, query=query
    )
    return render(request, "accounts/people/list.html", {"people": people, "query": query})


@login_required
def person_invite(request: Request) -> HttpResponse:
    municipality = request.municipality
    require(request, selectors.PERM, municipality)
    form = InviteForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.person_invite(
                municipality=municipality,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=data["roles"],
                unit=data["unit"],
                body=data["body"],
                body_role=data["body_role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{invitation.user.email} ist eingeladen; die E-Mail mit dem Link ist unterwegs.",
            )
            return redirect("people:list")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/people/invite.html", {"form": form}, status=status)


@login_required
def person_edit(request: Request, pk: int) -> HttpResponse:
    municipality = request.municipality
    person = selectors.person_for_admin(user=request.user, municipality=municipality, pk=pk)
    initial = {
        "roles": person.roles,
        "unit": person.unit,
        "body": person.body,
        "body_role": person.body_role,
    }
    form = RolesForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_roles_set(
                municipality=municipality,
                user=person.user,
                roles=data["roles"],
                unit=data["unit"],
                body=data["body"],
                body_role=data["body_role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Die Rollen von {person.user} sind gespeichert.")
            return redirect("people:list")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/people/edit.html",
        {"person": person, "form": form, "is_self": person.user.pk == request.user.pk},
        status=status,
    )


@login_required
def person_invitation_resend(request: Request, pk: int) -> HttpResponse:
    # Looked up first, so another town's person answers 404 to every method.
    person = selectors.person_for_admin(user=request.user, municipality=request.municipality, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if person.invitation is None or not person.invitation_open:
        messages.error(request, f"{person.user} hat keine offene Einladung.")
    else:
        services.invitation_resend(invitation=person.invitation, actor=request.user)
        messages.success(request, f"Die Einladung an {person.user.email} ist neu gesendet.")
    return redirect("people:edit", pk=pk)


@login_required
def person_deactivate(request: Request, pk: int) -> HttpResponse:
    person = selectors.person_for_admin(user=request.user, municipality=request.municipality, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.person_deactivate(
                municipality=request.municipality, user=person.user, actor=request.user
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                f"{person.user} hat keinen Zugang mehr zu {request.municipality}. "
                "Was die Person geschrieben hat, bleibt mit ihrem Namen erhalten.",
            )
            return redirect("people:list")
    return render(
        request,
        "accounts/people/deactivate.html",
        {"person": person, "error": error},
        status=409 if error else 200,
    )


def invitation_accept(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Public: the invited person sets a password (or signs in via their Verwaltung)."""
    invitation = selectors.invitation_for_link(pk=pk, token=token)
    if invitation is None:
        # Like Django's password reset: a page that says so (the same for every wrong link).
        return render(request, "accounts/invitation_invalid.html")
    # Reached before sign-in: the invitation names the municipality whose sign-in is offered.
    provider = (
        IdentityProvider.objects.for_municipality(invitation.municipality)
        .filter(enabled=True)
        .first()
    )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            messages.success(
                request, "Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt an."
            )
            return redirect(reverse("accounts:login"))
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "provider": provider},
        status=status,
    )
