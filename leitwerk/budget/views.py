"""Pages of the Produkthaushalt: overview, Teilhaushalt ("Ziele und Kennzahlen"), product,
the editing of its links, and the exports for the Kämmerei."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require, scoped_get
from leitwerk.core.pages import Crumbs, create_page, edit_page
from leitwerk.goals.models import Goal
from leitwerk.plans.models import Indicator, Initiative

from . import exports, selectors, services
from .forms import InitiativeBudgetForm, KeyFigureForm, KeyFigureValueForm
from .models import KeyFigure, Product

Request = AuthedRequest
CHANGE = selectors.CHANGE


def _crumbs(product: Product | None = None) -> Crumbs:
    crumbs = [("Produkthaushalt", reverse("budget:overview"))]
    area = product.budget_area if product is not None else None
    if area is not None:
        crumbs.append((f"Teilhaushalt {area}", reverse("budget:area", args=[area.pk])))
    if product is not None:
        crumbs.append((str(product), reverse("budget:product", args=[product.pk])))
    return crumbs


def _year(request: Request) -> int:
    return selectors.parse_year(request.GET.get("jahr"), fallback=selectors.default_year())


@login_required
@require_GET
def overview(request: Request) -> HttpResponse:
    page = selectors.overview_for_user(user=request.user, municipality=request.municipality)
    return render(request, "budget/overview.html", {"page": page, "year": _year(request)})


@login_required
@require_GET
def area(request: Request, pk: int) -> HttpResponse:
    budget_area = selectors.area_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    year = _year(request)
    section = selectors.budget_section(request.municipality, budget_area, year)
    return render(
        request,
        "budget/area.html",
        {
            "area": budget_area,
            "section": section,
            "year": year,
            "years": range(year - 2, year + 3),
            "crumbs": _crumbs()[:1],
        },
    )


def _export(request: Request, pk: int, kind: str) -> HttpResponse:
    budget_area = selectors.area_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    section = selectors.budget_section(request.municipality, budget_area, _year(request))
    name = request.municipality.name
    if kind == "docx":
        body = exports.section_docx(section, municipality_name=name)
        content_type = exports.DOCX_CONTENT_TYPE
    else:
        body = exports.section_xlsx(section, municipality_name=name)
        content_type = exports.XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_stem(section)}.{kind}"'
    return response


@login_required
@require_GET
def area_docx(request: Request, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")


@login_required
@require_GET
def area_xlsx(request: Request, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
@require_GET
def product(request: Request, pk: int) -> HttpResponse:
    page = selectors.product_page_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(
        request,
        "budget/product.html",
        {
            "page": page,
            "crumbs": _crumbs(page.product)[:-1],
            "value_form": KeyFigureValueForm(initial={"year": selectors.default_year()}),
            "budget_form": InitiativeBudgetForm(
                initiatives=page.initiative_choices,
                initial={"year": selectors.default_year()},
            ),
        },
    )


def _product_for_change(request: Request, pk: int) -> Product:
    return selectors.product_for_user(
        user=request.user, municipality=request.municipality, pk=pk, perm=CHANGE
    )


def _problems(form: Any) -> str:
    """The form's errors in one line, each led by its field's label."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else 'Eingabe'}: "
        + " ".join(str(message) for message in errors)
        for name, errors in form.errors.items()
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _back(product_row: Product, anchor: str) -> HttpResponse:
    return redirect(reverse("budget:product", args=[product_row.pk]) + f"#{anchor}")


def _refuse(request: Request, product_row: Product, anchor: str, message: str) -> HttpResponse:
    """Bad input on a small link form: say what is wrong and change nothing."""
    messages.error(request, message)
    return _back(product_row, anchor)


@login_required
def product_goals(request: Request, pk: int) -> HttpResponse:
    """Link (`action=link`) or unlink (`action=unlink`) one goal."""
    product_row = _product_for_change(request, pk)  # first: a foreign id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    goal = (
        Goal.objects.for_municipality(request.municipality)
        .filter(pk=_int(request.POST.get("goal")))
        .first()
    )
    if goal is None:
        return _refuse(request, product_row, "ziele", "Bitte wählen Sie ein Ziel aus der Liste.")
    if request.POST.get("action") == "unlink":
        services.product_unlink_goal(product=product_row, goal=goal, actor=request.user)
        messages.success(request, f"Das Ziel „{goal}“ ist nicht mehr mit dem Produkt verknüpft.")
    else:
        services.product_link_goal(product=product_row, goal=goal, actor=request.user)
        messages.success(request, f"Das Ziel „{goal}“ ist mit dem Produkt verknüpft.")
    return _back(product_row, "ziele")


