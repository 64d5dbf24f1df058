"""Internal pages of the feedback stage (login required). Thin: parse, call, render."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterator

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leitwerk.accounts.http import AuthedRequest
from leitwerk.core.access import require_allowed, require_visible
from leitwerk.core.spreadsheet import neutralise

from . import charts, disclosure, results, selectors, services
from .forms import (
    BindingForm,
    CodesForm,
    DiscussionInitiativeForm,
    DiscussionItemForm,
    QuestionForm,
    ScheduleForm,
    SuggestionHandleForm,
    SuggestionIndicatorForm,
    SurveyCreateForm,
    WaveForm,
)
from .models import Survey, SurveyKind

# The signed-in person's request: `user` and `municipality` typed (accounts/http.py).
Request = AuthedRequest


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def survey_list(request):
    surveys = selectors.survey_list_for_user(user=request.user, municipality=request.municipality)
    may_manage = bool(request.municipality) and request.user.has_perm(
        "feedback.manage_surveys", request.municipality
    )
    suggestions = selectors.suggestions_for_user(
        user=request.user, municipality=request.municipality
    )
    stats = selectors.suggestion_stats(suggestions=suggestions, today=timezone.localdate())
    return render(
        request,
        "feedback/survey_list.html",
        {"surveys": surveys, "may_manage": may_manage, "stats": stats},
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    municipality = request.municipality
    # The survey list is every member's page; building a survey is not everyone's action.
    require_visible(request.user, "feedback.view_surveys", municipality)
    require_allowed(request.user, "feedback.manage_surveys", municipality)
    form = SurveyCreateForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == SurveyKind.STAFF_PULSE:
                survey = services.pulse_survey_create(
                    guideline=data["guideline"],
                    units=list(data["units"]),
                    actor=request.user,
                    title=data["title"],
                    min_group_size=data["min_group_size"],
                    closes_on=data["closes_on"],
                    retention_days=data["retention_days"],
                )
            else:
                survey = services.survey_create(
                    municipality=municipality,
                    actor=request.user,
                    title=data["title"],
                    service=data["service"],
                    locations=list(data["locations"]),
                    min_group_size=data["min_group_size"],
                    closes_on=data["closes_on"],
                    retention_days=data["retention_days"],
                )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Die Umfrage ist angelegt."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return render(request, "feedback/survey_create.html", {"form": form})


def _survey_page(
    request: Request,
    survey: Survey,
    *,
    status: int = 200,
    question_form: QuestionForm | None = None,
    wave_form: WaveForm | None = None,
    schedule_form: ScheduleForm | None = None,
    binding_form: BindingForm | None = None,
) -> HttpResponse:
    """The survey page; after a refused POST action with that action's bound form."""
    public_url = request.build_absolute_uri(
        reverse(
            "feedback_public:detail",
            kwargs={"municipality_slug": survey.municipality.slug, "pk": survey.pk},
        )
    )
    schedule_initial = {"closes_on": survey.closes_on, "retention_days": survey.retention_days}
    return render(
        request,
        "feedback/survey_detail.html",
        {
            "survey": survey,
            "may_manage": request.user.has_perm("feedback.manage_surveys", request.municipality),
            "question_form": question_form or QuestionForm(prefix="question"),
            "wave_form": wave_form or WaveForm(prefix="wave", survey=survey),
            "binding_form": binding_form or BindingForm(prefix="binding", survey=survey),
            "schedule_form": schedule_form
            or ScheduleForm(prefix="schedule", initial=schedule_initial),
            "open_wave": selectors.open_wave(survey),
            "bindings": survey.indicator_bindings.select_related("indicator", "question"),
            "public_url": public_url,
            "locations": list(survey.locations.all()),
        },
        status=status,
    )


@login_required
@require_GET
def survey_detail(request, pk: int):
    survey = selectors.survey_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk, perm="feedback.view_surveys"
    )
    return _survey_page(request, survey)


