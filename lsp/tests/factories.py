import factory
from django.utils import timezone

from lsp.models import User, UserRole

TEST_PASSWORD = "test-pass-12345"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="id_ID")
    is_active = True
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
