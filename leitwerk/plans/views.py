"""Pages of the action plan: reading, editing, the Vorhaben profile, history and attachments.

The editing pages are the kernel's (`leitwerk/core/pages.py`); the views here are thin
wrappers that name the row, the permission and the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require, scoped_get
from leitwerk.core.editing import ConflictError
from leitwerk.core.fragments import cached_fragment, render_fragment
from leitwerk.core.pages import (
    Crumbs,
    add_errors,
    create_page,
    delete_page,
    display_value,
    edit_page,
    form_page,
)
from leitwerk.goals import selectors as goal_selectors
from leitwerk.goals.models import Goal

from . import forms, selectors, services
from .charts import gantt, gantt_rows_html
from .models import (
    ActionField,
    ActionPlan,
    Attachment,
    Indicator,
    Initiative,
    Measurement,
    Milestone,
    SubInitiative,
    TransferCity,
)
from .rows import initiative_rows_html

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest


def _split(values: dict[str, Any], key: str) -> tuple[Any, dict[str, Any]]:
    rest = dict(values)
    return rest.pop(key), rest


# --- reading pages --------------------------------------------------------------------------


@login_required
def home(request: Request) -> HttpResponse:
    """The workspace start page: how the municipality's adopted action plans stand.

    Drafts are not shown here (council members read this page); those who edit plans see
    how many drafts there are, with a link to the plan list.
    """
    municipality = request.municipality
    drafts = 0
    if municipality and request.user.has_perm("plans.change_plan", municipality):
        drafts = selectors.draft_plan_count(user=request.user, municipality=municipality)
    if not municipality:
        return render(request, "plans/home.html", {"drafts": drafts})
    # The roll-up reads every Vorhaben of the town (audit 2, L2: 30,000 made the start page
    # take seconds): computed once per change and day, then kept like the plan page; the
    # cards are the same for everyone who may read plans.
    may_read = request.user.has_perm("plans.view_plan", municipality)
    content = cached_fragment(
        request,
        name="home",
        municipality_ids=[municipality.pk],
        variant=(may_read, bool(drafts)),
        build=lambda: render_fragment(
            request,
            "plans/_home_plans.html",
            {
                "plans": selectors.plan_list_for_user(
                    user=request.user, municipality=municipality, include_drafts=False
                ),
                "drafts": drafts,
            },
        ),
    )
    return render(request, "plans/home.html", {"content": content, "drafts": drafts})


@login_required
def plan_list(request: Request) -> HttpResponse:
    plans = selectors.plan_list_for_user(user=request.user, municipality=request.municipality)
    may_create = bool(request.municipality) and request.user.has_perm(
        "plans.change_plan", request.municipality
    )
    return render(request, "plans/plan_list.html", {"plans": plans, "may_create": may_create})


PLAN_PAGE_SIZE = 200


@login_required
def plan_detail(request: Request, pk: int) -> HttpResponse:
    """The plan with filters (unit, status, health) and a Gantt-style timeline of milestones.

    The content is the same for everyone with the same rights: rendered once per change
    and kept (core.fragments); the access check and the rights stay per request."""
    plan = selectors.access_plan(user=request.user, municipality=request.municipality, pk=pk)
    may_edit = request.user.has_perm("plans.change_plan", plan)
    may_release = request.user.has_perm("plans.release_plan", plan)
    content = cached_fragment(
        request,
        name=f"plan:{plan.pk}",
        municipality_ids=[plan.municipality_id],
        variant=(may_edit, may_release),
        build=lambda: render_fragment(
            request,
            "plans/_plan_detail_content.html",
            _plan_content(request, pk, may_edit=may_edit, may_release=may_release),
        ),
    )
    return render(request, "plans/plan_detail.html", {"plan": plan, "content": content})


def _plan_content(request: Request, pk: int, *, may_edit: bool, may_release: bool) -> dict:
    today = timezone.localdate()
    page = selectors.plan_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk, today=today
    )
    plan = page.plan
    filters = forms.PlanFilterForm(request.GET or None, municipality=request.municipality)
    milestones = selectors.plan_milestones_by_initiative(
        plan=plan, municipality=request.municipality
    )
    sections = [
        (section, [row for row in section.rows if filters.matches(row)])
        for section in page.sections
    ]
    visible = [row for _section, rows in sections for row in rows]
    shown = len(visible)
    # A very large plan (audit 2, L2) is shown PLAN_PAGE_SIZE Vorhaben at a time; the
    # figures of the plan and its fields above still count all of them.
    pager = Paginator(visible, PLAN_PAGE_SIZE).get_page(request.GET.get("seite"))
    if pager.paginator.num_pages > 1:
        on_page = {row.initiative.pk for row in pager.object_list}
        sections = [
            (section, kept)
            for section, rows in sections
            if (kept := [row for row in rows if row.initiative.pk in on_page])
        ]
        visible = list(pager.object_list)
    query = request.GET.copy()
    query.pop("seite", None)
    rows = [
        (
            row,
            row.initiative.start_date,
            row.initiative.end_date,
            milestones.get(row.initiative.pk, []),
        )
        for row in visible
    ]
    dates = [d for _i, begin, finish, _m in rows for d in (begin, finish) if d]
    start = plan.period_start or (min(dates) if dates else None)
    end = plan.period_end or (max(dates) if dates else None)
    timeline = gantt(rows=rows, start=start, end=end, today=today) if start and end else None
    return {
        "page": page,
        "plan": plan,
        "sections": [(section, rows, initiative_rows_html(rows)) for section, rows in sections],
        "may_edit": may_edit,
        "may_release": may_release,
        "release": selectors.plan_release_state(plan=plan, today=today, page=page),
        "filters": filters,
        "shown": shown,
        "timeline": timeline,
        "timeline_rows": gantt_rows_html(timeline) if timeline else "",
        "pager": pager,
        "page_query": query.urlencode(),
    }


@login_required
def initiative_detail(request: Request, pk: int) -> HttpResponse:
    """The Vorhaben profile. Its content is kept per change and per set of rights
    (core.fragments); the access check and the rights stay per request."""
    initiative = selectors.access_initiative(
        user=request.user, municipality=request.municipality, pk=pk
    )
    user = request.user
    rights = {
        "may_edit": user.has_perm("plans.change_initiative", initiative),
        "may_report": user.has_perm("plans.record_progress", initiative),
        "may_delete": user.has_perm("plans.delete_initiative", initiative),
        "may_release": user.has_perm("plans.release_initiative", initiative),
    }

    def build() -> str:
        page = selectors.initiative_profile_for_user(
            user=request.user, municipality=request.municipality, pk=pk
        )
        context = {
            "page": page,
            "initiative": page.initiative,
            **rights,
            "release": selectors.initiative_release_state(initiative=page.initiative, page=page),
            "done_form_today": timezone.localdate(),
        }
        return render_fragment(request, "plans/_initiative_detail_content.html", context)

    content = cached_fragment(
        request,
        name=f"initiative:{initiative.pk}",
        municipality_ids=[initiative.municipality_id],
        variant=tuple(sorted(rights.items())),
        build=build,
    )
    return render(
        request,
        "plans/initiative_detail.html",
        {"initiative": initiative, "content": content, **rights},
    )


# --- Freigabe für das Portal ----------------------------------------------------------------


@login_required
def plan_release(request: Request, pk: int) -> HttpResponse:
    """Release the plan with all its public Vorhaben to the portal (POST, a plain form)."""
    plan = selectors.access_plan(
        user=request.user, municipality=request.municipality, pk=pk, perm="plans.release_plan"
    )
    # Looked up first, so a foreign id answers 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = services.plan_release(plan=plan, actor=request.user)
    count = len(row.data["initiatives"])
    messages.success(
        request,
        f"Freigegeben: Das Portal zeigt jetzt diesen Stand des Plans ({count} Vorhaben)."
        if count
        else "Freigegeben: Der Plan ist nicht öffentlich und erscheint nicht im Portal.",
    )
    return redirect(reverse("plans:detail", args=[plan.pk]) + "#freigabe")


@login_required
def initiative_release(request: Request, pk: int) -> HttpResponse:
    """Release one Vorhaben to the portal; the plan's other Vorhaben stay as released."""
    initiative = _initiative_for_edit(request, pk, "plans.release_initiative")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = services.initiative_release(initiative=initiative, actor=request.user)
    shown = any(e["id"] == initiative.pk for e in row.data["initiatives"])
    messages.success(
        request,
        "Freigegeben: Das Portal zeigt jetzt diesen Stand des Vorhabens."
        if shown
        else "Freigegeben: Das Vorhaben ist nicht öffentlich und erscheint nicht im Portal.",
    )
    return redirect(reverse("plans:initiative_detail", args=[initiative.pk]) + "#freigabe")


