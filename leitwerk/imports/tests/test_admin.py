"""Import runs are evidence: the operators' admin shows them but cannot add or edit them."""

from django.contrib import admin
from django.test import RequestFactory

from leitwerk.imports.models import ImportRun


def test_the_admin_can_neither_add_nor_change_an_import_run():
    model_admin = admin.site._registry[ImportRun]
    request = RequestFactory().get("/admin/imports/importrun/")
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_change_permission(request, obj=ImportRun()) is False
