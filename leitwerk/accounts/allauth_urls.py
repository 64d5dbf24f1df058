"""The URL names django-allauth reverses itself, at the same paths as Leitwerk's own names.

allauth redirects to "account_login", "mfa_authenticate", "account_reauthenticate" and
"mfa_reauthenticate" by these fixed names (no namespace); each points at the page that
`accounts/urls.py` serves under its Leitwerk name, so people only ever see /konto/… paths.
"""

from django.urls import path

from . import signin_views, views

urlpatterns = [
    path("anmelden/", views.login, name="account_login"),
    path("abmelden/", views.logout, name="account_logout"),
    path("anmelden/code/", signin_views.second_factor_verify, name="mfa_authenticate"),
    path("anmelden/code/", signin_views.second_factor_verify, name="mfa_reauthenticate"),
    path("bestaetigen/", signin_views.ReauthenticateView.as_view(), name="account_reauthenticate"),
]
