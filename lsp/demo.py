"""Demo accounts, one per role, for trying the portal locally. Never for production."""

from django.db import transaction
from django.utils import timezone

from .models import Role, User, UserRole

DEMO_PASSWORD = "demo-lsp-2026"

DEMO_ACCOUNTS = [
    # (email, full name, roles)
    ("pemohon@demo.lsp.id", "Siti Pemohon", [Role.APPLICANT]),
    ("asesor@demo.lsp.id", "Budi Asesor", [Role.ASSESSOR]),
    ("staf@demo.lsp.id", "Rina Staf", [Role.STAFF]),
    ("teknis@demo.lsp.id", "Agus Tim Teknis", [Role.TECHNICAL_TEAM]),
    ("banding@demo.lsp.id", "Dewi Tim Banding", [Role.APPEAL_TEAM]),
    ("admin@demo.lsp.id", "Admin LSP", [Role.ADMIN, Role.STAFF]),
]


@transaction.atomic
def demo_accounts_create():
    """Create (or repair) the demo accounts; running it again changes nothing else."""
    created = []
    for email, full_name, roles in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": full_name, "email_verified_at": timezone.now()},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            if Role.ADMIN in roles:
                user.is_staff = user.is_superuser = True
            user.save()
            created.append(email)
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
    return created
