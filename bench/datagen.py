"""The benchmark's data, written with bulk_create in batches.

Rows are shaped like the ones the services write (statuses, numbers, snapshots, dates that
follow each other), but made directly: the services take a lock, an audit row and a
notification per change, which would take hours for 200,000 applications. What is made:

* applicants (one ``User`` + role each), spread over both seed schemes;
* ``pipeline(n)``: applications in every status before a decision (draft … accepted, rejected,
  withdrawn, completed), submitted ones with the scheme snapshot and fee, accepted ones with an
  invoice in every payment state and a transfer proof where the state has one;
* ``certificates(n)``: per certificate the chain its foreign keys need (completed application
  with snapshot and paid invoice, schedule, assignment, submitted record "K", meeting item,
  "granted" decision, closed meeting with its Berita Acara, SK) and the certificate itself
  with its number from the scheme's series, a random verification code, and a status from the
  issue date (valid, expired) or an after-issue action (suspended, revoked, superseded);
* the registries the lists show: TUKs with a verification, assessors, extra schemes.

Not made (no measured page reads them): APL-01/02 uploads and answers, audit events,
notifications, assessment plans and unit results.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applicants.models import Application, Document, Invoice, PaymentProof
from applicants.snapshot import snapshot_build
from assessments.models import AssessmentRecord, Assessor, Assignment, Schedule, Tuk, TukVerification
from certificates.models import (
    Certificate,
    CertificateSeries,
    Decision,
    DecisionLetter,
    MeetingItem,
    Signatory,
    TechnicalMeeting,
    expiry_for,
)
from certificates.models.certificates import new_verification_code
from lsp.models import Counter, Organisation, Role, User, UserRole
from schemes.models import Scheme, Unit

BATCH = 1000
UTC = datetime.UTC
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
STAFF_EMAIL = "staf@bench.lsp.id"
UNUSABLE_PASSWORD = "!bench-no-login"  # "!" prefix: Django's unusable password


def _words(text):
    return tuple(text.split())


FIRST = _words(
    "Agus Budi Dewi Eko Fitri Gilang Hendra Indah Joko Kartika Lestari Made Nur Putu Rina Sari Taufik Wahyu Yuni "
    "Adi Bayu Citra Dian Endang Fajar Galih Hana Irfan Jaya Kurnia Lina Maya Nanda Oki Rizky Siti Tri Umar Vina "
    "Wulan Yoga Zainal Ayu Bambang Dwi Fauzi Gita Hadi Intan"
)
MIDDLE = _words(
    "Ari Cahya Dharma Eka Fitriani Hidayat Ikhsan Kusuma Lukman Maulana Nugraha Permata Rahma Surya Tirta Utami "
    "Wijaya Yusuf Adhi Bima Candra Dewanti Hakim Indra Jati Krisna Laksana Mulia Nirmala Pratama"
)
LAST = _words(
    "Santoso Wijaya Saputra Hartono Susanto Nugroho Setiawan Kurniawan Purnomo Siregar Nasution Simanjuntak "
    "Sitompul Lubis Harahap Pohan Tanjung Hutapea Pangaribuan Manurung Rahman Hakim Firmansyah Hidayat Gunawan "
    "Halim Tanoto Salim Wibowo Utomo Prasetyo Suryadi Sulistyo Hendrawan Pratama Permana Ramadhan Syahputra"
)
CITIES = _words(
    "Jakarta Bandung Surabaya Medan Semarang Makassar Palembang Denpasar Yogyakarta Malang Balikpapan Pekanbaru "
    "Padang Manado Pontianak Banjarmasin Samarinda Batam Bogor Bekasi Tangerang Depok Cirebon Solo Kupang Ambon "
    "Jayapura Mataram Jambi Bengkulu"
)
EMPLOYERS = (
    "PT Maju Bersama",
    "PT Industri Nusantara",
    "Dinas PUPR",
    "Bappeda Provinsi",
    "PT Sinar Logam",
    "CV Karya Mandiri",
    "Politeknik Negeri",
    "PT Pangan Sejahtera",
    "Kementerian PPN/Bappenas",
    "PT Tekstil Andalan",
)

# Status spread of the applications before a decision (weights in percent).
PIPELINE_STATUSES = (
    (Application.Status.DRAFT, 12),
    (Application.Status.SUBMITTED, 18),
    (Application.Status.REVISION_REQUESTED, 7),
    (Application.Status.ACCEPTED, 38),
    (Application.Status.REJECTED, 10),
    (Application.Status.WITHDRAWN, 5),
    (Application.Status.COMPLETED, 10),
)
INVOICE_STATUSES = (
    (Invoice.Status.UNPAID, 30),
    (Invoice.Status.PROOF_SUBMITTED, 15),
    (Invoice.Status.PROOF_REJECTED, 5),
    (Invoice.Status.PAID, 40),
    (Invoice.Status.SPONSORED, 10),
)
SERIES = {  # per seed scheme: KBLI, KBJI, KKNI level (BNSP-like numbers)
    "SCM.009A/LSP.TMI": ("70209", "2141", "6"),
    "SKM/02/KLS/VIII/2020": ("84111", "2422", "7"),
}


def bulk(model, objects):
    """bulk_create in batches; returns the saved objects (with their primary keys)."""
    return model.objects.bulk_create(objects, batch_size=BATCH)


def at(day, hour=9, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=UTC)


class Generator:
    """Appends rows to the bench database; numbers continue from the counters already there."""

    def __init__(self, *, seed=2026):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.counters = dict(Counter.objects.values_list("series", "value"))
        self.schemes = list(Scheme.objects.filter(document_number__in=SERIES).order_by("pk"))
        if len(self.schemes) != len(SERIES):
            raise RuntimeError("Load the seed schemes first (manage.py load_seed_schemes).")
        self.scheme_by_pk = {s.pk: s for s in self.schemes}
        self.weights = [60, 40][: len(self.schemes)]  # TMI, Renbang
        self.alternatives = {s.pk: list(s.prerequisite_alternatives.order_by("order", "id")) for s in self.schemes}
        self.snapshots = {
            (s.pk, a.pk): snapshot_build(scheme=s, alternative=a) for s in self.schemes for a in self.alternatives[s.pk]
        }
        self.reusable_holders = []  # certificate holders who may apply again (re-certification)

    # --- counters -----------------------------------------------------------------------------

    def next(self, series):
        self.counters[series] = self.counters.get(series, 0) + 1
        return self.counters[series]

    def save_counters(self):
        """Store the last numbers, so the services continue after the generated ones."""
        existing = {c.series: c for c in Counter.objects.filter(series__in=self.counters)}
        new = []
        for series, value in self.counters.items():
            if series in existing:
                if existing[series].value < value:
                    Counter.objects.filter(pk=existing[series].pk).update(value=value)
            else:
                new.append(Counter(series=series, value=value))
        bulk(Counter, new)

    # --- people -------------------------------------------------------------------------------

    def name(self):
        rng = self.rng
        parts = [rng.choice(FIRST)]
        if rng.random() < 0.5:
            parts.append(rng.choice(MIDDLE))
        parts.append(rng.choice(LAST))
        return " ".join(parts)

    def users(self, n, role, *, kind="asesi"):
        users = []
        for _i in range(n):
            seq = self.next(f"bench-user-{kind}")
            joined = at(self.today - datetime.timedelta(days=self.rng.randint(30, 2400)))
            users.append(
                User(
                    email=f"{kind}.{seq:06d}@bench.lsp.id",
                    full_name=self.name(),
                    password=UNUSABLE_PASSWORD,
                    email_verified_at=joined,
                    date_joined=joined,
                    preferred_language="en" if self.rng.random() < 0.1 else "id",
                )
            )
        users = bulk(User, users)
        bulk(UserRole, [UserRole(user=u, role=role, granted_at=u.date_joined) for u in users])
        return users

    def base(self, *, tuks=40, assessors=150, technical_team=6):
        """The staff account, the LSP profile, signatory, number series, TUKs, assessors, technical team."""
        with transaction.atomic():
            staff, created = User.objects.get_or_create(
                email=STAFF_EMAIL, defaults={"full_name": "Rina Staf Bench", "email_verified_at": timezone.now()}
            )
            if created:
                staff.set_password("bench-staff")
                staff.save(update_fields=["password"])
            UserRole.objects.get_or_create(user=staff, role=Role.STAFF)
            self.staff = staff
            organisation = Organisation.current()
            organisation.name = "LSP Teknik dan Manajemen Industri"
            organisation.address = "Jl. Industri No. 5, Bandung 40123"
            organisation.bank_name, organisation.bank_account_number = "Bank Mandiri", "1300012345678"
            organisation.bank_account_name = "LSP TMI"
            organisation.save()
            self.signatory = Signatory.objects.filter(signs_certificates=True, active=True).first() or (
                Signatory.objects.create(
                    name="Ir. Catur Hernanto, MM",
                    position="Ketua LSP TMI",
                    position_en="Chair of LSP TMI",
                    signs_certificates=True,
                )
            )
            self.series = {}
            for scheme in self.schemes:
                kbli, kbji, level = SERIES[scheme.document_number]
                self.series[scheme.pk], _created = CertificateSeries.objects.get_or_create(
                    scheme=scheme, defaults={"kbli": kbli, "kbji": kbji, "level": level}
                )
            self.technical_team = list(User.objects.filter(roles__role=Role.TECHNICAL_TEAM).order_by("pk"))
            if len(self.technical_team) < technical_team:
                self.technical_team += self.users(
                    technical_team - len(self.technical_team), Role.TECHNICAL_TEAM, kind="teknis"
                )
            self.tuks(max(0, tuks - Tuk.objects.count()))
            self.tuk_ids = list(Tuk.objects.values_list("pk", flat=True))
            self.assessors(max(0, assessors - Assessor.objects.count()))
            self.assessor_ids = list(Assessor.objects.filter(is_active=True).values_list("pk", flat=True))
            self.save_counters()

    def tuks(self, n):
        kinds = [c for c, _label in Tuk.Type.choices]
        made = []
        for _i in range(n):
            seq = self.next("bench-tuk")
            city = self.rng.choice(CITIES)
            made.append(
                Tuk(
                    name=f"TUK {city} {seq:05d}",
                    tuk_type=self.rng.choice(kinds),
                    address=f"Jl. Pendidikan No. {seq}",
                    city=city,
                    contact_person=self.name(),
                    contact_phone=f"08{self.rng.randint(10**9, 10**10 - 1)}",
                    created_at=at(self.today - datetime.timedelta(days=self.rng.randint(200, 2000))),
                )
            )
        made = bulk(Tuk, made)
        verifications = []
        for tuk in made:
            verified = self.today - datetime.timedelta(days=self.rng.randint(0, 500))
            verifications.append(
                TukVerification(
                    tuk=tuk,
                    verified_on=verified,
                    valid_until=verified + datetime.timedelta(days=365),
                    verified_by=self.staff,
                    checklist_notes="Ruang, peralatan, APD dan K3 lengkap",
                )
            )
        bulk(TukVerification, verifications)
        return made

    def assessors(self, n):
        users = self.users(n, Role.ASSESSOR, kind="asesor")
        made = []
        for user in users:
            seq = self.next("bench-met")
            made.append(
                Assessor(
                    user=user,
                    met_number=f"MET.000.{seq:06d} {2015 + seq % 10}",
                    registration_valid_until=self.today + datetime.timedelta(days=self.rng.randint(-200, 1100)),
                    is_active=self.rng.random() < 0.95,
                )
            )
        made = bulk(Assessor, made)
        through = Assessor.schemes.through
        links = []
        for assessor in made:
            chosen = self.schemes if self.rng.random() < 0.3 else [self.rng.choices(self.schemes, self.weights)[0]]
            links += [through(assessor_id=assessor.pk, scheme_id=s.pk) for s in chosen]
        bulk(through, links)
        return made

    def schemes_extra(self, n):
        """More active schemes (copies of a seed scheme with its units), for the catalogue's query count."""
        source = self.schemes[0]
        units = list(Unit.objects.filter(scheme=source).order_by("order", "id"))
        made = []
        for _i in range(n):
            seq = self.next("bench-scheme")
            made.append(
                Scheme(
                    document_number=f"SCM.B{seq:05d}/LSP.BENCH",
                    slug=f"skema-bench-{seq:05d}",
                    name=f"{source.name} {seq:05d}",
                    name_en=source.name_en,
                    scheme_type=source.scheme_type,
                    lsp_name=source.lsp_name,
                    lsp_short_name=source.lsp_short_name,
                    fee=source.fee,
                    status=Scheme.Status.ACTIVE,
                )
            )
        made = bulk(Scheme, made)
        bulk(
            Unit,
            [
                Unit(scheme=scheme, order=u.order, code=u.code, title=u.title, title_en=u.title_en)
                for scheme in made
                for u in units
            ],
        )
        return made

    # --- applications ---------------------------------------------------------------------------

    def pick_scheme(self):
        return self.rng.choices(self.schemes, self.weights)[0]

    def application(self, *, applicant, scheme, status, created, purpose=None):
        """One application with the person's data, and what its status implies (snapshot, dates, numbers)."""
        rng = self.rng
        alternative = rng.choice(self.alternatives[scheme.pk])
        city = rng.choice(CITIES)
        app = Application(
            applicant=applicant,
            scheme=scheme,
            alternative=alternative,
            status=status,
            full_name=applicant.full_name,
            nik=f"{rng.randint(1101, 9471)}{rng.randint(10**11, 10**12 - 1)}",
            birth_place=city,
            birth_date=datetime.date(rng.randint(1965, 2003), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice(("male", "female")),
            address=f"Jl. Melati No. {rng.randint(1, 200)}, {city}",
            postcode=f"{rng.randint(10000, 99999)}",
            phone_mobile=f"08{rng.randint(10**9, 10**10 - 1)}",
            email=applicant.email,
            education=rng.choice(("sma", "d3", "s1", "s1", "s2")),
            work_institution=rng.choice(EMPLOYERS),
            work_position=rng.choice(("Staf", "Supervisor", "Manajer", "Analis")),
            purpose=purpose or Application.Purpose.CERTIFICATION,
            funding=rng.choice(("self", "employer", "government")),
            created_at=created,
        )
        if status == Application.Status.DRAFT:
            app.alternative = alternative if rng.random() < 0.5 else None
            return app
        now = timezone.now()
        submitted = min(now, created + datetime.timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8)))
        app.submitted_at = app.last_submitted_at = app.declared_at = app.consented_at = submitted
        app.reference = f"REG/{submitted.year}/{self.next(f'application-{submitted.year}'):06d}"
        app.snapshot = self.snapshots[(scheme.pk, alternative.pk)]
        app.fee = scheme.fee
        decided = min(now, submitted + datetime.timedelta(days=rng.randint(1, 12)))
        if status == Application.Status.REVISION_REQUESTED:
            app.revision_note = "Lengkapi pas foto latar merah dan ijazah yang dilegalisir."
            app.revision_sections = ["documents"]
            app.revision_due = (decided + datetime.timedelta(days=14)).date()
        elif status == Application.Status.SUBMITTED and rng.random() < 0.2:  # resubmitted after a revision
            app.last_submitted_at = decided
        elif status in (Application.Status.ACCEPTED, Application.Status.REJECTED, Application.Status.COMPLETED):
            app.decided_at, app.decided_by = decided, self.staff
            if status == Application.Status.REJECTED:
                app.rejection_reason = "Persyaratan dasar (6) tidak terpenuhi."
        return app

    def invoice(self, application, status):
        issued = application.decided_at or application.last_submitted_at
        invoice = Invoice(
            application=application,
            number=f"INV/{issued.year}/{self.next(f'invoice-{issued.year}'):06d}",
            amount=application.fee or Decimal("0"),
            issued_at=issued,
            due_date=(issued + datetime.timedelta(days=14)).date(),
            bank_name="Bank Mandiri",
            bank_account_number="1300012345678",
            bank_account_name="LSP TMI",
            status=status,
        )
        if status in Invoice.SETTLED_STATUSES:
            invoice.settled_at, invoice.settled_by = (
                issued + datetime.timedelta(days=self.rng.randint(1, 10)),
                self.staff,
            )
        if status == Invoice.Status.SPONSORED:
            invoice.sponsor_type, invoice.sponsor_name = Invoice.SponsorType.EMPLOYER, application.work_institution
            invoice.sponsor_reference = f"SPK/{issued.year}/{invoice.number[-6:]}"
        return invoice

    def pipeline(self, n, *, status=None, scheme=None, reuse_holders=0.4):
        """``n`` applications spread over the statuses before a decision (or all in ``status``)."""
        rng = self.rng
        statuses = [s for s, _w in PIPELINE_STATUSES]
        weights = [w for _s, w in PIPELINE_STATUSES]
        plan = [status or rng.choices(statuses, weights)[0] for _i in range(n)]
        n_reused = min(int(n * reuse_holders), len(self.reusable_holders))
        applicants = [self.reusable_holders.pop() for _i in range(n_reused)]
        applicants += self.users(n - n_reused, Role.APPLICANT)
        apps = []
        for index, (app_status, applicant) in enumerate(zip(plan, applicants, strict=True)):
            holder = index < n_reused
            chosen = scheme or self.pick_scheme()
            # Recent applications are more numerous than old ones; drafts and open ones are recent.
            days = (
                int(720 * rng.random() ** 2)
                if app_status not in ("draft", "submitted", "revision_requested")
                else (rng.randint(0, 60))
            )
            created = at(self.today - datetime.timedelta(days=days + 12), rng.randint(1, 10), rng.randint(0, 59))
            apps.append(
                self.application(
                    applicant=applicant,
                    scheme=chosen,
                    status=app_status,
                    created=created,
                    purpose=Application.Purpose.RECERTIFICATION if holder else None,
                )
            )
        apps = bulk(Application, apps)
        invoices = []
        for app in apps:
            if app.status == Application.Status.ACCEPTED:
                invoices.append(self.invoice(app, rng.choices(*zip(*INVOICE_STATUSES, strict=True))[0]))
            elif app.status == Application.Status.COMPLETED:
                invoices.append(self.invoice(app, Invoice.Status.PAID))
        invoices = bulk(Invoice, invoices)
        self.proofs(
            [i for i in invoices if i.status in (Invoice.Status.PROOF_SUBMITTED, Invoice.Status.PROOF_REJECTED)]
        )
        return apps

    def proofs(self, invoices):
        """A transfer proof (the uploaded document and its review state) for each invoice that has one."""
        documents = []
        for invoice in invoices:
            documents.append(
                Document(
                    application=invoice.application,
                    owner_id=invoice.application.applicant_id,
                    kind=Document.Kind.PAYMENT_PROOF,
                    title="Bukti transfer",
                    storage_name=f"bench/proofs/{invoice.application.uuid}.jpg",
                    original_name="bukti-transfer.jpg",
                    content_type="image/jpeg",
                    size=184_233,
                    sha256="0" * 64,
                    uploaded_at=invoice.issued_at,
                )
            )
        documents = bulk(Document, documents)
        proofs = []
        for invoice, document in zip(invoices, documents, strict=True):
            rejected = invoice.status == Invoice.Status.PROOF_REJECTED
            proofs.append(
                PaymentProof(
                    invoice=invoice,
                    document=document,
                    submitted_at=invoice.issued_at,
                    status=PaymentProof.Status.REJECTED if rejected else PaymentProof.Status.PENDING,
                    reviewed_by=self.staff if rejected else None,
                    rejection_reason="Nominal tidak sesuai." if rejected else "",
                )
            )
        bulk(PaymentProof, proofs)

    # --- the chain behind each certificate --------------------------------------------------------

    def meetings(self, dates, *, with_letters=True):
        """Closed technical team meetings on ``dates`` (Berita Acara numbered), each with its SK the next days."""
        made = []
        for day in dates:
            made.append(
                TechnicalMeeting(
                    date=day,
                    place="Ruang Rapat LSP",
                    chair=self.rng.choice(self.technical_team),
                    status=TechnicalMeeting.Status.CLOSED,
                    convened_by=self.staff,
                    convened_at=at(day - datetime.timedelta(days=3)),
                    minutes_number=f"{self.next(f'minutes:{day.year}'):03d}/BA/TT/{ROMAN[day.month - 1]}/{day.year}",
                    minutes_date=day,
                    closed_at=at(day, 15),
                    closed_by=self.staff,
                )
            )
        made = bulk(TechnicalMeeting, made)
        through = TechnicalMeeting.members.through
        members = []
        for meeting in made:
            chosen = {meeting.chair_id, *(u.pk for u in self.rng.sample(self.technical_team, 2))}
            members += [through(technicalmeeting_id=meeting.pk, user_id=pk) for pk in chosen]
        bulk(through, members)
        letters = []
        if with_letters:
            for meeting in made:
                day = min(self.today, meeting.date + datetime.timedelta(days=self.rng.randint(1, 3)))
                letters.append(
                    DecisionLetter(
                        meeting=meeting,
                        number=f"{self.next(f'letter:{day.year}'):03d}/SK/LSP/{ROMAN[day.month - 1]}/{day.year}",
                        date=day,
                        signatory=self.signatory,
                        signatory_name=self.signatory.name,
                        signatory_position=self.signatory.position,
                        issued_by=self.staff,
                        issued_at=at(day, 10),
                    )
                )
            letters = bulk(DecisionLetter, letters)
        return made, letters

    def schedules(self, groups):
        """One schedule per (scheme, test date, size), with one or two of the assessors on it."""
        made = []
        for scheme, day, size in groups:
            made.append(
                Schedule(
                    number=f"JUK/{day.year}/{self.next(f'schedule-{day.year}'):04d}",
                    scheme=scheme,
                    tuk_id=self.rng.choice(self.tuk_ids),
                    date=day,
                    start_time=datetime.time(8, 0),
                    end_time=datetime.time(16, 0),
                    capacity=max(1, size),
                    created_by=self.staff,
                    created_at=at(day - datetime.timedelta(days=30)),
                )
            )
        made = bulk(Schedule, made)
        through = Schedule.assessors.through
        links = []
        self.schedule_assessors = {}
        for schedule in made:
            chosen = self.rng.sample(self.assessor_ids, 2)
            self.schedule_assessors[schedule.pk] = chosen
            links += [through(schedule_id=schedule.pk, assessor_id=pk) for pk in chosen]
        bulk(through, links)
        return made

    def granted_chain(self, n, *, per_meeting=50, first_day=None, last_day=None, issue=True, meetings=None):
        """``n`` candidates found competent and granted a certificate in closed meetings with an SK.

        With ``issue`` the certificates are made too; without, the decisions wait for issuance.
        ``meetings`` (already made, with their letters) receive the decisions instead of new ones.
        Returns (decisions, letters).
        """
        rng = self.rng
        first_day = first_day or self.today - datetime.timedelta(days=6 * 365)
        last_day = last_day or self.today - datetime.timedelta(days=1)
        if meetings is None:
            n_meetings = max(1, math.ceil(n / per_meeting))
            span = (last_day - first_day).days
            dates = sorted(
                first_day + datetime.timedelta(days=int(span * (i + rng.random()) / n_meetings))
                for i in range(n_meetings)
            )
            meetings = self.meetings(dates)
        meeting_rows, letters = meetings
        letter_of = {letter.meeting_id: letter for letter in letters}
        # Candidates: meeting i gets candidates i*per_meeting …; per meeting one schedule per scheme.
        slots = [(meeting_rows[min(i // per_meeting, len(meeting_rows) - 1)], self.pick_scheme()) for i in range(n)]
        groups = {}
        for meeting, scheme in slots:
            groups.setdefault((meeting.pk, scheme.pk), [meeting, scheme, 0])[2] += 1
        schedule_keys = list(groups)
        schedules = self.schedules(
            [
                (groups[k][1], groups[k][0].date - datetime.timedelta(days=rng.randint(7, 21)), groups[k][2])
                for k in schedule_keys
            ]
        )
        schedule_of = dict(zip(schedule_keys, schedules, strict=True))

        applicants = self.users(n, Role.APPLICANT)
        apps = []
        for (meeting, scheme), applicant in zip(slots, applicants, strict=True):
            test_day = schedule_of[(meeting.pk, scheme.pk)].date
            created = at(test_day - datetime.timedelta(days=rng.randint(30, 90)), rng.randint(1, 10))
            app = self.application(
                applicant=applicant, scheme=scheme, status=Application.Status.COMPLETED, created=created
            )
            app.decided_at = min(app.decided_at, at(test_day - datetime.timedelta(days=3)))
            apps.append(app)
        apps = bulk(Application, apps)
        bulk(
            Invoice,
            [
                self.invoice(app, Invoice.Status.PAID if rng.random() < 0.85 else Invoice.Status.SPONSORED)
                for app in apps
            ],
        )

        assignments = []
        for (meeting, scheme), app in zip(slots, apps, strict=True):
            schedule = schedule_of[(meeting.pk, scheme.pk)]
            assessor_id = rng.choice(self.schedule_assessors[schedule.pk])
            added = at(schedule.date - datetime.timedelta(days=10))
            assignments.append(
                Assignment(
                    schedule=schedule,
                    application=app,
                    assessor_id=assessor_id,
                    status=Assignment.Status.ACTIVE,
                    added_at=added,
                    added_by=self.staff,
                    assigned_at=added,
                    assigned_by=self.staff,
                    declared_at=added + datetime.timedelta(days=1),
                )
            )
        assignments = bulk(Assignment, assignments)
        records = bulk(
            AssessmentRecord,
            [
                AssessmentRecord(
                    assignment=a,
                    application_id=a.application_id,
                    assessor_id=a.assessor_id,
                    status=AssessmentRecord.Status.SUBMITTED,
                    recommendation="K",
                    created_at=at(a.schedule.date),
                    submitted_at=at(a.schedule.date, 17),
                )
                for a in assignments
            ],
        )
        positions = {}
        items, decisions = [], []
        for (meeting, _scheme), record in zip(slots, records, strict=True):
            positions[meeting.pk] = positions.get(meeting.pk, 0) + 1
            items.append(
                MeetingItem(
                    meeting=meeting, record=record, position=positions[meeting.pk], added_at=meeting.convened_at
                )
            )
            decisions.append(
                Decision(
                    meeting=meeting,
                    record=record,
                    application_id=record.application_id,
                    recommendation="K",
                    recommendation_verified=True,
                    evidence_verified=True,
                    outcome=Decision.Outcome.GRANTED,
                    decided_by=meeting.chair,
                    decided_at=at(meeting.date, 11),
                    communicated_at=meeting.closed_at,
                )
            )
        bulk(MeetingItem, items)
        decisions = bulk(Decision, decisions)
        if issue:
            self.issue(decisions, apps, letter_of)
        return decisions, letters

    def issue(self, decisions, apps, letter_of):
        """The certificates of ``decisions`` as ``certificate_issue`` writes them, without its per-row locks."""
        rng = self.rng
        certificates = []
        for decision, app in zip(decisions, apps, strict=True):
            letter = letter_of[decision.meeting_id]
            scheme = self.scheme_by_pk[app.scheme_id]
            series = self.series[scheme.pk]
            day = letter.date
            serial = self.next(series.counter_key(day.year))
            expiry = expiry_for(day, scheme.certificate_validity_years)
            status = Certificate.Status.ACTIVE if expiry >= self.today else Certificate.Status.EXPIRED
            roll = rng.random()
            if roll < 0.03:
                status = Certificate.Status.SUSPENDED
            elif roll < 0.045:
                status = Certificate.Status.REVOKED
            elif status == Certificate.Status.EXPIRED and roll < 0.3:
                status = Certificate.Status.SUPERSEDED  # re-certified
            snapshot = app.snapshot
            registered = day < self.today - datetime.timedelta(days=45)
            certificates.append(
                Certificate(
                    number=series.format_number(serial=serial, year=day.year),
                    series=series,
                    serial=serial,
                    verification_code=new_verification_code(),
                    decision=decision,
                    letter=letter,
                    application=app,
                    holder_id=app.applicant_id,
                    scheme=scheme,
                    holder_name=app.full_name,
                    scheme_name=snapshot["scheme"]["name"],
                    scheme_name_en=snapshot["scheme"].get("name_en", ""),
                    scheme_document_number=snapshot["scheme"]["document_number"],
                    units=[
                        {"code": u["code"], "title": u["title"], "title_en": u.get("title_en", "")}
                        for u in snapshot["units"]
                    ],
                    signatory=self.signatory,
                    signatory_name=self.signatory.name,
                    signatory_position=self.signatory.position,
                    signatory_position_en=self.signatory.position_en,
                    issue_date=day,
                    expiry_date=expiry,
                    bnsp_registration_number=f"{series.kbli}.{day.year}.{serial:06d}" if registered else "",
                    blanko_number=f"B{day.year}{series.pk:02d}{serial:07d}" if registered else "",
                    status=status,
                    status_changed_at=at(min(self.today, expiry if status == "expired" else day)),
                    issued_at=at(day, 10, 30),
                    issued_by=self.staff,
                )
            )
        certificates = bulk(Certificate, certificates)
        self.reusable_holders += [app.applicant for app in apps]
        self.rng.shuffle(self.reusable_holders)
        return certificates

    def certificates(self, n, **kwargs):
        with transaction.atomic():
            decisions, letters = self.granted_chain(n, **kwargs)
            self.save_counters()
        return decisions, letters

    def applications(self, n, **kwargs):
        with transaction.atomic():
            apps = self.pipeline(n, **kwargs)
            self.save_counters()
        return apps


def staff_user():
    return User.objects.get(email=STAFF_EMAIL)