# --- Aktionsplan und Aktionsfeld -------------------------------------------------------------


def _plan_crumbs(plan: ActionPlan | None = None) -> Crumbs:
    crumbs = [("Aktionspläne", reverse("plans:list"))]
    if plan is not None:
        crumbs.append((plan.title, reverse("plans:detail", args=[plan.pk])))
    return crumbs


def _initiative_crumbs(initiative: Initiative) -> Crumbs:
    return _plan_crumbs(initiative.action_field.plan) + [
        (str(initiative), reverse("plans:initiative_detail", args=[initiative.pk]))
    ]


@login_required
def plan_create(request: Request) -> HttpResponse:
    municipality = request.municipality
    if not municipality:
        raise Http404
    require(request, "plans.change_plan", municipality)

    def create(*, actor: Any, values: dict[str, Any]) -> ActionPlan:
        title, rest = _split(values, "title")
        return services.plan_create(
            municipality=municipality, actor=actor, title=title, values=rest
        )

    return create_page(
        request,
        form_class=forms.PlanForm,
        create=create,
        title="Neuen Aktionsplan anlegen",
        crumbs=_plan_crumbs(),
        back_url=reverse("plans:list"),
        success_url=lambda plan: reverse("plans:detail", args=[plan.pk]),
        form_kwargs={"municipality": municipality},
    )


