"""„Erinnerungen“: the reporting rhythm per plan, the reminders' lead time and their log.

The strategy office and admins use these pages; whether a person gets reminder mails at all is
their own choice under "Mein Konto" (accounts: `reminders_switch`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from leitwerk.core.editing import ConflictError
from leitwerk.core.forms import AccessibleForm
from leitwerk.core.pages import add_errors

from . import selectors, services
from .models import ReminderSettings

LEAD = ReminderSettings._meta.get_field("lead_working_days")


class ReminderSettingsForm(AccessibleForm):
    """The lead time, then one reporting interval per plan (with the plan's version)."""

    lead_working_days = forms.IntegerField(
        label="Vorlauf der Erinnerung (Arbeitstage)",
        min_value=0,
        max_value=20,
        help_text=str(LEAD.help_text),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, page: selectors.ReminderSettingsPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = page.plans
        self.fields["lead_working_days"].initial = page.lead_working_days
        self.fields["expected_version"].initial = page.settings.version if page.settings else 0
        for plan in page.plans:
            self.fields[f"interval_{plan.pk}"] = forms.IntegerField(
                label=f"Berichtsintervall „{plan.title}“ (Tage)",
                min_value=7,
                max_value=730,
                initial=plan.reporting_interval_days,
                help_text="Wie oft die Projektleitungen einen Sachstand melden "
                "(7 bis 730 Tage; 90 = vierteljährlich).",
            )
            self.fields[f"version_{plan.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=plan.version
            )

    def interval_fields(self) -> list[Any]:
        return [self[f"interval_{plan.pk}"] for plan in self.plans]

    def intervals(self) -> dict[Any, tuple[int, int]]:
        data = self.cleaned_data
        return {
            plan: (
                data[f"interval_{plan.pk}"],
                data.get(f"version_{plan.pk}") or plan.version,
            )
            for plan in self.plans
        }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request: Any) -> HttpResponse:
    municipality = request.municipality
    page = selectors.reminder_settings_page(user=request.user, municipality=municipality)
    status = 200
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, page=page)
        if form.is_valid():
            try:
                services.reminder_settings_save(
                    municipality=municipality,
                    actor=request.user,
                    lead_working_days=form.cleaned_data["lead_working_days"],
                    expected_version=form.cleaned_data["expected_version"],
                    intervals=form.intervals(),
                )
            except ConflictError:
                # Someone saved in between: show what is stored now, nothing of this was saved.
                messages.error(
                    request,
                    "Jemand hat die Einstellungen oder einen Aktionsplan inzwischen geändert. "
                    "Nichts wurde gespeichert; unten stehen die aktuellen Werte. Bitte prüfen "
                    "und erneut speichern.",
                )
                page = selectors.reminder_settings_page(
                    user=request.user, municipality=municipality
                )
                form = ReminderSettingsForm(page=page)
                status = 409
            except ValidationError as error:
                add_errors(form, error)
                status = 422
            else:
                messages.success(request, "Die Einstellungen der Erinnerungen sind gespeichert.")
                return redirect(reverse("controlling:reminder_settings"))
        else:
            status = 422
    else:
        form = ReminderSettingsForm(page=page)
    return render(request, "controlling/reminder_settings.html", {"form": form}, status=status)


@login_required
@require_safe
def reminder_log(request: Any) -> HttpResponse:
    current, rows = selectors.reminder_log_page(
        user=request.user, municipality=request.municipality, page=request.GET.get("seite", 1)
    )
    return render(request, "controlling/reminder_log.html", {"page": current, "rows": rows})
