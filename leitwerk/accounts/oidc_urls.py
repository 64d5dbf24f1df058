"""Only the routes single sign-on needs. The names are allauth's, which reverses them."""

from django.urls import path

from . import oidc

urlpatterns = [
    path("<slug:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path("<slug:provider_id>/login/callback/", oidc.callback, name="openid_connect_callback"),
    path("abgebrochen/", oidc.cancelled, name="socialaccount_login_cancelled"),
]