@login_required
def plan_edit(request: Request, pk: int) -> HttpResponse:
    plan = scoped_get(request, ActionPlan, pk)
    require(request, "plans.change_plan", plan)
    return edit_page(
        request,
        obj=plan,
        form_class=forms.PlanForm,
        update=lambda **kw: services.plan_update(plan=plan, **kw),
        title=f"Aktionsplan bearbeiten: {plan.title}",
        crumbs=_plan_crumbs(plan),
        success_url=reverse("plans:detail", args=[plan.pk]),
        form_kwargs={"municipality": request.municipality},
    )


@login_required
def plan_delete(request: Request, pk: int) -> HttpResponse:
    plan = scoped_get(request, ActionPlan, pk)
    require(request, "plans.change_plan", plan)
    return delete_page(
        request,
        obj=plan,
        delete=lambda **kw: services.plan_delete(plan=plan, **kw),
        title=f"Aktionsplan löschen: {plan.title}",
        crumbs=_plan_crumbs(plan),
        back_url=reverse("plans:detail", args=[plan.pk]),
        success_url=reverse("plans:list"),
        consequence="Alle Aktionsfelder und Vorhaben dieses Plans werden mit gelöscht.",
    )


@login_required
def action_field_create(request: Request, pk: int) -> HttpResponse:
    plan = scoped_get(request, ActionPlan, pk)
    require(request, "plans.change_plan", plan)

    def create(*, actor: Any, values: dict[str, Any]) -> ActionField:
        title, rest = _split(values, "title")
        return services.action_field_create(plan=plan, actor=actor, title=title, values=rest)

    return create_page(
        request,
        form_class=forms.ActionFieldForm,
        create=create,
        title=f"Neues Aktionsfeld in „{plan.title}“",
        crumbs=_plan_crumbs(plan),
        back_url=reverse("plans:detail", args=[plan.pk]),
        success_url=lambda field: reverse("plans:detail", args=[plan.pk]) + f"#field-{field.pk}",
    )


