from __future__ import annotations

import factory

from leitwerk.accounts.models import User

# One known password for every factory user, so tests can log in through the real form.
DEFAULT_PASSWORD = "Test-Passwort-123!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the instance
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True
