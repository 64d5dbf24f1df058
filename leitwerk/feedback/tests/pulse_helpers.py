"""Builders for the answering side of the staff pulse: a guideline with sections, a pulse
survey with a running wave, and codes for one team."""

from __future__ import annotations

import datetime as dt

from leitwerk.feedback import services
from leitwerk.feedback.models import Survey, Wave
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)

DAY = dt.date(2026, 3, 10)

SECTIONS = [
    "GEMEINSAM LERNEN",
    "GEMEINSAM GESUND",
    "GEMEINSAM VERANTWORTLICH",
    "GEMEINSAM NACHHALTIG",
    "GEMEINSAM AUF AUGENHÖHE",
    "GEMEINSAM INNOVATIV",
    "GEMEINSAM VERNETZT",
]


def make_pulse(
    municipality, units, *, sections=SECTIONS, per_section: int = 2, k: int | None = None
) -> tuple[Survey, Wave]:
    """A pulse over a guideline with the given sections (statements "<section> – Aussage n")."""
    doc = GuidelineDocumentFactory(municipality=municipality, title="Leitlinien der Zusammenarbeit")
    for order, title in enumerate(sections, start=1):
        section = GuidelineSectionFactory(
            municipality=municipality, document=doc, title=title, order=order
        )
        for n in range(1, per_section + 1):
            StatementFactory(
                municipality=municipality,
                section=section,
                kind="wir",
                order=n,
                text=f"{title.title()} – Aussage {n}",
            )
    survey = services.pulse_survey_create(guideline=doc, units=units, actor=None, min_group_size=k)
    wave = services.wave_open(survey=survey, actor=None, label="2026-1", today=DAY)
    return survey, wave