@login_required
def action_field_edit(request: Request, pk: int) -> HttpResponse:
    field = scoped_get(request, ActionField, pk, "plan")
    require(request, "plans.change_plan", field.plan)
    return edit_page(
        request,
        obj=field,
        form_class=forms.ActionFieldForm,
        update=lambda **kw: services.action_field_update(action_field=field, **kw),
        title=f"Aktionsfeld bearbeiten: {field}",
        crumbs=_plan_crumbs(field.plan),
        success_url=reverse("plans:detail", args=[field.plan_id]) + f"#field-{field.pk}",
    )


@login_required
def action_field_delete(request: Request, pk: int) -> HttpResponse:
    field = scoped_get(request, ActionField, pk, "plan")
    require(request, "plans.change_plan", field.plan)
    return delete_page(
        request,
        obj=field,
        delete=lambda **kw: services.action_field_delete(action_field=field, **kw),
        title=f"Aktionsfeld löschen: {field}",
        crumbs=_plan_crumbs(field.plan),
        back_url=reverse("plans:detail", args=[field.plan_id]),
        success_url=reverse("plans:detail", args=[field.plan_id]),
        consequence="Alle Vorhaben dieses Aktionsfelds werden mit gelöscht.",
    )


# --- Vorhaben --------------------------------------------------------------------------------


@login_required
def initiative_create(request: Request, pk: int) -> HttpResponse:
    field = scoped_get(request, ActionField, pk, "plan")
    require(request, "plans.add_initiative", field)

    def create(*, actor: Any, values: dict[str, Any]) -> Initiative:
        title, rest = _split(values, "title")
        return services.initiative_create(action_field=field, actor=actor, title=title, values=rest)

    return create_page(
        request,
        form_class=forms.InitiativeForm,
        create=create,
        title=f"Neues Vorhaben im Aktionsfeld „{field}“",
        crumbs=_plan_crumbs(field.plan),
        back_url=reverse("plans:detail", args=[field.plan_id]),
        success_url=lambda initiative: reverse("plans:initiative_detail", args=[initiative.pk]),
        form_kwargs={"municipality": request.municipality},
        intro="Pflicht ist nur der Titel. Alles andere können Sie später ergänzen.",
    )


def _initiative_for_edit(request: Request, pk: int, perm: str = "plans.change_initiative") -> Any:
    return selectors.access_initiative(
        user=request.user, municipality=request.municipality, pk=pk, perm=perm
    )


@login_required
def initiative_edit(request: Request, pk: int) -> HttpResponse:
    initiative = _initiative_for_edit(request, pk)
    return edit_page(
        request,
        obj=initiative,
        form_class=forms.InitiativeForm,
        update=lambda **kw: services.initiative_update(initiative=initiative, **kw),
        title=f"Vorhaben bearbeiten: {initiative}",
        crumbs=_initiative_crumbs(initiative),
        success_url=reverse("plans:initiative_detail", args=[initiative.pk]),
        form_kwargs={
            "municipality": request.municipality,
            "may_steer": request.user.has_perm("plans.steer_initiative", initiative),
        },
    )


@login_required
def initiative_delete(request: Request, pk: int) -> HttpResponse:
    initiative = _initiative_for_edit(request, pk, "plans.delete_initiative")
    return delete_page(
        request,
        obj=initiative,
        delete=lambda **kw: services.initiative_delete(initiative=initiative, **kw),
        title=f"Vorhaben löschen: {initiative}",
        crumbs=_initiative_crumbs(initiative),
        back_url=reverse("plans:initiative_detail", args=[initiative.pk]),
        success_url=reverse("plans:detail", args=[initiative.action_field.plan_id]),
        consequence="Meilensteine, Indikatoren, Messwerte, Sachstände und Anhänge werden mit "
        "gelöscht.",
    )


# --- parts of a Vorhaben ---------------------------------------------------------------------

