"""The admin app with Leitwerk's admin site as `admin.site` (kept free of model imports)."""

from django.contrib.admin.apps import AdminConfig


class LeitwerkAdminConfig(AdminConfig):
    default_site = "leitwerk.accounts.admin_site.LeitwerkAdminSite"
