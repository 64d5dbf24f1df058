from django.urls import path

from . import people_views, signin_views, views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.login, name="login"),
    path("abmelden/", views.logout, name="logout"),
    path("sitzung-verlaengern/", views.session_extend, name="session_extend"),
    # Second factor (django-allauth's allauth.mfa), "Mein Konto", password (catalogue B2-B8).
    path("anmelden/code/", signin_views.second_factor_verify, name="2fa_verify"),
    path("zwei-faktor/einrichten/", signin_views.second_factor_enroll, name="2fa_enroll"),
    path("zwei-faktor/notfall-codes/", signin_views.backup_codes, name="2fa_backup_codes"),
    path(
        "zwei-faktor/notfall-codes/neu/",
        signin_views.backup_codes_renew,
        name="2fa_backup_codes_renew",
    ),
    path("", signin_views.account, name="account"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("erinnerungen/", views.reminders_switch, name="reminders"),
    # Invitation link of "Personen & Rollen" (accounts/people_views.py), valid 72 hours.
    path(
        "einladung/<int:pk>/<str:token>/",
        people_views.invitation_accept,
        name="invitation_accept",
    ),
    path("bestaetigen/", signin_views.ReauthenticateView.as_view(), name="reauth"),
    path("passwort/", signin_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "passwort-vergessen/",
        signin_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        signin_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        signin_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        signin_views.password_reset_complete,
        name="password_reset_complete",
    ),
]