# kind → (model, form, service prefix, service keyword, German name, title field)
_PARTS: dict[str, tuple[Any, Any, str, str, str, str]] = {
    "sub_initiative": (
        SubInitiative,
        forms.SubInitiativeForm,
        "sub_initiative",
        "sub_initiative",
        "Teilvorhaben / Umsetzungsidee",
        "text",
    ),
    "milestone": (
        Milestone,
        forms.MilestoneForm,
        "milestone",
        "milestone",
        "Meilenstein",
        "title",
    ),
    "indicator": (
        Indicator,
        forms.IndicatorForm,
        "indicator",
        "indicator",
        "Indikator",
        "title",
    ),
    "transfer_city": (
        TransferCity,
        forms.TransferCityForm,
        "transfer_city",
        "transfer_city",
        "Transferkommune",
        "name",
    ),
}


def _part_create(request: Request, pk: int, kind: str) -> HttpResponse:
    _model, form_class, prefix, _kw, label, title_field = _PARTS[kind]
    initiative = _initiative_for_edit(request, pk)
    service = getattr(services, f"{prefix}_create")
    back = reverse("plans:initiative_detail", args=[initiative.pk])

    def create(*, actor: Any, values: dict[str, Any]) -> Any:
        first, rest = _split(values, title_field)
        return service(initiative=initiative, actor=actor, values=rest, **{title_field: first})

    return create_page(
        request,
        form_class=form_class,
        create=create,
        title=f"{label} hinzufügen",
        crumbs=_initiative_crumbs(initiative),
        back_url=back,
        success_url=lambda _row: back,
    )


def _part_get(request: Request, pk: int, kind: str) -> Any:
    model = _PARTS[kind][0]
    row = scoped_get(request, model, pk, "initiative__action_field__plan")
    require(request, "plans.change_initiative", row.initiative)
    return row


def _part_edit(request: Request, pk: int, kind: str) -> HttpResponse:
    _model, form_class, prefix, keyword, label, _title = _PARTS[kind]
    row = _part_get(request, pk, kind)
    service = getattr(services, f"{prefix}_update")
    return edit_page(
        request,
        obj=row,
        form_class=form_class,
        update=lambda **kw: service(**{keyword: row}, **kw),
        title=f"{label} bearbeiten",
        crumbs=_initiative_crumbs(row.initiative),
        success_url=reverse("plans:initiative_detail", args=[row.initiative_id]),
        delete_url=reverse(f"plans:{kind}_delete", args=[row.pk]),
    )


def _part_delete(request: Request, pk: int, kind: str) -> HttpResponse:
    _model, _form, prefix, keyword, label, _title = _PARTS[kind]
    row = _part_get(request, pk, kind)
    service = getattr(services, f"{prefix}_delete")
    back = reverse("plans:initiative_detail", args=[row.initiative_id])
    return delete_page(
        request,
        obj=row,
        delete=lambda **kw: service(**{keyword: row}, **kw),
        title=f"{label} löschen",
        crumbs=_initiative_crumbs(row.initiative),
        back_url=back,
        success_url=back,
    )


@login_required
def sub_initiative_create(request: Request, pk: int) -> HttpResponse:
    return _part_create(request, pk, "sub_initiative")


@login_required
def sub_initiative_edit(request: Request, pk: int) -> HttpResponse:
    return _part_edit(request, pk, "sub_initiative")


@login_required
def sub_initiative_delete(request: Request, pk: int) -> HttpResponse:
    return _part_delete(request, pk, "sub_initiative")


@login_required
def milestone_create(request: Request, pk: int) -> HttpResponse:
    return _part_create(request, pk, "milestone")


@login_required
def milestone_edit(request: Request, pk: int) -> HttpResponse:
    return _part_edit(request, pk, "milestone")


@login_required
def milestone_delete(request: Request, pk: int) -> HttpResponse:
    return _part_delete(request, pk, "milestone")


@login_required
def indicator_create(request: Request, pk: int) -> HttpResponse:
    return _part_create(request, pk, "indicator")


# --- indicators of either owner (Vorhaben or goal) -------------------------------------------


