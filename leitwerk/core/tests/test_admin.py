"""Every model is in the admin, and its list, add and change pages render for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from leitwerk.accounts.tests.factories import SuperUserFactory
from leitwerk.testing.world import build_world

# Rows that are written only by simple_history or by migrations need no admin of their own.
SKIPPED_PREFIXES = ("Historical",)


def leitwerk_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("leitwerk.")
        and not model.__name__.startswith(SKIPPED_PREFIXES)
    ]


def test_every_leitwerk_model_is_registered():
    missing = [m._meta.label for m in leitwerk_models() if not admin.site.is_registered(m)]
    assert not missing, f"register these in the app's admin.py: {missing}"


def _app_labels() -> list[str]:
    return sorted({model._meta.app_label for model in leitwerk_models()})


@pytest.mark.django_db
@pytest.mark.parametrize("app_label", _app_labels())
def test_admin_pages_render_with_german_labels(musterstadt, client, app_label):
    """List, change and add page of every model, one app per test (so the ~160 pages spread
    over the test workers)."""
    build_world(musterstadt, "Admin-Test")
    client.force_login(SuperUserFactory())
    problems = []
    for model in leitwerk_models():
        if model._meta.app_label != app_label:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        obj = model.objects.first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        for url in urls:
            response = client.get(url)
            # 403: read-only admins (audit log, imports, anonymous answers) refuse adding.
            if response.status_code not in (200, 403) or (
                response.status_code == 403 and not url.endswith("/add/")
            ):
                problems.append(f"{url}: {response.status_code}")
    assert not problems, problems


@pytest.mark.django_db
def test_admin_index_names_the_models_in_german(client):
    client.force_login(SuperUserFactory())
    index = client.get(reverse("admin:index")).content.decode()
    assert "Aktionspläne" in index and "Leitbild-Dokumente" in index
