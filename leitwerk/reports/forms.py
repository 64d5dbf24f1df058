from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from leitwerk.core.forms import DATE, AccessibleForm, limit_choices
from leitwerk.municipalities.models import Body, OrganisationalUnit
from leitwerk.plans.models import ActionField, ActionPlan

from .models import ConsultationRole, ReportFormat, ReportScope, VorlageKind

# Rows of the Beratungsfolge on the form: enough for Ausschuss → Hauptausschuss → Rat.
CONSULTATION_ROWS = 3


def _parse_day(text: str) -> dt.date | None:
    """ "15.03.2027" (or ISO) as a date; None when it is none."""
    try:
        day, month, year = (int(p) for p in text.split("."))
        return dt.date(year, month, day)
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _scoped(model: Any, municipality: Any) -> Any:
    return model.objects.for_municipality(municipality)


class ActionFieldChoiceField(forms.ModelChoiceField):
    """An Aktionsfeld named with its plan: fields of several plans share codes and titles."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plan.title}: {obj}"


class ReportCreateForm(AccessibleForm):
    plan = forms.ModelChoiceField(label="Aktionsplan", queryset=ActionPlan.objects.none())
    title = forms.CharField(
        label="Betreff",
        required=False,
        max_length=300,
        help_text="Leer lassen für „Sachstandsbericht <Plan> – Stand <Stichtag>“.",
    )
    kind = forms.ChoiceField(
        label="Vorlagenart",
        choices=VorlageKind.choices,
        initial=VorlageKind.INFO,
        required=False,
        widget=forms.RadioSelect,
        help_text="Ohne Wahl: Beschlussvorlage, wenn ein Beschlussvorschlag eingetragen ist.",
    )
    lead_unit = forms.ModelChoiceField(
        label="Federführende Stelle",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
    )
    fmt = forms.ChoiceField(
        label="Format",
        choices=[
            (ReportFormat.PDF, "PDF – zum Lesen und Drucken (barrierearm)"),
            (ReportFormat.DOCX, "DOCX – zum Bearbeiten im Ratsinformationssystem"),
            (ReportFormat.XLSX, "XLSX – die Daten als Tabelle, mit allen Messwerten"),
        ],
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )
    as_of = forms.DateField(
        label="Stichtag",
        widget=DATE,
        help_text="Werte und Meldungen nach diesem Tag zählen nicht mit.",
    )
    scope = forms.ChoiceField(
        label="Umfang",
        choices=ReportScope.choices,
        initial=ReportScope.PLAN,
        required=False,
        widget=forms.RadioSelect,
    )
    scope_field = ActionFieldChoiceField(
        label="Aktionsfeld (bei Umfang „ein Aktionsfeld“)",
        queryset=ActionField.objects.none(),
        required=False,
    )
    scope_unit = forms.ModelChoiceField(
        label="Organisationseinheit (bei Umfang „eine Organisationseinheit“)",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
    )
    decisions_requested = forms.CharField(
        label="Beschlussvorschlag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leer lassen, wenn der Bericht nur zur Kenntnis dient.",
    )
    facts = forms.CharField(
        label="Sachverhalt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Einleitender Text; den Stand der Vorhaben fügt Leitwerk selbst an.",
    )
    finance_text = forms.CharField(
        label="Finanzielle Auswirkungen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Die geplanten Mittel der Vorhaben stehen als Tabelle darunter.",
    )
    climate_relevance = forms.CharField(
        label="Klimarelevanz",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = forms.CharField(
        label="Anlagen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Eine Anlage je Zeile.",
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self,
            "plan",
            _scoped(ActionPlan, municipality).order_by("-period_start", "title"),
        )
        units = _scoped(OrganisationalUnit, municipality).order_by("name")
        limit_choices(self, "lead_unit", units)
        limit_choices(self, "scope_unit", units)
        fields = ActionField.objects.filter(municipality=municipality).select_related("plan")
        limit_choices(self, "scope_field", fields.order_by("plan__title", "order", "code"))
        self.fields["as_of"].initial = timezone.localdate()
        bodies = _scoped(Body, municipality).order_by("name")
        for n in range(1, CONSULTATION_ROWS + 1):
            self.fields[f"body_{n}"] = forms.ModelChoiceField(
                label=f"Gremium {n}", queryset=bodies, required=False
            )
            self.fields[f"meeting_{n}"] = forms.DateField(
                label=f"Sitzung {n} am", widget=DATE, required=False
            )
            self.fields[f"agenda_{n}"] = forms.CharField(
                label=f"Tagesordnungspunkt {n}", max_length=20, required=False
            )
            self.fields[f"role_{n}"] = forms.ChoiceField(
                label=f"Zuständigkeit {n}",
                choices=ConsultationRole.choices,
                initial=ConsultationRole.NOTE,
                required=False,
            )

    def consultation_rows(self) -> list[list[Any]]:
        """The bound fields of each Beratungsfolge row, for the template."""
        return [
            [self[f"{name}_{n}"] for name in ("body", "meeting", "agenda", "role")]
            for n in range(1, CONSULTATION_ROWS + 1)
        ]

    def clean_as_of(self) -> dt.date:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("Der Stichtag darf nicht in der Zukunft liegen.")
        return as_of

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["scope"] = scope = data.get("scope") or ReportScope.PLAN
        if not data.get("kind"):
            data["kind"] = (
                VorlageKind.DECISION
                if (data.get("decisions_requested") or "").strip()
                else VorlageKind.INFO
            )
        plan = data.get("plan")
        if scope == ReportScope.FIELD:
            field = data.get("scope_field")
            if field is None:
                self.add_error("scope_field", "Bitte wählen Sie das Aktionsfeld.")
            elif plan is not None and field.plan_id != plan.pk:
                self.add_error("scope_field", "Das Aktionsfeld gehört nicht zum gewählten Plan.")
        if scope == ReportScope.UNIT and data.get("scope_unit") is None:
            self.add_error("scope_unit", "Bitte wählen Sie die Organisationseinheit.")
        for n in range(1, CONSULTATION_ROWS + 1):
            body, day = data.get(f"body_{n}"), data.get(f"meeting_{n}")
            if body is not None and day is None and f"meeting_{n}" not in self.errors:
                self.add_error(
                    f"meeting_{n}", f"Beratungsfolge Zeile {n}: Bitte das Sitzungsdatum angeben."
                )
            if day is not None and body is None:
                self.add_error(f"body_{n}", f"Beratungsfolge Zeile {n}: Bitte das Gremium wählen.")
        return data

    def consultations(self) -> list[dict[str, Any]]:
        rows = []
        for n in range(1, CONSULTATION_ROWS + 1):
            body = self.cleaned_data.get(f"body_{n}")
            if body is not None:
                rows.append(
                    {
                        "body": body,
                        "meeting_date": self.cleaned_data[f"meeting_{n}"],
                        "agenda_item": self.cleaned_data.get(f"agenda_{n}") or "",
                        "role": self.cleaned_data.get(f"role_{n}") or ConsultationRole.NOTE,
                    }
                )
        return rows


class ScheduleForm(AccessibleForm):
    plan = forms.ModelChoiceField(label="Aktionsplan", queryset=ActionPlan.objects.none())
    body = forms.ModelChoiceField(label="Gremium", queryset=Body.objects.none())
    lead_days = forms.IntegerField(
        label="Tage vor der Sitzung",
        min_value=1,
        max_value=90,
        initial=14,
        help_text="So viele Tage vor jeder Sitzung wird der Bericht erstellt.",
    )
    meeting_dates = forms.CharField(
        label="Nächste Sitzungstermine",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ein Datum je Zeile, z. B. 15.03.2027.",
    )
    fmt = forms.ChoiceField(
        label="Format",
        choices=[(ReportFormat.PDF, "PDF"), (ReportFormat.DOCX, "DOCX")],
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )
    recipients: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Benachrichtigen",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Diese Personen erhalten eine Nachricht, sobald der Bericht erstellt wird.",
    )

    def __init__(self, *args: Any, municipality: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "plan", _scoped(ActionPlan, municipality).order_by("-period_start", "title")
        )
        limit_choices(self, "body", _scoped(Body, municipality).order_by("name"))
        limit_choices(self, "recipients", people)

    def clean_meeting_dates(self) -> list[dt.date]:
        days = []
        for n, line in enumerate(self.cleaned_data["meeting_dates"].splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            day = _parse_day(text)
            if day is not None:
                days.append(day)
            else:
                raise forms.ValidationError(
                    f"Zeile {n}: „{text}“ ist kein Datum. Bitte TT.MM.JJJJ, z. B. 15.03.2027."
                )
        if not days:
            raise forms.ValidationError("Bitte mindestens einen Sitzungstermin angeben.")
        return sorted(set(days))


class BriefingBookForm(AccessibleForm):
    # German parameter names: they stand in the address people share (?gremium=…&datum=…).
    gremium = forms.ModelChoiceField(label="Gremium", queryset=Body.objects.none())
    datum = forms.DateField(label="Sitzung am", widget=DATE)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "gremium", _scoped(Body, municipality).order_by("name"))


class ReportLookForm(AccessibleForm):
    colour = forms.CharField(
        label="Farbe der Überschriften und Tabellenköpfe",
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Dunkel genug für Text auf Weiß (Kontrast mindestens 4,5:1).",
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG oder JPEG, höchstens 300 KB; erscheint oben auf jeder Vorlage.",
    )
    remove_logo = forms.BooleanField(label="Logo entfernen", required=False)