def _goal_crumbs(goal: Goal) -> Crumbs:
    return [
        ("Ziele", reverse("goals:list")),
        (str(goal.goal_field), reverse("goals:field_detail", args=[goal.goal_field_id])),
        (str(goal), reverse("goals:goal_detail", args=[goal.pk])),
    ]


def _owner_page(indicator: Indicator) -> tuple[Crumbs, str]:
    """Breadcrumbs and the page of the indicator's owner (Vorhaben profile or goal scorecard)."""
    if indicator.initiative is not None:
        back = reverse("plans:initiative_detail", args=[indicator.initiative_id])
        return _initiative_crumbs(indicator.initiative), back
    assert indicator.goal is not None  # the database constraint: exactly one owner
    return _goal_crumbs(indicator.goal), reverse("goals:goal_detail", args=[indicator.goal_id])


def _indicator_for(request: Request, pk: int, perm: str) -> Indicator:
    return selectors.access_indicator(
        user=request.user, municipality=request.municipality, pk=pk, perm=perm
    )


@login_required
def goal_indicator_create(request: Request, pk: int) -> HttpResponse:
    """ "Kennzahl hinzufügen" on a goal: the same form and service as for a Vorhaben."""
    goal = goal_selectors.access_goal(
        user=request.user, municipality=request.municipality, pk=pk, perm="goals.change_goal"
    )
    back = reverse("goals:goal_detail", args=[goal.pk])

    def create(*, actor: Any, values: dict[str, Any]) -> Indicator:
        title, rest = _split(values, "title")
        return services.indicator_create(goal=goal, actor=actor, title=title, values=rest)

    return create_page(
        request,
        form_class=forms.IndicatorForm,
        create=create,
        title=f"Kennzahl hinzufügen: {goal}",
        crumbs=_goal_crumbs(goal),
        back_url=back,
        success_url=lambda indicator: back + f"#indicator-{indicator.pk}",
    )


@login_required
def indicator_edit(request: Request, pk: int) -> HttpResponse:
    indicator = _indicator_for(request, pk, "plans.change_indicator")
    crumbs, back = _owner_page(indicator)
    return edit_page(
        request,
        obj=indicator,
        form_class=forms.IndicatorForm,
        update=lambda **kw: services.indicator_update(indicator=indicator, **kw),
        title="Indikator bearbeiten",
        crumbs=crumbs,
        success_url=back + f"#indicator-{indicator.pk}",
        delete_url=reverse("plans:indicator_delete", args=[indicator.pk]),
    )


@login_required
def indicator_delete(request: Request, pk: int) -> HttpResponse:
    indicator = _indicator_for(request, pk, "plans.change_indicator")
    crumbs, back = _owner_page(indicator)
    return delete_page(
        request,
        obj=indicator,
        delete=lambda **kw: services.indicator_delete(indicator=indicator, **kw),
        title="Indikator löschen",
        crumbs=crumbs,
        back_url=back,
        success_url=back,
        consequence="Messwerte dieses Indikators werden mit gelöscht.",
    )


@login_required
def transfer_city_create(request: Request, pk: int) -> HttpResponse:
    return _part_create(request, pk, "transfer_city")


@login_required
def transfer_city_edit(request: Request, pk: int) -> HttpResponse:
    return _part_edit(request, pk, "transfer_city")


@login_required
def transfer_city_delete(request: Request, pk: int) -> HttpResponse:
    return _part_delete(request, pk, "transfer_city")


@login_required
def milestone_complete(request: Request, pk: int) -> HttpResponse:
    """Mark a milestone as reached. With htmx: the new table row; without: back to the profile."""
    milestone = _part_get(request, pk, "milestone")
    # Looked up first, so a foreign id answers 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.MilestoneDoneForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            milestone = services.milestone_complete(
                milestone=milestone,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                done_on=form.cleaned_data["done_on"] or timezone.localdate(),
            )
            notice = "Der Meilenstein ist als erreicht gespeichert."
        except ConflictError as error:
            milestone = error.current
            notice = (
                "Jemand anderes hat diesen Meilenstein inzwischen geändert. "
                "Hier sehen Sie den aktuellen Stand."
            )
        except ValidationError as error:
            notice = " ".join(error.messages)
    else:
        notice = "Das Datum ist ungültig."
    if request.htmx:
        return render(
            request,
            "plans/_milestone_row.html",
            {
                "milestone": milestone,
                "overdue": milestone.is_overdue(timezone.localdate()),
                "may_edit": True,
                "notice": notice,
            },
        )
    messages.info(request, notice)
    return redirect(
        reverse("plans:initiative_detail", args=[milestone.initiative_id])
        + f"#milestone-{milestone.pk}"
    )


