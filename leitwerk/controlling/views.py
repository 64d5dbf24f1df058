"""Thin views of the controlling cockpit: parse input, call a selector or service, render."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from leitwerk.core.access import require_visible
from leitwerk.core.editing import ConflictError
from leitwerk.core.fragments import cached_fragment, render_fragment
from leitwerk.core.notices import notice_done as notice_done_service
from leitwerk.core.notices import notice_get, notices_open_for
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.plans.forms import StatusReportForm
from leitwerk.plans.models import Initiative
from leitwerk.plans.selectors import access_indicator, access_initiative, access_plan

from . import bulk, selectors, services
from . import search as search_module
from .forms import (
    AlignmentPickForm,
    BulkUploadForm,
    CommentForm,
    DashboardFilterForm,
    MakeMeasurableForm,
    SearchForm,
)
from .rows import all_initiative_rows_html

BULK_SESSION_KEY = "controlling_bulk_preview"


def _apply_form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


OVERVIEW_PAGE_SIZE = 200
STALE_SHOWN = 100


@login_required
def overview(request):
    """The early-warning dashboard. Its content is kept per change and per person (the
    "messbar machen" links follow the person's rights), see core.fragments."""
    require_visible(request.user, "controlling.view_dashboard", request.municipality)
    content = cached_fragment(
        request,
        name="controlling-overview",
        municipality_ids=[request.municipality.pk],
        variant=("person", request.user.pk),
        build=lambda: render_fragment(
            request, "controlling/_overview_content.html", _overview_context(request)
        ),
    )
    return render(request, "controlling/overview.html", {"content": content})


def _overview_context(request) -> dict:
    form = DashboardFilterForm(request.GET or None, municipality=request.municipality)
    plan = unit = None
    drafts = False
    if form.is_bound and form.is_valid():
        plan, unit = form.cleaned_data["plan"], form.cleaned_data["unit"]
        drafts = form.cleaned_data["drafts"]
    dashboard = selectors.dashboard_for_user(
        user=request.user,
        municipality=request.municipality,
        plan_id=plan.pk if plan else None,
        unit_id=unit.pk if unit else None,
        include_drafts=drafts,
    )
    # A very large plan (audit 2, L2): the list of all Vorhaben goes page by page and the
    # list without a current report names the first ones; the figures count all of them.
    all_page = Paginator(dashboard.initiatives, OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    query = request.GET.copy()
    query.pop("seite", None)
    return {
        "dashboard": dashboard,
        "form": form,
        "plan": plan,
        "unit": unit,
        "drafts": drafts,
        "all_page": all_page,
        "all_rows": all_initiative_rows_html(all_page),
        "page_query": query.urlencode(),
        "stale_shown": dashboard.stale[:STALE_SHOWN],
        "stale_more": max(0, len(dashboard.stale) - STALE_SHOWN),
    }


@dataclass
class _DueCard(selectors.DueItem):
    """What is due from the person for one Vorhaben, with the page's quick report form."""

    form: StatusReportForm | None = None


@login_required
def my_updates(request):
    back_here = {"next": reverse("controlling:my_updates")}
    items = [
        # Each Vorhaben's form gets its own ids; all post to the one status-report page.
        _DueCard(
            **{f.name: getattr(item, f.name) for f in fields(item)},
            form=StatusReportForm(auto_id=f"r{item.initiative.pk}-%s", initial=back_here),
        )
        for item in selectors.my_updates_for_user(
            user=request.user, municipality=request.municipality
        )
    ]
    return render(
        request,
        "controlling/my_updates.html",
        {
            "items": items,
            "feedback_requests": selectors.feedback_requests_for_user(
                user=request.user, municipality=request.municipality
            ),
            "notices": notices_open_for(user=request.user, municipality=request.municipality),
            "today": timezone.localdate(),
        },
    )


@login_required
def notice_done(request, pk: int):
    notice_get(user=request.user, municipality=request.municipality, pk=pk)  # 404 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notice_done_service(user=request.user, municipality=request.municipality, pk=pk)
    return redirect("controlling:my_updates")


@login_required
def comments(request, pk: int):
    initiative = access_initiative(user=request.user, municipality=request.municipality, pk=pk)
    may_comment = request.user.has_perm("controlling.comment", initiative)
    form = None
    if may_comment:
        form = CommentForm(
            request.POST or None, municipality=request.municipality, exclude_user=request.user
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.comment_create(
                    initiative=initiative,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    feedback_from=form.cleaned_data["feedback_from"],
                )
            except ValidationError as error:
                _apply_form_errors(form, error)
            else:
                asked = len(form.cleaned_data["feedback_from"])
                messages.success(
                    request,
                    "Ihr Kommentar ist gespeichert."
                    + (f" {asked} Person(en) um Rückmeldung gebeten." if asked else ""),
                )
                return redirect("controlling:comments", pk=pk)
    return render(
        request,
        "controlling/comments.html",
        {
            "initiative": initiative,
            "comments": selectors.comments_for_initiative(initiative=initiative),
            "form": form,
        },
    )


@login_required
def alignment(request):
    documents = list(GuidelineDocument.objects.for_municipality(request.municipality))
    document_id = request.GET.get("leitbild")
    document = next((d for d in documents if str(d.pk) == document_id), None)
    view = (
        "ziele"
        if request.GET.get("sicht") == "ziele"
        else ("vorhaben" if request.GET.get("sicht") == "vorhaben" else "aussagen")
    )
    matrix = selectors.alignment_for_user(
        user=request.user,
        municipality=request.municipality,
        document_id=document.pk if document else None,
    )
    may_goals = matrix.may_change_goals
    editable_initiatives = [i for i in matrix.initiatives if i.may_change]
    return render(
        request,
        "controlling/alignment.html",
        {
            "matrix": matrix,
            "documents": documents,
            "document": document,
            "view": view,
            "may_goals": may_goals,
            "editable_initiatives": editable_initiatives,
        },
    )


def _int_or_404(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404


@login_required
def alignment_change(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    municipality = request.municipality
    if not municipality:
        raise Http404
    statement = (
        Statement.objects.for_municipality(municipality)
        .filter(pk=_int_or_404(request.POST.get("statement")))
        .first()
    )
    if statement is None:
        raise Http404
    target_kind = request.POST.get("target")
    target_id = _int_or_404(request.POST.get("target_id"))
    initiative = goal = None
    if target_kind == "initiative":
        initiative = (
            Initiative.objects.for_municipality(municipality)
            .select_related("action_field__plan")
            .filter(pk=target_id)
            .first()
        )
        if initiative is None:
            raise Http404
        if not request.user.has_perm("plans.change_initiative", initiative):
            raise PermissionDenied
        name = f"Vorhaben „{initiative.title}“"
    elif target_kind == "goal":
        goal = Goal.objects.for_municipality(municipality).filter(pk=target_id).first()
        if goal is None:
            raise Http404
        if not request.user.has_perm("goals.change_goal", goal):
            raise PermissionDenied
        name = f"Ziel „{goal.title}“"
    else:
        raise Http404
    link = request.POST.get("action") == "link"
    service = services.alignment_link if link else services.alignment_unlink
    service(statement=statement, actor=request.user, initiative=initiative, goal=goal)
    messages.success(
        request,
        f"{name} ist jetzt mit der Aussage verknüpft."
        if link
        else f"Die Verknüpfung von {name} mit der Aussage ist aufgehoben.",
    )
    next_url = request.POST.get("next", "")
    if not next_url.startswith(reverse("controlling:alignment")):
        next_url = reverse("controlling:alignment")
    return redirect(next_url)


PICK_KINDS = {"vorhaben": "initiative", "ziele": "goal"}


@login_required
def alignment_pick(request, pk: int, kind: str):
    """Link one statement to Vorhaben or goals from one grouped list (the matrix page links
    here instead of carrying two full selects per statement)."""
    if kind not in PICK_KINDS:
        raise Http404
    pick = selectors.alignment_pick_for_user(
        user=request.user,
        municipality=request.municipality,
        statement_pk=pk,
        kind=PICK_KINDS[kind],
    )
    form = AlignmentPickForm(request.POST or None, pick=pick)
    if request.method == "POST" and form.is_valid():
        linked, unlinked = services.alignment_set(
            statement=pick.statement,
            actor=request.user,
            candidates=pick.candidates,
            chosen=form.cleaned_data["targets"],
        )
        messages.success(request, f"Gespeichert: {linked} verknüpft, {unlinked} gelöst.")
        return redirect(f"{reverse('controlling:alignment')}#aussage-{pick.statement.pk}")
    return render(
        request,
        "controlling/alignment_pick.html",
        {"pick": pick, "form": form, "kind": kind},
        status=400 if form.errors else 200,
    )


@login_required
def make_measurable(request, pk: int):
    indicator = access_indicator(user=request.user, municipality=request.municipality, pk=pk)
    owner = indicator.initiative if indicator.initiative_id else indicator.goal
    perm = "plans.change_initiative" if indicator.initiative_id else "goals.change_goal"
    if not request.user.has_perm(perm, owner):
        raise PermissionDenied
    initial = {
        "expected_version": indicator.version,
        "title": indicator.title,
        "kind": indicator.kind if indicator.kind != "qualitative" else None,
        "unit": indicator.unit,
        "baseline": indicator.baseline,
        "baseline_date": indicator.baseline_date or timezone.localdate(),
        "target": indicator.target,
        "target_date": indicator.target_date,
        "direction": indicator.direction,
        "checklist": "\n".join(
            str(item.get("text", ""))
            for item in indicator.checklist or []
            if isinstance(item, dict)
        ),
    }
    form = MakeMeasurableForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_make_measurable(
                indicator=indicator,
                actor=request.user,
                expected_version=data["expected_version"],
                kind=data["kind"],
                title=data["title"],
                unit=data["unit"],
                baseline=data["baseline"],
                baseline_date=data["baseline_date"],
                target=data["target"],
                target_date=data["target_date"],
                direction=data["direction"],
                checklist=form.checklist_items(),
            )
        except ConflictError as error:
            conflict = error.current
        except ValidationError as error:
            _apply_form_errors(form, error)
        else:
            messages.success(request, "Geschafft: Der Indikator ist jetzt messbar.")
            if indicator.initiative_id:
                return redirect("plans:initiative_detail", pk=indicator.initiative_id)
            return redirect("goals:goal_detail", pk=indicator.goal_id)
    return render(
        request,
        "controlling/make_measurable.html",
        {"indicator": indicator, "owner": owner, "form": form, "conflict": conflict},
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


@login_required
def search(request):
    if not request.municipality or not request.user.has_perm(
        "controlling.view_dashboard", request.municipality
    ):
        raise Http404
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    hits = search_module.search(municipality=request.municipality, query=query) if query else []
    groups: dict[str, list[Any]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return render(
        request,
        "controlling/search.html",
        {
            "form": form,
            "query": query,
            "groups": groups,
            "count": len(hits),
            "engine": "PostgreSQL" if connection.vendor == "postgresql" else "einfach",
        },
    )


def _bulk_plan(request, pk: int) -> Any:
    return access_plan(
        user=request.user, municipality=request.municipality, pk=pk, perm="controlling.bulk_update"
    )


@login_required
def bulk_download(request, pk: int):
    plan = _bulk_plan(request, pk)
    initiatives, indicators = selectors.bulk_export_rows(plan=plan)
    data = bulk.export_plan(plan=plan, initiatives=initiatives, indicators=indicators)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"sammelpflege-plan-{plan.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _mark_forbidden_rows(user: Any, preview: bulk.Preview, plan: Any) -> None:
    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(
            pk__in=[c.initiative_id for c in preview.initiatives]
            + [m.initiative_id for m in preview.measurements],
            municipality_id=plan.municipality_id,
        )
        .select_related("action_field__plan")
        .prefetch_related("responsible_people")
    }
    for change in preview.initiatives:
        initiative = initiatives[change.initiative_id]
        if change.status and not user.has_perm("plans.change_initiative", initiative):
            change.error = "Sie dürfen den Status dieses Vorhabens nicht ändern."
        elif change.report and not user.has_perm("plans.record_progress", initiative):
            change.error = "Sie dürfen für dieses Vorhaben keinen Sachstand melden."
    for m in preview.measurements:
        target = initiatives.get(m.initiative_id)
        if target is None or not user.has_perm("plans.record_progress", target):
            m.error = "Sie dürfen für dieses Vorhaben keine Werte erfassen."


@login_required
def bulk_update(request, pk: int):
    plan = _bulk_plan(request, pk)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = bulk.read_upload(
                data=form.cleaned_data["file"].read(), plan=plan, today=timezone.localdate()
            )
        except bulk.BulkFileError as error:
            form.add_error("file", str(error))
        else:
            _mark_forbidden_rows(request.user, preview, plan)
            request.session[BULK_SESSION_KEY] = {"plan": plan.pk, "preview": preview.to_json()}
    return render(
        request,
        "controlling/bulk_update.html",
        {"plan": plan, "form": form, "preview": preview},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def bulk_confirm(request, pk: int):
    plan = _bulk_plan(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    stored = request.session.get(BULK_SESSION_KEY)
    if not stored or stored.get("plan") != plan.pk:
        messages.error(request, "Es liegt keine Vorschau vor. Bitte die Datei erneut hochladen.")
        return redirect("controlling:bulk_update", pk=plan.pk)
    preview = bulk.Preview.from_json(stored["preview"])
    try:
        counts = services.bulk_update_apply(plan=plan, actor=request.user, preview=preview)
    except services.BulkConflict as error:
        messages.error(
            request,
            f"Nichts wurde übernommen: {error} Bitte die Datei neu herunterladen und erneut "
            "bearbeiten.",
        )
        return redirect("controlling:bulk_update", pk=plan.pk)
    finally:
        request.session.pop(BULK_SESSION_KEY, None)
    messages.success(
        request,
        f"Übernommen: {counts['status']} Statusänderung(en), {counts['reports']} "
        f"Sachstandsmeldung(en), {counts['measurements']} Messwert(e).",
    )
    return redirect("plans:detail", pk=plan.pk)
