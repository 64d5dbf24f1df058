"""The dashboard's rows of all Vorhaben built in Python say what the template loop said
(issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from leitwerk.controlling.rows import all_initiative_rows_html
from leitwerk.plans.progress import InitiativeProgress
from leitwerk.plans.tests.factories import InitiativeFactory

# The loop the dashboard used before (kept here as the reference for the markup).
LOOP = """{% load leitwerk %}{% for i in all_page %}
              <tr>
                <th scope="row"><a href="{% url 'plans:initiative_detail' i.pk %}">{{ i }}</a> <span class="meta">({{ i.get_status_display }})</span></th>
                <td data-label="Plan">{{ i.action_field.plan.title }}</td>
                <td data-label="federführend">{{ i.lead_unit|default:"–" }}</td>
                <td data-label="Fortschritt">{% initiative_progress_bar i.progress_info %}</td>
                <td data-label="Einschätzung">{% health_pair i.progress_info compact=True %}{% if i.progress_info.stale %} {% health_badge "stale" %}{% endif %}</td>
              </tr>
            {% endfor %}"""


@pytest.mark.django_db
def test_the_dashboard_rows_are_the_markup_the_template_wrote(musterstadt):
    measured = InitiativeFactory(municipality=musterstadt, title="Radwege <sicher> & schnell")
    measured.progress_info = InitiativeProgress(
        0.42,
        0.5,
        "at_risk",
        True,
        calculated_health="off_track",
        owner_health="at_risk",
        owner_reported_on=dt.date(2026, 3, 5),
        owner_note="Bauantrag liegt beim Kreis",
        reason="behind_schedule",
    )
    bare = InitiativeFactory(municipality=musterstadt, lead_unit=None, status="cancelled")
    bare.progress_info = InitiativeProgress(None, None, "unknown", False, left_out="cancelled")
    rows = [measured, bare]
    expected = Template(LOOP).render(Context({"all_page": rows}))
    built = all_initiative_rows_html(rows)
    assert built == expected
    assert "&lt;sicher&gt;" in built and "ohne aktuelle Meldung" in built
