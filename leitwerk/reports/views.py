from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from . import renderers, selectors, services
from .forms import BriefingBookForm, ReportCreateForm, ReportLookForm, ScheduleForm
from .models import ReportStatus
from .renderers import CONTENT_TYPES


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # Council papers may hold internal figures: never from a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_list(request):
    municipality = request.municipality
    reports = selectors.report_list_for_user(user=request.user, municipality=municipality)
    may_create = selectors.may_create_reports(user=request.user, municipality=municipality)
    form = None
    if may_create:
        if request.method == "POST":
            form = ReportCreateForm(request.POST, municipality=municipality)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    report = services.report_create(
                        plan=data["plan"],
                        fmt=data["fmt"],
                        as_of=data["as_of"],
                        actor=request.user,
                        title=data["title"],
                        climate_relevance=data["climate_relevance"],
                        decisions_requested=data["decisions_requested"],
                        vorlage=services.VorlageInput(
                            kind=data["kind"],
                            lead_unit=data["lead_unit"],
                            facts=data["facts"],
                            finance_text=data["finance_text"],
                            attachments=data["attachments"],
                            consultations=tuple(
                                services.ConsultationInput(**c) for c in form.consultations()
                            ),
                        ),
                        scope=data["scope"],
                        scope_field=data["scope_field"],
                        scope_unit=data["scope_unit"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, "Der Bericht wird erstellt.")
                    return redirect("reports:detail", pk=report.pk)
        else:
            plan = selectors.default_plan(municipality=municipality)
            form = ReportCreateForm(
                municipality=municipality, initial={"plan": plan.pk} if plan else None
            )
    elif request.method == "POST":
        raise Http404
    may_review_texts = request.user.has_perm("portal.review_readability", municipality)
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "form": form, "may_review_texts": may_review_texts},
    )


@login_required
def report_detail(request, pk: int):
    report = selectors.report_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    now = timezone.now()
    # A worker killed mid-report (L1): shown as broken off at once; the daily
    # `leitwerk sweep_reports` records it.
    abandoned = services.report_abandoned(report=report, now=now)
    no_worker = services.report_waiting_too_long(report=report, now=now)
    pending = not report.is_finished and not abandoned
    may_manage = selectors.may_create_reports(user=request.user, municipality=request.municipality)
    response = render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "pending": pending,
            "done": ReportStatus.DONE,
            "cancelled": report.status == ReportStatus.CANCELLED,
            "failed": abandoned or report.status == ReportStatus.FAILED,
            "abandoned": abandoned,
            "no_worker": no_worker,
            "no_worker_message": services.REPORT_NO_WORKER_MESSAGE,
            "error": services.REPORT_ABANDONED_MESSAGE if abandoned else report.error,
            "may_retry": may_manage
            and (
                report.status in (ReportStatus.FAILED, ReportStatus.CANCELLED)
                or abandoned
                or no_worker
            ),
            "may_cancel": may_manage and pending,
            "consultations": report.consultations.select_related("body"),
        },
    )
    if pending:
        # "Stand aktualisieren" must show the current state, never a cached copy.
        response["Cache-Control"] = "no-store"
    return response


def _managed_report(request, pk: int):
    # 404 for what the person may not see; 403 for a report they read but may not manage.
    report = selectors.report_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if not selectors.may_create_reports(user=request.user, municipality=request.municipality):
        raise PermissionDenied
    return report