# --- Messwerte, Sachstand, Anhänge -----------------------------------------------------------


def _simpleform_page(
    request: Request,
    *,
    form: Any,
    title: str,
    crumbs: Crumbs,
    back_url: str,
    submit_label: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return form_page(
        request,
        form=form,
        title=title,
        crumbs=crumbs,
        back_url=back_url,
        submit_label=submit_label,
        intro=intro,
        multipart=multipart,
    )


@login_required
def measurement_create(request: Request, pk: int) -> HttpResponse:
    """Record a value of an indicator of a Vorhaben or of a goal."""
    indicator = _indicator_for(request, pk, "plans.record_measurement")
    crumbs, back = _owner_page(indicator)
    form = forms.MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_record(
                indicator=indicator, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Der Messwert ist gespeichert.")
            return redirect(back + f"#indicator-{indicator.pk}")
    unit = f" ({indicator.unit})" if indicator.unit else ""
    return _simpleform_page(
        request,
        form=form,
        title=f"Messwert erfassen: {indicator}",
        crumbs=crumbs,
        back_url=back,
        submit_label="Messwert speichern",
        intro=f"Einheit{unit or ': keine angegeben'}. Ausgangswert "
        f"{display_value(Indicator, 'baseline', indicator.baseline)}, Zielwert "
        f"{display_value(Indicator, 'target', indicator.target)}.",
    )


def _measurement_for_change(request: Request, pk: int) -> Any:
    """A measurement of an indicator the person may record values for, else 404/403."""
    measurement = scoped_get(
        request, Measurement, pk, "indicator__initiative__action_field__plan", "indicator__goal"
    )
    require(request, "plans.record_measurement", measurement.indicator)
    return measurement


@login_required
def measurement_edit(request: Request, pk: int) -> HttpResponse:
    measurement = _measurement_for_change(request, pk)
    indicator = measurement.indicator
    crumbs, back = _owner_page(indicator)

    def update(**kwargs: Any) -> Any:
        return services.measurement_update(measurement=measurement, **kwargs)

    return edit_page(
        request,
        obj=measurement,
        form_class=forms.MeasurementEditForm,
        update=update,
        title=f"Messwert bearbeiten: {indicator}",
        crumbs=crumbs,
        success_url=back + f"#indicator-{indicator.pk}",
        delete_url=reverse("plans:measurement_delete", args=[measurement.pk]),
    )


@login_required
def measurement_delete(request: Request, pk: int) -> HttpResponse:
    measurement = _measurement_for_change(request, pk)
    indicator = measurement.indicator
    crumbs, back = _owner_page(indicator)
    return delete_page(
        request,
        obj=measurement,
        delete=lambda actor: services.measurement_delete(measurement=measurement, actor=actor),
        title=f"Messwert vom {date_format(measurement.measured_on, 'j. F Y')} löschen",
        crumbs=crumbs,
        back_url=back + f"#indicator-{indicator.pk}",
        success_url=back + f"#indicator-{indicator.pk}",
        consequence=f"Indikator: {indicator}. Fortschritt und Diagramm werden ohne diesen "
        "Wert neu berechnet; im Verlauf bleibt er sichtbar.",
    )


@login_required
def status_report_create(request: Request, pk: int) -> HttpResponse:
    """The one page to report a Vorhaben's status; "Meine Aktualisierungen" posts here too."""
    initiative = _initiative_for_edit(request, pk, "plans.record_progress")
    back = reverse("plans:initiative_detail", args=[initiative.pk])
    form = forms.StatusReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = dict(form.cleaned_data)
        next_url = report.pop("next")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = back
        try:
            services.status_report_submit(initiative=initiative, actor=request.user, **report)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Danke! Der Sachstand zu „{initiative.title}“ ist gemeldet.")
            return redirect(next_url)
    return _simpleform_page(
        request,
        form=form,
        title=f"Sachstand melden: {initiative}",
        crumbs=_initiative_crumbs(initiative),
        back_url=back,
        submit_label="Sachstand melden",
    )


@login_required
def attachment_create(request: Request, pk: int) -> HttpResponse:
    initiative = _initiative_for_edit(request, pk)
    back = reverse("plans:initiative_detail", args=[initiative.pk])
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                initiative=initiative, actor=request.user, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Die Datei ist hochgeladen.")
            return redirect(back + "#attachments")
    return _simpleform_page(
        request,
        form=form,
        title=f"Datei anhängen: {initiative}",
        crumbs=_initiative_crumbs(initiative),
        back_url=back,
        submit_label="Hochladen",
        multipart=True,
    )


@login_required
def attachment_download(request: Request, pk: int) -> HttpResponse:
    attachment = scoped_get(request, Attachment, pk)
    require(request, "plans.view_attachment", attachment)
    # Files are at most 10 MB, so one plain response is fine (and simpler to test than a stream).
    with attachment.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.original_name) or ""
    )
    # Never rendered inline: a crafted file must not run as a page of this site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_delete(request: Request, pk: int) -> HttpResponse:
    attachment = scoped_get(request, Attachment, pk, "initiative__action_field__plan")
    require(request, "plans.change_initiative", attachment.initiative)
    back = reverse("plans:initiative_detail", args=[attachment.initiative_id]) + "#attachments"
    return delete_page(
        request,
        obj=attachment,
        delete=lambda **kw: services.attachment_delete(attachment=attachment, **kw),
        title=f"Anhang löschen: {attachment}",
        crumbs=_initiative_crumbs(attachment.initiative),
        back_url=back,
        success_url=back,
    )


