"""The progress bar and the Ampel pair as simple tags write what their templates wrote
(issue 21): the plan page and the dashboard render them for every Vorhaben row."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from django.template import Context, Template
from django.template.loader import render_to_string

from leitwerk.core.status import Health
from leitwerk.core.templatetags.leitwerk import (
    PageTexts,
    health_pair,
    initiative_progress_bar,
    progress_bar,
)

REASONS = ["", "behind_schedule", "kaputt"]
NOTES = ["", "Bauantrag <liegt> beim Kreis & wartet", "Wort " * 40]


def _render(tag: str, **values: object) -> str:
    args = " ".join(values)
    return Template(f"{{% load leitwerk %}}{{% {tag} {args} %}}").render(Context(values))


def test_the_progress_bar_is_the_markup_of_its_reference_template():
    fractions = [None, 0, 0.004, 0.42, 0.505, 1, 1.7, -0.2]
    for progress, expected, label in itertools.product(fractions, fractions, ["", "Plan <A>"]):
        percent = None if progress is None else max(0, min(100, round(float(progress) * 100)))
        expect = None if expected is None else max(0, min(100, round(float(expected) * 100)))
        reference = render_to_string(
            "includes/progress_bar.html",
            {"percent": percent, "expected": expect, "label": label},
        )
        built = _render("progress_bar", p=progress, e=expected, label=label)
        assert built == reference, (progress, expected, label)
        # Rows built in Python pass one PageTexts for the whole page: the same markup.
        assert progress_bar(progress, expected, label, texts=PageTexts()) == reference


def _infos():
    for health, calculated, owner, left_out, note, reason, day in itertools.product(
        [Health.ON_TRACK, Health.OFF_TRACK],
        [None, Health.AT_RISK],
        [None, Health.DONE],
        ["", "paused", "cancelled"],
        NOTES,
        REASONS,
        [None, dt.date(2026, 3, 5)],
    ):
        yield SimpleNamespace(
            progress=0.3,
            expected=0.5,
            health=health,
            calculated_health=calculated,
            owner_health=owner,
            owner_reported_on=day,
            owner_note=note,
            reason=reason,
            left_out=left_out,
        )


def test_the_health_pair_is_the_markup_of_its_reference_template():
    from leitwerk.core.status import reason_label

    texts = PageTexts()
    for info, compact, public in itertools.product([None, *_infos()], [False, True], [False, True]):
        if info is None:
            context: dict[str, object] = {"info": None}
        else:
            context = {
                "info": info,
                "health": info.health,
                "calculated": info.calculated_health or info.health,
                "reason": reason_label(info.reason),
                "owner_health": info.owner_health,
                "owner_reported_on": info.owner_reported_on,
                "owner_note": "" if public else info.owner_note,
                "left_out": info.left_out,
                "compact": compact,
            }
        reference = render_to_string("includes/health_pair.html", context)
        built = _render("health_pair", info=info, compact=compact, public=public)
        assert built == reference, (info, compact, public)
        assert health_pair(info, compact, public, texts=texts) == reference


def test_a_paused_or_cancelled_vorhaben_shows_the_text_of_its_reference_template():
    for info, label in itertools.product(_infos(), ["", "Fortschritt"]):
        reference = render_to_string(
            "includes/progress_or_left_out.html", {"info": info, "label": label}
        )
        assert _render("initiative_progress_bar", info=info, label=label) == reference
        assert initiative_progress_bar(info, label, texts=PageTexts()) == reference
