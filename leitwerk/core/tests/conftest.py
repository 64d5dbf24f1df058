"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest

from leitwerk.testing.matrix import built_matrix


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """Musterstadt (a person in every role) and Fremdstadt with every parameterised URL, built
    once per test module inside a transaction that is rolled back (leitwerk.testing.matrix)."""
    with django_db_blocker.unblock(), built_matrix() as built:
        yield built