SurveyAction = Callable[[Request, Survey], HttpResponse]


def survey_action(view: SurveyAction) -> Callable[..., HttpResponse]:
    """A form of the survey page posts to its own URL, handled by `view(request, survey)`.

    Missing and foreign surveys answer 404 before the method is looked at (like the page),
    other methods than POST 405, members who see the survey but may not manage it 403.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: Request, pk: int) -> HttpResponse:
        survey = selectors.survey_get_for_user(
            user=request.user,
            municipality=request.municipality,
            pk=pk,
            perm="feedback.view_surveys",
        )
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        require_allowed(request.user, "feedback.manage_surveys", request.municipality)
        return view(request, survey)

    return wrapper


def _refused(request: Request, exc: ValidationError) -> None:
    messages.error(request, _error_text(exc))


@survey_action
def survey_question_add(request: Request, survey: Survey) -> HttpResponse:
    form = QuestionForm(request.POST, prefix="question")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.question_add(
                survey=survey,
                actor=request.user,
                text=d["text"],
                kind=d["kind"],
                choices=form.choice_list(),
                low_label=d["low_label"],
                high_label=d["high_label"],
                required=d["required"],
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Die Frage ist ergänzt."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return _survey_page(request, survey, question_form=form, status=400)


@survey_action
def survey_wave_open(request: Request, survey: Survey) -> HttpResponse:
    form = WaveForm(request.POST, prefix="wave", survey=survey)
    if form.is_valid():
        try:
            services.wave_open(
                survey=survey,
                actor=request.user,
                label=form.cleaned_data["label"],
                today=timezone.localdate(),
                question_ids=form.chosen_question_ids(),
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Die Welle läuft. Die Umfrage ist jetzt offen."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return _survey_page(request, survey, wave_form=form, status=400)


@survey_action
def survey_schedule(request: Request, survey: Survey) -> HttpResponse:
    form = ScheduleForm(request.POST, prefix="schedule")
    if form.is_valid():
        try:
            services.survey_update_schedule(
                survey=survey,
                actor=request.user,
                closes_on=form.cleaned_data["closes_on"],
                retention_days=form.cleaned_data["retention_days"],
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Laufzeit und Aufbewahrung sind gespeichert."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return _survey_page(request, survey, schedule_form=form, status=400)


@survey_action
def survey_wave_close(request: Request, survey: Survey) -> HttpResponse:
    wave = selectors.open_wave(survey)
    if wave is None:
        # Nothing to close (e.g. the button was sent twice): the page says so.
        messages.error(request, _("Es läuft gerade keine Welle."))
        return _survey_page(request, survey, status=409)
    try:
        result = services.wave_close(wave=wave, actor=request.user, today=timezone.localdate())
    except ValidationError as exc:
        _refused(request, exc)
        return _survey_page(request, survey, status=409)
    text = _("Die Welle ist abgeschlossen.")
    if result.measurements:
        text += " " + _("%(n)s Indikator(en) haben einen neuen Messwert.") % {
            "n": len(result.measurements)
        }
    if result.withheld:
        text += " " + _("%(n)s Indikator(en) bleiben ohne Wert, weil die Gruppe zu klein ist.") % {
            "n": len(result.withheld)
        }
    messages.success(request, text)
    return redirect("feedback:survey_detail", pk=survey.pk)


@survey_action
def survey_binding_add(request: Request, survey: Survey) -> HttpResponse:
    form = BindingForm(request.POST, prefix="binding", survey=survey)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.binding_add(
                survey=survey,
                indicator=d["indicator"],
                actor=request.user,
                measure=d["measure"],
                question=d["question"],
                location=d["location"],
                unit=d["unit"],
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Der Indikator ist verknüpft."))
            return redirect("feedback:survey_detail", pk=survey.pk)
    return _survey_page(request, survey, binding_form=form, status=400)


@login_required
def survey_results(request, pk: int):
    wave_pk = request.GET.get("welle")
    try:
        wave_id = int(wave_pk) if wave_pk else None
    except ValueError as exc:
        raise Http404 from exc
    survey, wave_results, trend = selectors.survey_results_for_user(
        user=request.user, municipality=request.municipality, pk=pk, wave_pk=wave_id
    )
    savable = selectors.dialogue_units_for_user(
        user=request.user,
        municipality=request.municipality,
        result=wave_results,
    )
    chart_points, chart_label = _trend_points(trend)
    return render(
        request,
        "feedback/survey_results.html",
        {
            "survey": survey,
            "result": wave_results,
            "trend": trend,
            "k": disclosure.effective_k(survey.min_group_size),
            "trend_chart": charts.trend_chart(
                chart_id="trend-chart",
                title=_("Verlauf: %(q)s") % {"q": chart_label},
                points=chart_points,
            ),
            "trend_chart_label": chart_label,
            "savable_units": savable,
        },
    )


def _trend_points(trend: selectors.Trend) -> tuple[list[tuple[str, float]], str]:
    """The first column's mean (scale question or dimension) per wave that published one."""
    if not trend.labels:
        return [], ""
    points = [(row.wave.label, row.means[0]) for row in trend.rows if row.means[0] is not None]
    return points, trend.labels[0]