@login_required
def product_indicators(request: Request, pk: int) -> HttpResponse:
    """Link (`action=link`) or unlink (`action=unlink`) one indicator of a goal or Vorhaben."""
    product_row = _product_for_change(request, pk)  # first: a foreign id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    indicator = (
        Indicator.objects.for_municipality(request.municipality)
        .filter(pk=_int(request.POST.get("indicator")))
        .first()
    )
    if indicator is None:
        return _refuse(
            request, product_row, "indikatoren", "Bitte wählen Sie einen Indikator aus der Liste."
        )
    if request.POST.get("action") == "unlink":
        services.product_unlink_indicator(
            product=product_row, indicator=indicator, actor=request.user
        )
        messages.success(request, "Der Indikator ist nicht mehr mit dem Produkt verknüpft.")
    else:
        services.product_link_indicator(
            product=product_row, indicator=indicator, actor=request.user
        )
        messages.success(request, "Der Indikator ist mit dem Produkt verknüpft.")
    return _back(product_row, "indikatoren")


@login_required
def product_initiatives(request: Request, pk: int) -> HttpResponse:
    """Link a Vorhaben with its budget of a year, or unlink it (`action=unlink`)."""
    product_row = _product_for_change(request, pk)  # first: a foreign id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    municipality = request.municipality
    if request.POST.get("action") == "unlink":
        initiative = (
            Initiative.objects.for_municipality(municipality)
            .filter(pk=_int(request.POST.get("initiative")))
            .first()
        )
        if initiative is None:
            return _refuse(request, product_row, "vorhaben", "Dieses Vorhaben gibt es nicht.")
        services.product_initiative_unlink(
            product=product_row, initiative=initiative, actor=request.user
        )
        messages.success(request, f"„{initiative}“ ist nicht mehr mit dem Produkt verknüpft.")
        return _back(product_row, "vorhaben")
    initiatives = list(Initiative.objects.for_municipality(municipality).order_by("number"))
    form = InitiativeBudgetForm(request.POST, initiatives=initiatives)
    if not form.is_valid():
        problems = _problems(form)
        return _refuse(
            request, product_row, "vorhaben", f"Nichts gespeichert. Bitte prüfen: {problems}"
        )
    initiative = next(i for i in initiatives if i.pk == form.cleaned_data["initiative"])
    services.product_initiative_budget_set(
        product=product_row,
        initiative=initiative,
        actor=request.user,
        year=form.cleaned_data.get("year"),
        planned_eur=form.cleaned_data.get("planned_eur"),
        spent_eur=form.cleaned_data.get("spent_eur"),
    )
    messages.success(request, f"„{initiative}“ ist mit dem Produkt verknüpft.")
    return _back(product_row, "vorhaben")


@login_required
def key_figure_create(request: Request, pk: int) -> HttpResponse:
    product_row = _product_for_change(request, pk)

    def create(*, actor: Any, values: dict[str, Any]) -> KeyFigure:
        return services.key_figure_create(product=product_row, actor=actor, values=values)

    return create_page(
        request,
        form_class=KeyFigureForm,
        create=create,
        title=f"Neue Kennzahl für {product_row}",
        crumbs=_crumbs(product_row),
        back_url=reverse("budget:product", args=[product_row.pk]),
        success_url=lambda figure: (
            reverse("budget:product", args=[product_row.pk]) + f"#kennzahl-{figure.pk}"
        ),
    )


def _key_figure(request: Request, pk: int) -> KeyFigure:
    figure = scoped_get(request, KeyFigure, pk, "product__budget_area")
    require(request, CHANGE, figure)
    return figure


@login_required
def key_figure_edit(request: Request, pk: int) -> HttpResponse:
    figure = _key_figure(request, pk)
    return edit_page(
        request,
        obj=figure,
        form_class=KeyFigureForm,
        update=lambda **kw: services.key_figure_update(key_figure=figure, **kw),
        title=f"Kennzahl bearbeiten: {figure}",
        crumbs=_crumbs(figure.product),
        success_url=reverse("budget:product", args=[figure.product_id]) + f"#kennzahl-{figure.pk}",
    )


@login_required
def key_figure_values(request: Request, pk: int) -> HttpResponse:
    """Set or clear one actual, plan or target value of a key figure."""
    figure = _key_figure(request, pk)  # first: a foreign id is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = KeyFigureValueForm(request.POST)
    anchor = f"kennzahl-{figure.pk}"
    if not form.is_valid():
        problems = _problems(form)
        return _refuse(
            request, figure.product, anchor, f"Nichts gespeichert. Bitte prüfen: {problems}"
        )
    try:
        services.key_figure_value_set(
            key_figure=figure,
            actor=request.user,
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            value=form.cleaned_data["value"],
        )
    except ValidationError as error:
        return _refuse(request, figure.product, anchor, " ".join(error.messages))
    messages.success(request, f"Der Wert von „{figure.name}“ ist gespeichert.")
    return _back(figure.product, anchor)
