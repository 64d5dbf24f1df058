"""Property-based tests of the whole API from its own OpenAPI schema (schemathesis, catalogue C8).

For every operation of /api/v1/schema/, schemathesis generates requests that fit the schema
(positive) and requests that do not (negative) and runs all its checks on each answer: no
server error, status code and body as documented, content type, invalid input refused, auth
not ignored. It signs in with tokens of two municipalities in turn, each with its own data.

The long variant (200 examples per operation, mode and municipality) runs only with
LEITWERK_SCHEMATHESIS_FULL=1 (`make fuzz-api`, in .ci/run), in SHARDS parts for `pytest -n`. Its
last run (2026-12-02, two shards on 2 cores, 8.5 minutes): 35 operations, 28,000 examples,
about 46,000 requests, 0 failures. The quick variant keeps the default suite exercising every
operation. Check settings: schemathesis.toml (domain-rule 400s count as accepted).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from leitwerk.api.services import api_token_create
from leitwerk.municipalities.models import Role
from leitwerk.municipalities.tests.factories import MembershipFactory
from leitwerk.testing.world import build_world

pytestmark = pytest.mark.django_db

# The long run's operations in this many parts, one test each, so `pytest -n` spreads them.
SHARDS = 2

# Throttling is tested on its own; here it would only answer 429 to the generated flood.
NO_LIMITS = {"anon": None, "user": None}


@dataclass
class Run:
    operations: int = 0
    examples: int = 0
    failures: list[str] = field(default_factory=list)


def _tokens(musterstadt, other_town) -> dict[str, str]:
    """A strategy-office token per municipality: the widest rights, so writes get exercised."""
    tokens = {}
    for municipality, tag in ((musterstadt, "EIGEN"), (other_town, "FREMD")):
        world = build_world(municipality, tag)
        MembershipFactory(user=world.person, municipality=municipality, role=Role.STRATEGY)
        _token, raw = api_token_create(user=world.person, municipality=municipality, name=tag)
        tokens[municipality.slug] = raw
    return tokens


def _text(error: BaseException) -> str:
    """The failure as schemathesis words it, with the curl line to reproduce it."""
    return str(error) if not isinstance(error, BaseExceptionGroup) else str(error.message)


def _example_test(operation, mode, token: str, max_examples: int, run: Run):
    headers = {"Authorization": f"Bearer {token}"}

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def test(case):
        run.examples += 1
        case.call_and_validate(headers=headers)

    return test


def fuzz(
    musterstadt, other_town, max_examples: int, tenants: int = 2, shard: int = 0, shards: int = 1
) -> Run:
    from django.conf import settings as django_settings

    rates = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": NO_LIMITS}
    run = Run()
    # A bare WSGIHandler closes the database connection after each request, which on
    # PostgreSQL ends the test's transaction; Django's own test client unhooks the same signal.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(REST_FRAMEWORK=rates):
            _fuzz_operations(
                musterstadt, other_town, max_examples, tenants, run, shard=shard, shards=shards
            )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return run


def _fuzz_operations(
    musterstadt, other_town, max_examples: int, tenants: int, run: Run, *, shard: int, shards: int
) -> None:
    tokens = dict(list(_tokens(musterstadt, other_town).items())[:tenants])
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler())
    # Every n-th operation from the k-th: the long run split over processes (pytest -n).
    for index, result in enumerate(schema.get_all_operations()):
        if index % shards != shard:
            continue
        operation = result.ok()
        run.operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for slug, token in tokens.items():
                test = _example_test(operation, mode, token, max_examples, run)
                try:
                    test()
                except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect all
                    run.failures.append(f"{operation.label} [{mode}, {slug}]: {_text(error)}")


def test_every_operation_survives_a_few_examples(musterstadt, other_town):
    # One valid and one invalid request per operation: a broken schema or endpoint shows here.
    run = fuzz(musterstadt, other_town, max_examples=1, tenants=1)
    assert run.operations >= 30
    assert run.examples >= 2 * run.operations
    assert not run.failures, "\n\n".join(run.failures)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("LEITWERK_SCHEMATHESIS_FULL") != "1",
    reason="about 17 CPU minutes; LEITWERK_SCHEMATHESIS_FULL=1 runs it (make fuzz-api)",
)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_schemathesis_finds_nothing_with_200_examples_per_operation(musterstadt, other_town, shard):
    run = fuzz(musterstadt, other_town, max_examples=200, shard=shard, shards=SHARDS)
    print(  # noqa: T201 - the figures for the record
        f"schemathesis: {run.operations} operations, {run.examples} examples, "
        f"{len(run.failures)} failures"
    )
    assert not run.failures, "\n\n".join(run.failures)
