"""Shared personas for all tests: who can see and do what in Musterstadt.

Each fixture builds exactly the rows its persona needs, so a test names the person it is
about (`def test_x(unit_editor, client_for): ...`) and reads like a scenario.
"""

from __future__ import annotations

import os

import pytest

from leitwerk.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from leitwerk.municipalities.models import BodyKind, MunicipalityKind, Role, UnitKind
from leitwerk.municipalities.tests.factories import (
    BodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationalUnitFactory,
)
from leitwerk.plans.tests.factories import InitiativeFactory


def pytest_configure(config):
    """Fast run or full run (leitwerk/testing/runs.py): property tests draw the full number of
    examples, and the test database replays the migrations, only in runs with the slow tests."""
    from leitwerk.testing import examples, runs

    runs.configure(
        config.getoption("markexpr") or "",
        forced=os.environ.get("LEITWERK_FULL_EXAMPLES") == "1",
    )
    examples.load_profile()


@pytest.fixture(scope="session")
def django_db_use_migrations(request) -> bool:
    """The fast run creates the tables straight from the models (replaying the ~90 migrations
    renders model states for ~15 s per test worker); full runs, CI's among them, migrate.
    `test_models_and_migrations_agree` keeps the two in step in the fast run as well."""
    from leitwerk.testing import runs

    return runs.FULL and not request.config.getvalue("nomigrations")


@pytest.fixture(scope="session")
def _migration_modules_setting():
    """MIGRATION_MODULES as configured, before pytest-django replaces it to skip migrations."""
    from django.conf import settings

    return settings.MIGRATION_MODULES


@pytest.fixture(scope="session")
def django_db_setup(
    _migration_modules_setting, django_db_setup, django_db_blocker, django_db_use_migrations
):
    """Without migrations, the database is then made to look migrated: every migration recorded
    as applied, the rows of the data migrations written (leitwerk/testing/data_migrations.py)."""
    if not django_db_use_migrations:
        from leitwerk.testing.data_migrations import complete_unmigrated_database

        with django_db_blocker.unblock():
            complete_unmigrated_database(_migration_modules_setting)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rendered portal pages, rate-limit counters and
    the like must not leak from one test's database into the next (both use `musterstadt`)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_unscoped_tenant_queries(request):
    """A6: no request in the run queries a tenant model without its municipality.

    The guard raises (an error page for the person); this also catches a refusal that a test
    would not notice, e.g. one that expected a 404 and got the error page's 500 counted alike.
    """
    from leitwerk.core import scoping

    before = scoping.refusals
    yield
    refused = scoping.refusals - before
    if refused and not request.node.get_closest_marker("refuses_unscoped_queries"):
        pytest.fail(f"{refused} tenant queries without a municipality during this test (A6)")


@pytest.fixture
def password() -> str:
    """The password every persona signs in with."""
    return DEFAULT_PASSWORD


@pytest.fixture
def musterstadt(db):
    """The tenant most tests act in."""
    return MunicipalityFactory(
        name="Musterstadt",
        slug="musterstadt",
        ags="09999001",
        kind=MunicipalityKind.STADT,
        population=85000,
        state="Bayern",
    )


@pytest.fixture
def other_town(db):
    """A second, unrelated tenant ("Fremdstadt") to prove isolation."""
    return MunicipalityFactory(
        name="Fremdstadt", slug="fremdstadt", ags="09999002", kind=MunicipalityKind.STADT
    )


@pytest.fixture
def strategy_unit(musterstadt):
    return OrganisationalUnitFactory(
        municipality=musterstadt,
        name="Stabsstelle Strategie",
        code="STS",
        kind=UnitKind.STABSSTELLE,
    )


@pytest.fixture
def editor_unit(musterstadt):
    return OrganisationalUnitFactory(
        municipality=musterstadt, name="Fachbereich Bürgerservice", code="FB 3"
    )


@pytest.fixture
def council_body(musterstadt):
    return BodyFactory(municipality=musterstadt, name="Rat der Stadt", kind=BodyKind.RAT)


@pytest.fixture
def strategy_user(musterstadt, strategy_unit):
    # Strategy office of Musterstadt: reads and edits all plans, goals and reports of the tenant.
    user = UserFactory(email="strategie@musterstadt.test", first_name="Sina", last_name="Strateg")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.STRATEGY, unit=strategy_unit)
    return user


@pytest.fixture
def admin_user(musterstadt):
    # Tenant admin of Musterstadt: manages people, roles and units, plus everything strategy can.
    user = UserFactory(email="admin@musterstadt.test", first_name="Anna", last_name="Admin")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.ADMIN)
    return user


@pytest.fixture
def unit_editor(musterstadt, editor_unit):
    # Editor of one unit (FB 3): edits Vorhaben led by that unit, reads the rest of the tenant.
    user = UserFactory(email="fb3@musterstadt.test", first_name="Emil", last_name="Editor")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.UNIT_EDITOR, unit=editor_unit)
    return user


@pytest.fixture
def led_initiative(musterstadt, editor_unit):
    return InitiativeFactory(
        municipality=musterstadt, title="Online-Terminvergabe", lead_unit=editor_unit
    )


@pytest.fixture
def project_lead(musterstadt, led_initiative):
    # Lead of one Vorhaben (`led_initiative`): reports status and measurements for it only.
    user = UserFactory(email="projekt@musterstadt.test", first_name="Paula", last_name="Projekt")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.PROJECT_LEAD)
    led_initiative.responsible_people.add(user)
    return user


@pytest.fixture
def council_member(musterstadt, council_body):
    # Member of the Rat: reads plans, reports and decisions of the tenant, edits nothing.
    user = UserFactory(email="rat@musterstadt.test", first_name="Ralf", last_name="Rat")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.COUNCIL, body=council_body)
    return user


@pytest.fixture
def viewer(musterstadt):
    # Read-only staff member of Musterstadt: sees internal pages, changes nothing.
    user = UserFactory(email="lesen@musterstadt.test", first_name="Vera", last_name="Viewer")
    MembershipFactory(user=user, municipality=musterstadt, role=Role.VIEWER)
    return user


@pytest.fixture
def other_town_admin(other_town):
    # Admin of Fremdstadt: should have no access to Musterstadt at all.
    user = UserFactory(email="admin@fremdstadt.test", first_name="Fritz", last_name="Fremd")
    MembershipFactory(user=user, municipality=other_town, role=Role.ADMIN)
    return user


@pytest.fixture
def client_for(db):
    """`client_for(user)` returns a Django test client signed in as that user."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