@login_required
def survey_disclosure(request, pk: int):
    """The procedure description of one survey: what is shown, what never (Personalrat)."""
    survey = selectors.survey_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk, perm="feedback.view_results"
    )
    return render(
        request,
        "feedback/survey_disclosure.html",
        {
            "survey": survey,
            "k": disclosure.effective_k(survey.min_group_size),
            "padded": results.groups_are_padded_by_respondents(survey),
            "running_step": disclosure.RUNNING_STEP,
        },
    )


@login_required
def survey_results_csv(request, pk: int):
    """The published figures as CSV: exactly what the page shows, hidden cells stay hidden,
    no free text (it is never exported)."""
    wave_pk = request.GET.get("welle")
    try:
        wave_id = int(wave_pk) if wave_pk else None
    except ValueError as exc:
        raise Http404 from exc
    survey, result, _trend = selectors.survey_results_for_user(
        user=request.user, municipality=request.municipality, pk=pk, wave_pk=wave_id
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="umfrage-{survey.pk}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the umlauts correctly
    writer = csv.writer(response, delimiter=";")

    # Location names, wave labels and questions are typed by staff: no cell may run as a
    # formula in a spreadsheet program (C6), by the same rule as every other export.
    def writerow(row: list[object]) -> None:
        writer.writerow([neutralise(value) for value in row])

    writerow(["Welle", "Frage", "Gruppe", "Spalte", "Wert"])
    if result is None:
        return response
    if not result.closed:
        # A running wave releases nothing per group and no distribution (audit H1).
        running = "" if result.groups.running is None else f"mindestens {result.groups.running}"
        writerow([result.wave.label, "", _("Alle"), _("Antwortbögen bisher"), running])
        return response
    for line in _csv_lines(result):
        writerow(line)
    return response


def _csv_lines(result: selectors.WaveResults) -> Iterator[list[object]]:
    """Per question and shown group: sheets, count and share per option, mean, median; a
    hidden group only as "weniger als k Antworten"."""
    hidden = f"weniger als {result.k} Antworten"
    for qr in result.questions:
        if not qr.has_distribution:
            continue
        for row in [*qr.rows, qr.total]:
            if row is None:
                continue
            line = [result.wave.label, qr.question.text, row.label]
            if row.suppressed:
                yield [*line, _("Antwortbögen"), hidden]
                continue
            yield [*line, _("Antwortbögen"), row.n]
            for column, (count, percent) in zip(qr.columns, row.cells, strict=True):
                yield [*line, column, count]
                if percent is not None:
                    yield [*line, f"{column} (%)", f"{percent:.1f}".replace(".", ",")]
            if qr.has_mean and row.mean is not None:
                yield [*line, _("Mittelwert"), f"{row.mean:.2f}".replace(".", ",")]
            if qr.has_mean and row.median is not None:
                yield [*line, _("Median"), f"{row.median:.1f}".replace(".", ",")]


def _qr(request, pk: int):
    # Any member may print the poster: the QR code only holds the public link.
    survey = selectors.survey_get_for_user(
        user=request.user,
        municipality=request.municipality,
        pk=pk,
        perm="feedback.view_surveys",
    )
    url = request.build_absolute_uri(
        reverse(
            "feedback_public:detail",
            kwargs={"municipality_slug": survey.municipality.slug, "pk": survey.pk},
        )
    )
    location = request.GET.get("standort", "")
    if location.isdigit() and survey.locations.filter(pk=int(location)).exists():
        url += f"?standort={location}"
    return segno.make(url, error="m")


@login_required
def survey_qr_svg(request, pk: int):
    buf = io.BytesIO()
    _qr(request, pk).save(buf, kind="svg", scale=8, border=4, title=_("QR-Code zur Umfrage"))
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


@login_required
def survey_qr_png(request, pk: int):
    buf = io.BytesIO()
    _qr(request, pk).save(buf, kind="png", scale=10, border=4)
    response = HttpResponse(buf.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="umfrage-{pk}.png"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def survey_codes(request, pk: int):
    survey = selectors.survey_get_for_user(
        user=request.user,
        municipality=request.municipality,
        pk=pk,
        perm="feedback.view_surveys",
    )
    may_manage = request.user.has_perm("feedback.manage_surveys", request.municipality)
    if request.method == "POST":
        require_allowed(request.user, "feedback.manage_surveys", request.municipality)
    wave = selectors.open_wave(survey)
    form = CodesForm(request.POST or None, survey=survey)
    if request.method == "POST" and wave is not None and form.is_valid():
        try:
            codes = services.codes_generate(
                wave=wave,
                unit=form.cleaned_data["unit"],
                count=form.cleaned_data["count"],
                actor=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            form.add_error(None, exc if hasattr(exc, "error_dict") else _error_text(exc))
        else:
            public_url = request.build_absolute_uri(
                reverse(
                    "feedback_public:detail",
                    kwargs={"municipality_slug": survey.municipality.slug, "pk": survey.pk},
                )
            )
            response = render(
                request,
                "feedback/code_sheet.html",
                {
                    "survey": survey,
                    "wave": wave,
                    "codes": codes,
                    "unit": form.cleaned_data["unit"],
                    "public_url": public_url,
                },
            )
            # The plain codes exist only on this sheet: never cache or store it.
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "feedback/survey_codes.html",
        {
            "survey": survey,
            "wave": wave,
            "form": form,
            "may_manage": may_manage,
            "allowances": (
                selectors.code_allowances(survey=survey, wave=wave)
                if wave is not None and may_manage
                else []
            ),
        },
    )


@login_required
def suggestion_inbox(request):
    today = timezone.localdate()
    suggestions = list(
        selectors.suggestions_for_user(user=request.user, municipality=request.municipality)
    )
    rows = [(s, s.is_overdue(today)) for s in suggestions]
    stats = selectors.suggestion_stats(suggestions=suggestions, today=today)
    may_set_indicator = bool(request.municipality) and request.user.has_perm(
        "feedback.manage_suggestion_indicator", request.municipality
    )
    return render(
        request,
        "feedback/suggestion_inbox.html",
        {
            "rows": rows,
            "stats": stats,
            "today": today,
            "may_set_indicator": may_set_indicator,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_indicator(request):
    binding = selectors.suggestion_indicator_binding_for_user(
        user=request.user, municipality=request.municipality
    )
    form = SuggestionIndicatorForm(
        request.POST or None,
        initial={"indicator": binding.indicator_id if binding else None},
        municipality=request.municipality,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_indicator_set(
                municipality=request.municipality,
                indicator=form.cleaned_data["indicator"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("indicator", _error_text(exc))
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("feedback:suggestion_indicator")
    return render(
        request,
        "feedback/suggestion_indicator.html",
        {"form": form, "binding": binding},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_detail(request, pk: int):
    suggestion = selectors.suggestion_get_for_user(
        user=request.user, municipality=request.municipality, pk=pk
    )
    may_handle = request.user.has_perm("feedback.handle_suggestion", suggestion)
    initial = {
        "unit": suggestion.unit_id,
        "answer": suggestion.answer,
        "answer_public": suggestion.answer_public,
    }
    form = SuggestionHandleForm(
        request.POST or None, initial=initial, municipality=request.municipality
    )
    if request.method == "POST":
        # Every member reads the inbox; answering is for the office and the unit (403).
        require_allowed(request.user, "feedback.handle_suggestion", suggestion)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["unit"] != suggestion.unit:
                    services.suggestion_route(
                        suggestion=suggestion, unit=d["unit"], actor=request.user
                    )
                if d["answer"].strip():
                    services.suggestion_answer(
                        suggestion=suggestion,
                        answer=d["answer"],
                        public=d["answer_public"],
                        actor=request.user,
                        today=timezone.localdate(),
                    )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Gespeichert."))
                return redirect("feedback:suggestion_detail", pk=suggestion.pk)
    return render(
        request,
        "feedback/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "form": form,
            "may_handle": may_handle,
            # Contact data only for those who answer: need to know.
            "show_contact": may_handle,
            "overdue": suggestion.is_overdue(timezone.localdate()),
        },
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def discussion_items(request):
    """Gesprächsthemen of the team dialogue: keep a talking point, note the agreed action,
    turn it into a Vorhaben. One page, plain forms, so it works without JavaScript."""
    user, municipality = request.user, request.municipality
    items = selectors.discussion_items_for_user(user=user, municipality=municipality)
    action_fields = selectors.action_fields_for(municipality=municipality)
    if request.method == "POST":
        action = request.POST.get("action")
        note = DiscussionItemForm(request.POST)
        note.is_valid()
        agreed = note.cleaned_data.get("agreed_action", "")
        item = None
        try:
            if action == "save_point":
                wave, unit, point = selectors.dialogue_point_for_user(
                    user=user,
                    municipality=municipality,
                    wave_pk=_int(request.POST.get("wave")),
                    unit_pk=_int(request.POST.get("unit")),
                    question_pk=_int(request.POST.get("question")),
                )
                item = services.discussion_item_save(
                    wave=wave,
                    unit=unit,
                    question=wave.survey.questions.get(pk=point.question_id),
                    mean=point.mean,
                    agreed_action=agreed,
                    actor=user,
                )
                messages.success(request, _("Als Gesprächsthema gespeichert."))
            else:
                item = selectors.discussion_item_get_for_user(
                    user=user, municipality=municipality, pk=_int(request.POST.get("item"))
                )
                if action == "update":
                    services.discussion_item_update(item=item, agreed_action=agreed, actor=user)
                    messages.success(request, _("Vereinbarten Schritt gespeichert."))
                elif action == "to_initiative":
                    form = DiscussionInitiativeForm(request.POST, action_fields=action_fields)
                    if not form.is_valid():
                        raise ValidationError(
                            _("Handlungsfeld: Bitte ein Handlungsfeld aus der Liste wählen.")
                        )
                    initiative = services.discussion_item_to_initiative(
                        item=item, action_field=form.cleaned_data["action_field"], actor=user
                    )
                    messages.success(
                        request,
                        _("Vorhaben „%(title)s“ angelegt.") % {"title": initiative.title},
                    )
                else:
                    raise Http404
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        anchor = f"#item-{item.pk}" if item is not None else ""
        return redirect(reverse("feedback:discussion_items") + anchor)
    return render(
        request,
        "feedback/discussion_items.html",
        {"items": items, "action_fields": list(action_fields)},
    )
