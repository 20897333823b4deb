"""Demo data for trying the assessment stage locally: the demo assessor's registration and a verified TUK.

Runs after ``load_seed_schemes`` and ``seed_demo``; running it again changes nothing. Never for production.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lsp.audit import audit_record
from lsp.models import User
from schemes.models import Scheme

from ...models import Assessor, Tuk, TukVerification

DEMO_ASSESSOR = "asesor@demo.lsp.id"
DEMO_STAFF = "staf@demo.lsp.id"


class Command(BaseCommand):
    help = "Register the demo assessor for every active scheme and add a verified demo TUK."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        assessor_user = User.objects.filter(email=DEMO_ASSESSOR).first()
        staff = User.objects.filter(email=DEMO_STAFF).first()
        if assessor_user is None or staff is None:
            self.stderr.write("Run `manage.py seed_demo` first (demo accounts are missing).")
            return
        assessor, _created = Assessor.objects.get_or_create(
            user=assessor_user,
            defaults={"met_number": "MET.000.000001 2026", "registration_valid_until": today + datetime.timedelta(days=3 * 365)},
        )
        assessor.schemes.add(*Scheme.objects.filter(status=Scheme.Status.ACTIVE))
        tuk, created = Tuk.objects.get_or_create(
            name="TUK Demo Politeknik",
            defaults={"tuk_type": Tuk.Type.SEWAKTU, "address": "Jl. Demo No. 1", "city": "Bandung", "contact_person": "Pak Joko"},
        )
        if created:
            audit_record(actor=staff, action="tuk.create", obj=tuk, to_state="unverified")
        if not tuk.is_verified_on(today):
            TukVerification.objects.create(
                tuk=tuk, verified_on=today, valid_until=today + datetime.timedelta(days=365), verified_by=staff,
                checklist_notes="Demo: ruang, peralatan dan APD lengkap.",
            )
            audit_record(actor=staff, action="tuk.verify", obj=tuk, from_state="unverified", to_state="verified")
        self.stdout.write(f"Demo assessor {assessor.met_number}; TUK {tuk.name} verified.")
