from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel
from leitwerk.municipalities.models import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("E-Mail-Adresse fehlt.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles live in municipalities.Membership."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    email_reminders = models.BooleanField(
        _("Erinnerungen per E-Mail"),
        default=True,
        help_text=_("Aus: keine Erinnerungs-E-Mails vor Sachstandsterminen (die Pflicht bleibt)."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class IdentityProvider(TenantModel):
    """Sign-in through the municipality's own identity provider (OpenID Connect).

    Keycloak, AD FS and Entra ID all speak OpenID Connect; django-allauth's generic provider
    talks to them (`leitwerk/accounts/oidc.py`). The client secret is not stored here: it is
    read from the environment variable named in `secret_env`, so database dumps, backups and
    the admin never show it.
    """

    slug = models.SlugField(
        _("Kennung"),
        max_length=60,
        unique=True,
        help_text=_("Teil der Rücksprungadresse: /konto/oidc/<Kennung>/login/callback/"),
    )
    name = models.CharField(
        _("Bezeichnung"),
        max_length=120,
        help_text=_("So heißt die Anmeldung auf der Anmeldeseite, z. B. „Stadtverwaltung“."),
    )
    issuer = models.URLField(
        _("Aussteller (Issuer)"),
        help_text=_("Genau wie im Feld „issuer“ der Discovery-Adresse, ohne /.well-known/…"),
    )
    client_id = models.CharField(_("Client-ID"), max_length=200)
    secret_env = models.CharField(
        _("Umgebungsvariable mit dem Client-Secret"),
        max_length=100,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9_]*$",
                _("Nur Großbuchstaben, Ziffern und _, z. B. LEITWERK_OIDC_SECRET_MUSTERSTADT."),
            )
        ],
    )
    scopes = models.CharField(
        _("Angefragte Scopes"),
        max_length=300,
        default="openid profile email",
        help_text=_(
            "Durch Leerzeichen getrennt; Keycloak oft zusätzlich „groups“, AD FS „allatclaims“."
        ),
    )
    groups_claim = models.CharField(
        _("Claim mit den Gruppen"),
        max_length=100,
        default="groups",
        help_text=_("Keycloak und AD FS: meist „groups“; Entra ID: „groups“ oder „roles“."),
    )
    group_roles = models.JSONField(
        _("Gruppen → Rollen"),
        default=dict,
        blank=True,
        help_text=_('Zum Beispiel {"leitwerk-strategie": "strategy", "alle": "viewer"}.'),
    )
    email_domains = models.CharField(
        _("Erlaubte E-Mail-Domains"),
        max_length=300,
        help_text=_("Durch Komma getrennt, z. B. „musterstadt.de, stadtwerke-musterstadt.de“."),
    )
    enabled = models.BooleanField(_("eingeschaltet"), default=True)

    class Meta:
        verbose_name = _("Anmeldung über die Verwaltung (OpenID Connect)")
        verbose_name_plural = _("Anmeldungen über die Verwaltung (OpenID Connect)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="one_identity_provider")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def domains(self) -> set[str]:
        return {d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()}

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if not isinstance(self.group_roles, dict):
            errors["group_roles"] = _("Bitte eine Zuordnung Gruppe → Rolle angeben.")
        else:
            wrong = sorted(
                f"{group} → {role}"
                for group, role in self.group_roles.items()
                if role not in Role.values
            )
            if wrong:
                errors["group_roles"] = _(
                    "Unbekannte Rolle bei %(wrong)s. Erlaubt sind: %(roles)s."
                ) % {"wrong": ", ".join(wrong), "roles": ", ".join(Role.values)}
        if "openid" not in self.scopes.split():
            errors["scopes"] = _("Der Scope „openid“ muss dabei sein.")
        if not self.domains:
            errors["email_domains"] = _("Bitte mindestens eine E-Mail-Domain angeben.")
        if errors:
            raise ValidationError(errors)


class Invitation(TenantModel):
    """An e-mailed link with which a person invited by a municipality's admin sets a password.

    The link carries the row's id and a keyed hash of its `nonce` (`accounts/invitations.py`);
    the nonce alone is worthless without the installation's secret key. Sending the invitation
    again draws a new nonce and a new expiry, so older links stop working.
    """

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("Person"),
    )
    invited_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingeladen von"),
    )
    nonce = models.CharField(_("Zufallswert"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("gültig bis"))
    sent_at = models.DateTimeField(_("zuletzt gesendet"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Einladung für {self.user.email}"
