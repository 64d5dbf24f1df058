"""Pages of "Kommune einrichten": the first-run checklist, units and bodies (the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from leitwerk.accounts import services as account_services
from leitwerk.accounts.http import AuthedRequest
from leitwerk.accounts.models import IdentityProvider
from leitwerk.accounts.oidc import connection_check
from leitwerk.core.access import require, scoped_get
from leitwerk.core.pages import add_errors, create_page, edit_page
from leitwerk.municipalities import services
from leitwerk.municipalities.models import Body, MunicipalityKind, OrganisationalUnit
from leitwerk.network.models import RegistryMunicipality
from leitwerk.network.registry import state_name

from . import selectors
from . import services as onboarding
from .forms import BodyForm, OnboardForm, SsoForm, UnitForm, UnitMergeForm

Request = AuthedRequest
PERM = selectors.PERM


def _crumbs() -> list[tuple[str, str]]:
    return [("Kommune einrichten", reverse("administration:checklist"))]


@login_required
@require_GET
def checklist(request: Request) -> HttpResponse:
    steps = selectors.checklist(user=request.user, municipality=request.municipality)
    return render(
        request,
        "administration/checklist.html",
        {"steps": steps, "done": sum(step.done for step in steps)},
    )


@login_required
@require_GET
def units(request: Request) -> HttpResponse:
    tree = selectors.unit_tree(user=request.user, municipality=request.municipality)
    return render(request, "administration/units.html", {"tree": tree})


@login_required
def unit_create(request: Request) -> HttpResponse:
    require(request, PERM, request.municipality)
    return create_page(
        request,
        form_class=UnitForm,
        form_kwargs={"municipality": request.municipality},
        create=lambda actor, values: services.unit_create(
            municipality=request.municipality, actor=actor, values=values
        ),
        title="Neue Organisationseinheit",
        crumbs=[*_crumbs(), ("Organisationseinheiten", reverse("administration:units"))],
        back_url=reverse("administration:units"),
        success_url=lambda row: reverse("administration:units"),
    )


@login_required
def unit_edit(request: Request, pk: int) -> HttpResponse:
    unit = scoped_get(request, OrganisationalUnit, pk)
    require(request, PERM, unit)
    return edit_page(
        request,
        obj=unit,
        form_class=UnitForm,
        form_kwargs={"municipality": request.municipality},
        update=lambda actor, expected_version, changes: services.unit_update(
            unit=unit, actor=actor, expected_version=expected_version, changes=changes
        ),
        title=f"„{unit.name}“ umbenennen oder verschieben",
        crumbs=[*_crumbs(), ("Organisationseinheiten", reverse("administration:units"))],
        success_url=reverse("administration:units"),
    )


@login_required
def unit_merge(request: Request, pk: int) -> HttpResponse:
    unit = scoped_get(request, OrganisationalUnit, pk)
    require(request, PERM, unit)
    form = UnitMergeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        try:
            moved = services.unit_merge(unit=unit, into=into, actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"„{unit.name}“ ist in „{into.name}“ aufgegangen "
                f"({sum(moved.values())} Verweise übertragen).",
            )
            return redirect("administration:units")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "administration/unit_merge.html",
        {"unit": unit, "form": form, "crumbs": _crumbs()},
        status=status,
    )


@login_required
@require_GET
def bodies(request: Request) -> HttpResponse:
    rows = selectors.bodies(user=request.user, municipality=request.municipality)
    return render(request, "administration/bodies.html", {"bodies": rows})


@login_required
def body_create(request: Request) -> HttpResponse:
    require(request, PERM, request.municipality)
    return create_page(
        request,
        form_class=BodyForm,
        create=lambda actor, values: services.body_create(
            municipality=request.municipality, actor=actor, values=values
        ),
        title="Neues Gremium",
        crumbs=[*_crumbs(), ("Gremien", reverse("administration:bodies"))],
        back_url=reverse("administration:bodies"),
        success_url=lambda row: reverse("administration:bodies"),
    )


@login_required
def body_edit(request: Request, pk: int) -> HttpResponse:
    body = scoped_get(request, Body, pk)
    require(request, PERM, body)
    return edit_page(
        request,
        obj=body,
        form_class=BodyForm,
        update=lambda actor, expected_version, changes: services.body_update(
            body=body, actor=actor, expected_version=expected_version, changes=changes
        ),
        title=f"Gremium „{body.name}“ bearbeiten",
        crumbs=[*_crumbs(), ("Gremien", reverse("administration:bodies"))],
        success_url=reverse("administration:bodies"),
    )


# ---- Onboarding a municipality: the operator (superuser), in the workspace ----


def _registry_initial(entry: RegistryMunicipality) -> dict[str, object]:
    return {
        "name": entry.name,
        "slug": slugify(entry.name),
        "ags": entry.ags,
        "population": entry.population,
        "state": state_name(entry.state, entry.ags),
        "kind": MunicipalityKind.STADT,
    }


@login_required
def onboard(request: Request) -> HttpResponse:
    selectors.require_operator(request.user)
    query = request.GET.get("q", "")[:100]
    results = selectors.registry_search(user=request.user, query=query)
    initial: dict[str, object] = {}
    entry_id = request.GET.get("eintrag", "")
    if entry_id.isdigit():
        entry = selectors.registry_entry(user=request.user, pk=int(entry_id))
        if entry is not None:
            initial = _registry_initial(entry)
    form = OnboardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            municipality = onboarding.municipality_onboard(
                name=data["name"],
                slug=data["slug"],
                ags=data["ags"],
                kind=data["kind"],
                parent=data["parent"],
                population=data["population"],
                state=data["state"],
                admin_email=data["admin_email"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{municipality.name} ist angelegt; {data['admin_email']} ist als "
                "Administration eingeladen.",
            )
            return redirect("administration:onboard")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "administration/onboard.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "registry_empty": selectors.registry_is_empty(),
            "municipalities": selectors.municipalities_overview(user=request.user),
        },
        status=status,
    )


@login_required
def registry_load(request: Request) -> HttpResponse:
    selectors.require_operator(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    result = onboarding.registry_load(actor=request.user)
    messages.success(
        request,
        f"Das Gemeindeverzeichnis ist geladen: {result.created} neue, "
        f"{result.updated} aktualisierte Einträge.",
    )
    return redirect("administration:onboard")


# ---- Single sign-on: the municipality's admin configures and checks its identity provider ----


def _sso_initial(provider: IdentityProvider | None) -> dict[str, object]:
    if provider is None:
        return {}
    return {
        "name": provider.name,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "secret_env": provider.secret_env,
        "scopes": provider.scopes,
        "groups_claim": provider.groups_claim,
        "group_roles": SsoForm.lines(provider.group_roles),
        "email_domains": provider.email_domains,
        "enabled": provider.enabled,
    }


@login_required
def sso(request: Request) -> HttpResponse:
    require(request, PERM, request.municipality)
    provider = selectors.identity_provider(user=request.user, municipality=request.municipality)
    form = SsoForm(request.POST or None, initial=_sso_initial(provider))
    if request.method == "POST" and form.is_valid():
        try:
            account_services.identity_provider_save(
                municipality=request.municipality, values=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Die Anmeldung über die Verwaltung ist gespeichert.")
            return redirect("administration:sso")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "administration/sso.html",
        {"form": form, "provider": provider, "crumbs": _crumbs(), "results": None},
        status=status,
    )


@login_required
def sso_check(request: Request) -> HttpResponse:
    require(request, PERM, request.municipality)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    provider = selectors.identity_provider(user=request.user, municipality=request.municipality)
    if provider is None:
        messages.error(request, "Bitte speichern Sie die Einstellungen zuerst.")
        return redirect("administration:sso")
    results = connection_check(provider)
    return render(
        request,
        "administration/sso.html",
        {
            "form": SsoForm(initial=_sso_initial(provider)),
            "provider": provider,
            "crumbs": _crumbs(),
            "results": results,
            "all_ok": all(ok for _label, ok, _text in results),
        },
    )
