"""The timeline rows built in Python say what the template loop said (issue 21)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template

from leitwerk.plans.charts import gantt, gantt_rows_html
from leitwerk.plans.tests.factories import InitiativeFactory, MilestoneFactory

# The loop the plan page used before (kept here as the reference for the markup).
LOOP = """{% load leitwerk %}          {% for row in timeline.rows %}
            <li class="gantt__row">{% with initiative=row.initiative.initiative health=row.initiative.progress.health %}
              <a class="gantt__label" href="{% url 'plans:initiative_detail' initiative.pk %}">{{ initiative }}</a>
              <span class="gantt__track">
                {% if timeline.today is not None %}<span class="gantt__today {{ timeline.today|pos:'left' }}" aria-hidden="true"></span>{% endif %}
                {% if row.bar %}<span class="gantt__bar gantt__bar--{{ health }} {{ row.bar.left|pos:'left' }} {{ row.bar.width|pos:'width' }}"><span class="visually-hidden">Laufzeit {{ initiative.start_date|date:"j. F Y" }} bis {{ initiative.end_date|date:"j. F Y" }}</span></span>{% else %}<span class="gantt__none">{{ initiative.period_text|default:"ohne Laufzeit" }}</span>{% endif %}
                {% for mark in row.marks %}<span class="gantt__mark gantt__mark--{{ mark.state }} {{ mark.left|pos:'left' }}" title="{{ mark.milestone.title }}"><span class="visually-hidden">Meilenstein „{{ mark.milestone.title|truncatechars:60 }}“: {% if mark.state == "done" %}erreicht am {{ mark.milestone.done_on|date:"j. F Y" }}{% elif mark.state == "overdue" %}überfällig seit {{ mark.milestone.due_date|date:"j. F Y" }}{% else %}fällig am {{ mark.milestone.due_date|date:"j. F Y" }}{% endif %}</span></span>{% endfor %}
              </span>
            {% endwith %}</li>
          {% endfor %}
"""


class _Row:
    def __init__(self, initiative, health):
        self.initiative = initiative
        self.progress = type("P", (), {"health": health})()


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.django_db
def test_the_timeline_rows_are_the_same_markup_as_the_template_wrote(musterstadt):
    with_dates = InitiativeFactory(
        municipality=musterstadt,
        title="Radwege <sicher> & schnell",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 6, 30),
    )
    without = InitiativeFactory(municipality=musterstadt, title="Ohne Daten", period_text="")
    marks = [
        MilestoneFactory(
            municipality=musterstadt,
            initiative=with_dates,
            title='Planung "fertig" ' + "x" * 80,
            due_date=dt.date(2026, 3, 1),
            done_on=dt.date(2026, 2, 27),
        ),
        MilestoneFactory(
            municipality=musterstadt,
            initiative=with_dates,
            title="Bau",
            due_date=dt.date(2026, 5, 1),
        ),
        MilestoneFactory(
            municipality=musterstadt,
            initiative=with_dates,
            title="Abnahme",
            due_date=dt.date(2027, 1, 1),
        ),
    ]
    rows = [
        (_Row(with_dates, "on_track"), with_dates.start_date, with_dates.end_date, marks),
        (_Row(without, "unknown"), None, None, []),
    ]
    timeline = gantt(
        rows=rows, start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31), today=dt.date(2026, 6, 1)
    )
    expected = Template(LOOP).render(Context({"timeline": timeline}))
    built = gantt_rows_html(timeline)
    assert _normalised(built) == _normalised(expected)
    assert "überfällig seit 1. Mai 2026" in built and "&lt;sicher&gt;" in built
