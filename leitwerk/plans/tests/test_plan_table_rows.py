"""The plan page's table rows built in Python say what the template loop said (issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from leitwerk.core.formatting import LongDates
from leitwerk.plans.progress import InitiativeProgress
from leitwerk.plans.rows import initiative_rows_html
from leitwerk.plans.selectors import InitiativeRow
from leitwerk.plans.tests.factories import InitiativeFactory

# The loop the plan page used before (kept here as the reference for the markup).
LOOP = """{% load i18n leitwerk %}{% for row in initiatives %}{% with initiative=row.initiative %}
                <tr>
                  <td data-label="{% translate 'Nr.' %}">{{ initiative.number|default:"–" }}</td>
                  <th scope="row"><a href="{% url 'plans:initiative_detail' initiative.pk %}">{{ initiative.title }}</a> <span class="meta">({{ initiative.get_status_display }})</span></th>
                  <td data-label="{% translate 'federführend' %}">{{ initiative.lead_unit|default:"–" }}</td>
                  <td data-label="{% translate 'Fortschritt' %}">{% initiative_progress_bar row.progress %}</td>
                  <td data-label="{% translate 'Einschätzung' %}">{% health_pair row.progress compact=True %}</td>
                </tr>
              {% endwith %}{% endfor %}"""


@pytest.mark.django_db
def test_the_plan_table_rows_are_the_markup_the_template_wrote(musterstadt):
    measured = InitiativeFactory(municipality=musterstadt, title="Radwege <sicher> & schnell")
    bare = InitiativeFactory(municipality=musterstadt, number="", lead_unit=None, status="paused")
    rows = [
        InitiativeRow(
            measured,
            InitiativeProgress(
                0.42,
                0.5,
                "at_risk",
                False,
                calculated_health="off_track",
                owner_health="at_risk",
                owner_reported_on=dt.date(2026, 3, 5),
                owner_note="Bauantrag liegt beim Kreis",
                reason="behind_schedule",
            ),
        ),
        InitiativeRow(bare, InitiativeProgress(None, None, "unknown", True, left_out="paused")),
    ]
    expected = Template(LOOP).render(Context({"initiatives": rows}))
    built = initiative_rows_html(rows)
    assert built == expected
    assert "Radwege &lt;sicher&gt; &amp; schnell" in built and "pausiert" in built


def test_long_dates_read_as_the_date_filter_writes_them():
    from django.utils.formats import date_format

    long_date = LongDates()
    day = dt.date(2024, 1, 1)
    while day < dt.date(2026, 1, 1):
        assert long_date(day) == date_format(day, "j. F Y")
        day += dt.timedelta(days=17)
    assert long_date(dt.date(987, 3, 4)) == date_format(dt.date(987, 3, 4), "j. F Y")
    assert long_date(None) == ""