@login_required
def report_retry(request, pk: int):
    # The row first: a foreign or missing report is 404 whatever the method.
    report = _managed_report(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.report_retry(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Der Bericht wird erneut erstellt.")
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_cancel(request, pk: int):
    report = _managed_report(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.report_cancel(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Der Auftrag wurde abgebrochen.")
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_download(request, pk: int):
    report = selectors.report_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if report.status != ReportStatus.DONE or not report.file:
        # Not ready yet (or failed): the status page says why, instead of a bare 404.
        return redirect("reports:detail", pk=report.pk)
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type=CONTENT_TYPES[report.format],
    )
    return _private(response)


# --- schedules -------------------------------------------------------------------------------


@login_required
def schedule_list(request):
    municipality = request.municipality
    rows = selectors.schedules_for_user(user=request.user, municipality=municipality)
    may_create = selectors.may_create_reports(user=request.user, municipality=municipality)
    if request.method == "POST" and not may_create:
        raise Http404
    form = None
    if may_create:
        people = selectors.schedule_people(municipality=municipality)
        form = ScheduleForm(
            request.POST if request.method == "POST" else None,
            municipality=municipality,
            people=people,
            initial=None if request.method == "POST" else {"recipients": [request.user.pk]},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_create(
                    plan=data["plan"],
                    body=data["body"],
                    lead_days=data["lead_days"],
                    meeting_dates=data["meeting_dates"],
                    fmt=data["fmt"],
                    recipients=list(data["recipients"]),
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Der Zeitplan ist angelegt.")
                return redirect("reports:schedules")
    return render(
        request,
        "reports/schedule_list.html",
        {"rows": rows, "form": form, "may_create": may_create},
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def schedule_delete(request, pk: int):
    schedule = selectors.schedule_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.schedule_delete(schedule=schedule, actor=request.user)
    messages.success(request, "Der Zeitplan ist gelöscht.")
    return redirect("reports:schedules")


# --- briefing book -----------------------------------------------------------------------------


def _book(request):
    """The briefing book named by ?body=…&datum=… (400 page data when the input is bad)."""
    form = BriefingBookForm(request.GET, municipality=request.municipality)
    if not form.is_valid():
        return form, None
    book = selectors.briefing_book_for_user(
        user=request.user,
        municipality=request.municipality,
        body_id=form.cleaned_data["gremium"].pk,
        day=form.cleaned_data["datum"],
    )
    return form, book


def _book_title(book: selectors.BriefingBook) -> str:
    return f"Sitzungsmappe {book.body.name}, Sitzung am {book.day:%d.%m.%Y}"


def _entries(book: selectors.BriefingBook) -> list[tuple[str, dict]]:
    return [(item.agenda_item, item.report.snapshot) for item in book.items]


@login_required
@require_GET
def briefing_book(request):
    municipality = request.municipality
    meetings = selectors.meeting_choices(user=request.user, municipality=municipality)
    form, book = (None, None)
    if "gremium" in request.GET or "datum" in request.GET:
        form, book = _book(request)
    else:
        form = BriefingBookForm(municipality=municipality)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "reports/briefing_book.html",
        {"form": form, "book": book, "meetings": meetings},
        status=status,
    )


def _book_download(request, suffix: str):
    # Who may not read reports gets the page's answer (404), not a redirect to it.
    if not selectors.may_view_reports(user=request.user, municipality=request.municipality):
        raise Http404
    form, book = _book(request)
    if book is None and request.GET.get("gremium") and "gremium" in form.errors:
        # A body id that is not one of ours: as if it did not exist.
        raise Http404
    if book is None or not book.items:
        # Nothing to bundle: the page says why.
        return redirect(f"{reverse('reports:briefing_book')}?{request.GET.urlencode()}")
    name = slugify(_book_title(book))[:100] or "sitzungsmappe"
    if suffix == "pdf":
        content = renderers.render_briefing_pdf(title=_book_title(book), entries=_entries(book))
        content_type = CONTENT_TYPES["pdf"]
    else:
        content = renderers.render_briefing_zip(entries=_entries(book), when=book.day)
        content_type = "application/zip"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return _private(response)


@login_required
@require_GET
def briefing_book_pdf(request):
    return _book_download(request, "pdf")


@login_required
@require_GET
def briefing_book_zip(request):
    return _book_download(request, "zip")


# --- look ----------------------------------------------------------------------------------


@login_required
def report_look(request):
    municipality = request.municipality
    if not selectors.may_view_reports(user=request.user, municipality=municipality):
        raise Http404
    if not selectors.may_create_reports(user=request.user, municipality=municipality):
        raise PermissionDenied
    look = selectors.report_look(municipality=municipality)
    form = ReportLookForm(
        request.POST or None,
        request.FILES or None,
        initial={"colour": look.colour if look else "#0b5394"},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            services.report_look_set(
                municipality=municipality,
                colour=form.cleaned_data["colour"],
                logo=upload.read() if upload else None,
                remove_logo=form.cleaned_data["remove_logo"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Die Gestaltung gilt für alle neuen Berichte.")
            return redirect("reports:look")
    return render(
        request,
        "reports/report_look.html",
        {"form": form, "look": look},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
