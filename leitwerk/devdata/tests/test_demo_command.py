"""`leitwerk demo` on an empty database: the command reports what it loaded, and the demo's
dates follow the day it is loaded on (the rest of the demo's checks share one load in
test_demo.py)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from leitwerk.devdata.demo import DEMO_PASSWORD, demo_load
from leitwerk.plans.models import Milestone

pytestmark = pytest.mark.django_db


def test_dates_follow_today():
    demo_load(today=dt.date(2031, 3, 1))
    overdue = [m for m in Milestone.objects.all() if m.is_overdue(dt.date(2031, 3, 1))]
    assert overdue


def test_command_loads_and_reports(capsys):
    out = StringIO()
    call_command("demo", "--today", "2026-11-22", stdout=out)
    assert "Musterstadt" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
