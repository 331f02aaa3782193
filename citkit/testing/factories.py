"""factory_boy factories for tests and benchmarks."""

import factory
from django.contrib.auth import get_user_model

from citkit.core.models import Membership, Program, Role
from citkit.partners.models import Agency, AgencyType
from citkit.people.models import Person, PersonKind, Shift


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"County {n} CIT Program")
    slug = factory.Sequence(lambda n: f"county-{n}")
    jurisdiction = factory.Sequence(lambda n: f"County {n}")
    time_zone = "America/Chicago"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Agency {n:04d}")
    agency_type = AgencyType.LAW_ENFORCEMENT
    city = "Riverbend"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    program = factory.SubFactory(ProgramFactory)
    agency = factory.SubFactory(AgencyFactory, program=factory.SelfAttribute("..program"))
    kind = PersonKind.OFFICER
    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Officer{n:05d}")
    badge_number = factory.Sequence(lambda n: f"B{n:05d}")
    district = "North"
    shift = Shift.DAY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Role.OFFICER
