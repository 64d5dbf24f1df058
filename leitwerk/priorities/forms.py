"""Forms of the priorities pages. Querysets are always scoped to the current municipality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from leitwerk.core.forms import AccessibleForm, limit_choices, use_picker
from leitwerk.municipalities.models import Body, Municipality, OrganisationalUnit
from leitwerk.plans.forms import initiative_group
from leitwerk.plans.models import Initiative

from .models import AggregationMethod, BallotMode, DecisionKind, PriorityRound

SCORE_CHOICES = [("", "–"), *[(str(i), str(i)) for i in range(1, 6)]]


class RoundForm(AccessibleForm):
    title = forms.CharField(label="Titel der Runde", max_length=300)
    year = forms.IntegerField(
        label="Jahr", required=False, min_value=2000, max_value=2100, help_text="z. B. 2027"
    )
    description = forms.CharField(
        label="Worum geht es?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ballot_mode = forms.ChoiceField(
        label="Wie wird abgestimmt?",
        choices=BallotMode.choices,
        initial=BallotMode.RANK,
        widget=forms.RadioSelect,
    )
    candidates = forms.ModelMultipleChoiceField(
        label="Vorhaben, die priorisiert werden",
        queryset=Initiative.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    bodies = forms.ModelMultipleChoiceField(
        label="Teilnehmende Gremien",
        queryset=Body.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label="Teilnehmende Organisationseinheiten",
        queryset=OrganisationalUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_picker(
            self,
            "candidates",
            choices["initiatives"].by_plan(),
            group_by=initiative_group,
        )
        limit_choices(self, "bodies", choices["bodies"])
        limit_choices(self, "units", choices["units"])


class BallotForm(AccessibleForm):
    """One row per Vorhaben: a rank, or benefit/urgency/effort scores; empty rows stay unranked."""

    comment = forms.CharField(
        label="Anmerkung (freiwillig)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        round: PriorityRound,
        candidates: list[Initiative],
        existing: dict[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mode = round.ballot_mode
        self.candidates = candidates
        n = len(candidates)
        self.rows: list[dict[str, Any]] = []
        for initiative in candidates:
            entry = existing.get(initiative.pk)
            names: dict[str, str] = {}
            if self.mode == BallotMode.RANK:
                name = f"rank_{initiative.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"Rang für {initiative}",
                    required=False,
                    min_value=1,
                    max_value=n,
                    initial=entry.rank if entry else None,
                    widget=forms.NumberInput(attrs={"class": "input--short"}),
                )
                names["rank"] = name
            else:
                for part, label in (
                    ("benefit", "Nutzen"),
                    ("urgency", "Dringlichkeit"),
                    ("effort", "Aufwand"),
                ):
                    name = f"{part}_{initiative.pk}"
                    self.fields[name] = forms.TypedChoiceField(
                        label=f"{label} für {initiative}",
                        choices=SCORE_CHOICES,
                        coerce=int,
                        empty_value=None,
                        required=False,
                        initial=getattr(entry, part, None) if entry else None,
                    )
                    names[part] = name
            self.rows.append({"initiative": initiative, "names": names})

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {"initiative": row["initiative"], "cells": [self[v] for v in row["names"].values()]}
            for row in self.rows
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.mode == BallotMode.RANK:
            ranks = {
                i.pk: data[f"rank_{i.pk}"]
                for i in self.candidates
                if data.get(f"rank_{i.pk}") is not None
            }
            if not ranks and not self.errors:
                raise forms.ValidationError("Bitte vergeben Sie mindestens einen Rang.")
            self.ranks = ranks
        else:
            scores = {}
            for i in self.candidates:
                triple = [data.get(f"{part}_{i.pk}") for part in ("benefit", "urgency", "effort")]
                filled = [v for v in triple if v is not None]
                if filled and len(filled) < 3:
                    self.add_error(
                        f"benefit_{i.pk}",
                        f"Bitte bewerten Sie „{i}“ vollständig (Nutzen, Dringlichkeit, Aufwand) "
                        "oder gar nicht.",
                    )
                elif filled:
                    scores[i.pk] = (triple[0], triple[1], triple[2])
            if not scores and not self.errors:
                raise forms.ValidationError("Bitte bewerten Sie mindestens ein Vorhaben.")
            self.scores = scores
        return data


class AggregateForm(AccessibleForm):
    method = forms.ChoiceField(
        label="Verfahren für die Liste",
        choices=AggregationMethod.choices,
        initial=AggregationMethod.SCHULZE,
        widget=forms.RadioSelect,
    )


class AdoptForm(AccessibleForm):
    body = forms.ModelChoiceField(label="Beschlossen durch (Gremium)", queryset=Body.objects.none())
    adopted_on = forms.DateField(
        label="Datum des Beschlusses",
        help_text="Datum wählen oder als TT.MM.JJJJ eingeben",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision_reference = forms.CharField(
        label="Beschlussnummer oder Fundstelle", max_length=200, help_text="z. B. Vorlage 2027/014"
    )
    oparl_url = forms.URLField(
        assume_scheme="https",
        label="OParl-Adresse der Vorlage (freiwillig)",
        required=False,
        help_text="Verweis auf die Sitzungsvorlage im Ratsinformationssystem",
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "body", choices["bodies"])


class ChangeForm(AccessibleForm):
    initiative = forms.ModelChoiceField(label="Vorhaben", queryset=Initiative.objects.none())
    new_rank = forms.IntegerField(label="Neuer Rang", min_value=1)
    justification = forms.CharField(
        label="Begründung",
        help_text="Pflicht: Warum weicht die Liste vom Beschluss ab? Bitte verständlich begründen.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service decides, so the form and the CLI give the same message
    )
    changed_on = forms.DateField(
        label="Datum der Änderung",
        help_text="Datum wählen oder als TT.MM.JJJJ eingeben",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    body = forms.ModelChoiceField(
        label="Beschlossen durch (freiwillig)", queryset=Body.objects.none(), required=False
    )
    reference = forms.CharField(
        label="Beschlussnummer (freiwillig)", max_length=200, required=False
    )

    def __init__(
        self, *args: Any, choices: dict[str, Any], round: PriorityRound, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        on_list = [item.initiative_id for item in round.items.all()]
        limit_choices(self, "initiative", choices["initiatives"].filter(pk__in=on_list))
        limit_choices(self, "body", choices["bodies"])
        # The list's length is known only now: validator and the input's max, set together.
        places = len(on_list)
        rank = self.fields["new_rank"]
        rank.validators.append(
            MaxValueValidator(
                places,
                message=f"Die Liste hat {places} Plätze: bitte einen Rang von 1 bis {places}.",
            )
        )
        rank.widget.attrs["max"] = str(places)


class DecisionForm(AccessibleForm):
    public_text_fields = ("justification",)

    kind = forms.ChoiceField(label="Art der Entscheidung", choices=DecisionKind.choices)
    title = forms.CharField(label="Was wurde entschieden?", max_length=300)
    justification = forms.CharField(
        label="Begründung",
        help_text="In verständlichen Worten: Warum wurde so entschieden?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    decided_on = forms.DateField(
        label="Datum",
        help_text="Datum wählen oder als TT.MM.JJJJ eingeben",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    initiative = forms.ModelChoiceField(
        label="Vorhaben (freiwillig)", queryset=Initiative.objects.none(), required=False
    )
    body = forms.ModelChoiceField(
        label="Gremium (freiwillig)", queryset=Body.objects.none(), required=False
    )
    reference = forms.CharField(
        label="Beschlussnummer (freiwillig)", max_length=200, required=False
    )
    oparl_url = forms.URLField(
        label="OParl-Adresse (freiwillig)", required=False, assume_scheme="https"
    )
    public = forms.BooleanField(label="Im Bürgerportal zeigen", required=False)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "initiative", choices["initiatives"])
        limit_choices(self, "body", choices["bodies"])


class ThresholdForm(AccessibleForm):
    threshold_points = forms.DecimalField(
        label="Schwelle für Ungleichgewicht (Prozentpunkte)",
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text="Ab dieser Abweichung vom Bevölkerungsanteil wird eine Gemeinde markiert.",
    )


class CompensationForm(AccessibleForm):
    member = forms.ModelChoiceField(label="Mitgliedsgemeinde", queryset=Municipality.objects.none())
    title = forms.CharField(label="Ausgleichsmaßnahme", max_length=300)
    description = forms.CharField(
        label="Beschreibung (freiwillig)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount_eur = forms.DecimalField(
        label="Betrag in Euro (freiwillig)", required=False, min_value=0, decimal_places=2
    )
    decided_on = forms.DateField(
        label="Beschlossen am (freiwillig)",
        required=False,
        help_text="Datum wählen oder als TT.MM.JJJJ eingeben",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "member", choices["members"])


class CostShareForm(AccessibleForm):
    """Who pays for one Vorhaben: a percentage per member municipality, 100 in all."""

    initiative = forms.ModelChoiceField(label="Vorhaben", queryset=Initiative.objects.none())

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "initiative", choices["initiatives"])
        self.members = list(choices["members"])
        for member in self.members:
            self.fields[f"share_{member.pk}"] = forms.DecimalField(
                label=f"Anteil {member.name} (%)",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )

    def shares(self) -> dict[Any, Any]:
        return {m: self.cleaned_data.get(f"share_{m.pk}") for m in self.members}


class BeneficiariesForm(AccessibleForm):
    """Which member municipalities one Vorhaben benefits."""

    initiative = forms.ModelChoiceField(label="Vorhaben", queryset=Initiative.objects.none())
    members = forms.ModelMultipleChoiceField(
        label="Nützt diesen Gemeinden",
        help_text="Keine Gemeinde ankreuzen, wenn das Vorhaben dem ganzen Amt nützt.",
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "initiative", choices["initiatives"])
        limit_choices(self, "members", choices["members"])


class SignOffForm(AccessibleForm):
    member = forms.ModelChoiceField(label="Mitgliedsgemeinde", queryset=Municipality.objects.none())
    council = forms.CharField(
        label="Gremium der Gemeinde", max_length=200, help_text="z. B. Gemeindevertretung Seedorf"
    )
    signed_on = forms.DateField(
        label="zugestimmt am",
        help_text="Datum wählen oder als TT.MM.JJJJ eingeben",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(
        label="Beschlussnummer (freiwillig)", max_length=200, required=False
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "member", choices["members"])