# --- Verlauf und Stand am Datum --------------------------------------------------------------


def _as_of_date(request: Request) -> tuple[forms.AsOfForm, dt.date | None]:
    form = forms.AsOfForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["day"]
    return form, None


@login_required
def initiative_history(request: Request, pk: int) -> HttpResponse:
    history = selectors.initiative_history_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    return render(
        request,
        "plans/initiative_history.html",
        {"initiative": history.initiative, "entries": history.entries},
    )


def _as_of_page(
    request: Request, template: str, read: Any, pk: int, stage: str = "plans"
) -> HttpResponse:
    form, day = _as_of_date(request)
    page = read(user=request.user, municipality=request.municipality, pk=pk, day=day)
    form.set_sessions(page.sessions)
    context = {"page": page, "then": page.then, "form": form, "lifecycle_stage": stage}
    return render(request, template, context)


@login_required
def initiative_as_of(request: Request, pk: int) -> HttpResponse:
    return _as_of_page(
        request, "plans/initiative_as_of.html", selectors.initiative_as_of_for_user, pk
    )


@login_required
def plan_as_of(request: Request, pk: int) -> HttpResponse:
    return _as_of_page(request, "plans/plan_as_of.html", selectors.plan_as_of_for_user, pk)


@login_required
def goal_as_of(request: Request, pk: int) -> HttpResponse:
    return _as_of_page(
        request, "plans/goal_as_of.html", selectors.goal_as_of_for_user, pk, stage="goals"
    )


@login_required
def plan_changes(request: Request, pk: int) -> HttpResponse:
    """ "Was hat sich seit der letzten Sitzung geändert?" (GET form; defaults to the last one)."""
    form = forms.ChangesForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["bis"]
    page = selectors.plan_changes_for_user(
        user=request.user, municipality=request.municipality, pk=pk, since=since, until=until
    )
    form.set_sessions(page.sessions)
    return render(
        request,
        "plans/plan_changes.html",
        {"page": page, "comparison": page.comparison, "form": form},
        status=400 if form.errors else 200,
    )
