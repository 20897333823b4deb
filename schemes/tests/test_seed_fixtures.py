"""The seed schemes as loaded from fixtures/, checked against the seed documents' own words.

Every expected value is written out here (copied from seeds/000_… and seeds/002_…), not read
from the fixture files, so a damaged fixture fails these tests.
"""

import datetime
from decimal import Decimal

import pytest

from schemes.models import Scheme, SchemeClause
from schemes.selectors import (
    scheme_documents_for_alternative,
    scheme_ethics_items,
    scheme_suspension_grounds,
    scheme_use_rules,
)

TMI_UNITS = [
    ("C.281930.002.01", "Membuat Perencanaan dan Penjadwalan Produksi"),
    ("M.702092.009.01", "Menganalisis Kapasitas Produksi"),
    ("C.290MM01.014.1", "Membuat Prosedur Proses Produksi"),
    ("M.702090.012.02", "Membuat Instruksi Kerja Proses Produksi"),
    ("M.702090.008.02", "Menyusun Alur Proses Produksi"),
    ("M.702090.009.02", "Menyusun Lay-Out Produksi"),
    ("M.702092.001.01", "Merancang Tata Letak Proses Produksi"),
    ("M.702092.014.01", "Mengendalikan Aktivitas Produksi"),
    (
        "C.281930.042.01",
        "Melakukan Aktivitas untuk Menopang Kegiatan Produksi dan Peningkatan Kemampuan Sumber Daya Manusia",
    ),
    ("C.281930.049.01", "Melakukan Analisis Masalah yang Terjadi pada Aktivitas Produksi"),
]
RENBANG_UNITS = [
    ("O.84PPB01.007.1", "Merumuskan rencana kegiatan pembangunan"),
    ("O.84PPB01.008.1", "Menyusun rencana anggaran"),
]


def _structure(scheme):
    return {
        alternative.code: [condition.clause for condition in alternative.conditions.order_by("clause")]
        for alternative in scheme.prerequisite_alternatives.all()
    }


def _documents(scheme, code):
    alternative = scheme.prerequisite_alternatives.get(code=code)
    return sorted(d.name for d in scheme_documents_for_alternative(alternative=alternative))


class TestTmiSeed:
    def test_identity_cover_page(self, tmi):
        assert tmi.document_number == "SCM.009A/LSP.TMI"
        assert tmi.name == "Pengelolaan Produksi"
        assert tmi.scheme_type == Scheme.Type.CLUSTER
        assert tmi.status == Scheme.Status.ACTIVE
        assert tmi.approval_date == datetime.date(2020, 10, 6)
        assert tmi.copy_number == "-"
        assert tmi.distribution_status == ""
        assert tmi.distribution_status_text == "Terkendali / Tak terkendali"
        assert [(a.name, a.position) for a in tmi.approvers.all()] == [
            ("Ir. Catur Hernanto, MM, IPM, Asean Eng.", "Ketua LSP TMI"),
            ("Ir. Muhammad Najib, MBA", "Ketua Komite Skema Sertifikasi"),
        ]

    def test_units_section_5_character_for_character(self, tmi):
        assert [(u.code, u.title) for u in tmi.units.all()] == TMI_UNITS
        assert set(tmi.units.values_list("standard_type", flat=True)) == {"skkni"}

    def test_fee_section_8(self, tmi):
        assert tmi.fee == Decimal("2000000")
        assert (
            tmi.fee_text
            == "Biaya sertifikasi untuk Skema Sertifikasi Klaster Pengelolaan Produksi sebesar Rp 2,000,000"
        )

    def test_prerequisites_6_1_and_6_2_or_6_3(self, tmi):
        conditions = {c.clause: c.text for c in tmi.prerequisite_conditions.all()}
        assert conditions == {
            "6.1": "Pendidikan minimal Sekolah Menengah Atas (SMA) atau Kejuruan (SMK)",
            "6.2": "Pengalaman kerja di bidang produksi minimal 3 (Tiga) tahun, atau",
            "6.3": "Mahasiswa Jurusan Teknik Industri atau Teknik lainnya, Logistik, Manajemen Industri, Teknik "
            "Informatika, Sistem Informasi, Pendidikan Teknik dan Ekonomi yang sudah lulus Semester VI.",
        }
        assert _structure(tmi) == {"A": ["6.1", "6.2"], "B": ["6.1", "6.3"]}

    def test_documents_9_1_2_per_alternative(self, tmi):
        assert tmi.required_documents.count() == 5
        assert list(tmi.required_documents.values_list("clause", flat=True)) == [
            "9.1.2.a", "9.1.2.b", "9.1.2.c", "9.1.2.d", "9.1.2.e",
        ]  # fmt: skip
        photo = tmi.required_documents.get(clause="9.1.2.b")
        assert photo.description == "Pas foto 3x4 sebanyak 2 lembar dengan latar belakang merah."
        assert (photo.photo_size, photo.photo_background, photo.quantity, photo.for_all_applicants) == (
            "3x4", "merah", 2, True,
        )  # fmt: skip
        assert tmi.required_documents.get(clause="9.1.2.a").description == (
            "Fotocopy Identitas Diri (KTP, Paspor, SIM, Kartu Pegawai)"
        )
        assert _documents(tmi, "A") == sorted(
            ["Fotokopi identitas diri", "Pas foto", "Fotokopi ijazah SMA/SMK", "Fotokopi bukti pengalaman kerja"]
        )
        assert _documents(tmi, "B") == sorted(
            ["Fotokopi identitas diri", "Pas foto", "Fotokopi ijazah SMA/SMK", "Fotokopi bukti mahasiswa"]
        )

    def test_parameters_9_4_6_9_6_2_9_7_1_9_9_2_9_9_6(self, tmi):
        assert (
            tmi.certificate_validity_years,
            tmi.surveillance_interval_months,
            tmi.recertification_lead_months,
            tmi.appeal_window_days,
            tmi.appeal_decision_working_days,
        ) == (3, 12, 2, 1, 14)

    def test_sections_1_to_4_and_7(self, tmi):
        count = {kind: tmi.clauses.filter(kind=kind).count() for kind in SchemeClause.Kind.values}
        assert count["background"] == 5
        assert count["scope"] == 2
        assert count["purpose"] == 2
        assert count["reference"] == 10
        assert count["right"] == 5
        assert count["duty"] == 5
        assert tmi.clauses.get(kind="reference", clause="4.10").text == (
            "Peraturan Badan Nasional Sertifikasi Profesi Nomor : 2/BNSP/VIII/2017 tentang Pedoman Pengembangan "
            "Dan Pemeliharaan Skema Sertifikasi Profesi."
        )
        assert tmi.clauses.get(kind="duty", clause="7.2.4").text == "Mentaati kode etik profesi."

    def test_process_9_1_to_9_9(self, tmi):
        steps = tmi.clauses.filter(kind="process", clause__regex=r"^9\.[0-9]$")
        assert list(steps.values_list("clause", "text")) == [
            ("9.1", "Proses Pendaftaran"),
            ("9.2", "Proses Asesmen"),
            ("9.3", "Proses Uji Kompetensi"),
            ("9.4", "Keputusan Sertifikasi"),
            ("9.5", "Pembekuan dan Pencabutan Sertifikat"),
            ("9.6", "Surveilan Pemegang Sertifikat / Pemeliharaan Sertifikat"),
            ("9.7", "Proses Sertifikasi Ulang"),
            ("9.8", "Penggunaan Sertifikat"),
            ("9.9", "Banding"),
        ]
        assert (
            tmi.clauses.get(clause="9.9.2").text
            == "Banding dilakukan maksimal 1 hari sejak keputusan sertifikasi ditetapkan."
        )
        assert tmi.clauses.get(clause="9.9.6").text == (
            "Keputusan banding selambat-lambatnya 14 hari kerja terhitung sejak permohonan banding diterima oleh LSP TMI."
        )

    def test_suspension_ground_9_5_and_use_rules_9_8(self, tmi):
        grounds = tmi.clauses.filter(kind="suspension_ground")
        assert list(grounds.values_list("clause", "text")) == [
            (
                "9.5.1",
                "Pembekuan dan pencabutan sertifikat dilakukan jika pemegang sertifikat melanggar kewajiban pemegang sertifikat.",
            ),
        ]
        assert list(tmi.clauses.filter(kind="use_rule").values_list("clause", flat=True)) == [
            "9.8.1", "9.8.2", "9.8.3", "9.8.4",
        ]  # fmt: skip

    def test_code_of_ethics_9_10_catur_karsa_sapta_dharma(self, tmi):
        items = tmi.clauses.filter(kind="ethics").exclude(clause="")
        assert items.filter(heading="Catur Karsa").count() == 4
        assert items.filter(heading="Sapta Dharma").count() == 7
        assert items.get(clause="9.10.1").text == "Mengutamakan keluhuran budi."
        assert items.get(clause="9.10.11").text == "Senantiasa mengembangkan kemampuan profesionalnya."
        assert tmi.clauses.filter(kind="ethics", clause="").get().text.startswith("Kode Etik LSP TMI mengacu pada")


class TestRenbangSeed:
    def test_identity_cover_page(self, renbang):
        assert renbang.document_number == "SKM/02/KLS/VIII/2020"
        assert renbang.name == "Mengelola Pelaksanaan Rencana Pembangunan"
        assert renbang.scheme_type == Scheme.Type.CLUSTER
        assert renbang.status == Scheme.Status.ACTIVE
        assert renbang.approval_date == datetime.date(2020, 8, 19)
        assert renbang.copy_number == "0"
        assert [(a.name, a.position) for a in renbang.approvers.all()] == [
            ("Abiratno, S.T., M.Sc.", "Direktur LSP Renbang"),
            ("Mohamad Iksan Maolana, S.H., LLM.", "Ketua Komite Skema LSP Renbang"),
        ]

    def test_units_section_5_character_for_character(self, renbang):
        assert [(u.code, u.title) for u in renbang.units.all()] == RENBANG_UNITS

    def test_fee_section_8(self, renbang):
        assert renbang.fee == Decimal("3500000")
        assert renbang.fee_text == (
            "Biaya sertifikasi untuk Skema Sertifikasi Mengelola Pelaksanaan Rencana Pembangunan sebesar "
            "Rp3.500.000,00 (tiga juta lima ratus ribu rupiah)."
        )

    def test_prerequisites_6_1_or_6_2_or_6_3_or_6_4(self, renbang):
        assert _structure(renbang) == {"A": ["6.1"], "B": ["6.2"], "C": ["6.3"], "D": ["6.4"]}
        assert renbang.prerequisite_conditions.get(clause="6.4").text == (
            "Tenaga kerja dengan pengalaman kerja minimal 2 tahun pada bidang Perencanaan Pembangunan yang "
            "dibuktikan dengan minimal memiliki 3 (tiga) hasil kegiatan dibidang perencanaan pembangunan."
        )

    def test_documents_9_1_2_mapped_to_6_1_to_6_4(self, renbang):
        # 9.1.2.c is split into its two documents (see the scheme's mapping note): 6 rows for items a–e.
        assert renbang.required_documents.count() == 6
        photo = renbang.required_documents.get(clause="9.1.2.b")
        assert photo.description == "Pasfoto terbaru 4x6 cm dengan latar merah sebanyak 2 lembar."
        assert (photo.photo_size, photo.photo_background, photo.quantity) == ("4x6", "merah", 2)
        c_text = (
            "Fotokopi Ijazah S-1 atau D-4 dan Surat pengalaman kerja minimal 2 tahun di bidang Perencanaan "
            "Pembangunan; atau"
        )
        assert set(renbang.required_documents.filter(clause="9.1.2.c").values_list("source_text", flat=True)) == {
            c_text
        }
        common = ["Fotokopi KTP", "Pasfoto"]
        assert _documents(renbang, "A") == sorted(
            [*common, "Fotokopi transkrip nilai semester VI dan bukti produk/hasil praktik kerja"]
        )
        assert _documents(renbang, "B") == sorted([*common, "Fotokopi ijazah S-1 atau D-4", "Surat pengalaman kerja"])
        assert _documents(renbang, "C") == sorted(
            [*common, "Fotokopi sertifikat pelatihan, ijazah D-3 dan bukti pengalaman kerja"]
        )
        assert _documents(renbang, "D") == sorted([*common, "Surat pengalaman kerja"])
        assert "9.1.2.c" in renbang.mapping_note and "6.4" in renbang.mapping_note

    def test_parameters(self, renbang):
        assert (
            renbang.certificate_validity_years,
            renbang.surveillance_interval_months,
            renbang.recertification_lead_months,
            renbang.appeal_window_days,
            renbang.appeal_decision_working_days,
        ) == (3, 12, 2, 1, 14)

    def test_suspension_grounds_9_5_individually_addressable(self, renbang):
        grounds = renbang.clauses.filter(kind="suspension_ground")
        assert list(grounds.values_list("clause", "text")) == [
            ("9.5.1.a", "Melanggar ketentuan pemegang sertifikat."),
            ("9.5.1.b", "Melanggar ketentuan disiplin peserta uji kompetensi."),
            ("9.5.1.c", "Menyalahgunakan kewenangan yang telah diberikan."),
            ("9.5.1.d", "Mencemarkan nama baik LSP yang dapat merugikan LSP."),
            (
                "9.5.2",
                "LSP akan melakukan pencabutan sertifikat apabila pemegang sertifikat tidak mengindahkan peringatan "
                "yang telah diberikan dalam penyalahgunaan sertifikat.",
            ),
        ]

    def test_sections_counts(self, renbang):
        clauses = renbang.clauses.exclude(clause="")
        assert clauses.filter(kind="background").count() == 4
        assert clauses.filter(kind="reference").count() == 5
        assert clauses.filter(kind="right").count() == 5
        assert clauses.filter(kind="duty").count() == 5
        assert clauses.filter(kind="use_rule").count() == 4
        assert renbang.clauses.get(kind="scope", clause="").text == "Bidang Perencanaan Pembangunan."

    @pytest.mark.parametrize(
        ("heading", "count"),
        [
            ("Kode Etik dari Nilai Pancasila meliputi:", 5),
            ("Kode Etik Nilai Profesional meliputi:", 3),
            ("Kode Etik Nilai Akuntabel meliputi:", 3),
            ("Kode Etik Nilai Sinergi meliputi:", 3),
            ("Kode Etik Nilai Transparan meliputi:", 2),
            ("Kode Etik Nilai Inovatif meliputi:", 3),
            ("Kode Etik Nilai Orisinalitas meliputi:", 2),
            ("Kode Etik Nilai Kredibel meliputi:", 2),
        ],
    )
    def test_code_of_ethics_9_10_sections(self, renbang, heading, count):
        items = renbang.clauses.filter(kind="ethics", heading=heading)
        assert items.count() == count
        assert list(items.values_list("clause", flat=True)) == list("abcde"[:count])

    def test_code_of_ethics_9_10_title_and_closing(self, renbang):
        assert renbang.ethics_title == "Kode Etik Perkumpulan Perencana Pembangunan Indonesia"
        closing = list(renbang.clauses.filter(kind="ethics", clause="").values_list("text", flat=True))
        assert closing == [
            "Perencana yang melakukan pelanggaran Kode Etik dan Kode Perilaku dikenakan sanksi moral dan/atau "
            "tindakan disiplin",
            "Kode etik diterbitkan oleh Perkumpulan Perencana Pembangunan Indonesia melalui Peraturan Pengurus "
            "Nasional Perkumpulan Perencana Pembangunan Indonesia Nomor: 005/PN-PPPI/PPPI/06/2020 tentang Kode Etik "
            "dan Kode Perilaku Perencana Pembangunan Indonesia.",
        ]


def test_load_seed_schemes_twice_changes_nothing(seed_schemes):
    from django.core.management import call_command

    from lsp.models import AuditEvent
    from schemes.models import Unit

    def counts():
        return Scheme.objects.count(), Unit.objects.count(), SchemeClause.objects.count(), AuditEvent.objects.count()

    before = counts()
    call_command("load_seed_schemes", verbosity=0)
    assert counts() == before
    assert before[:2] == (2, 12)


def test_selectors_for_later_features_9_5_9_8_9_10(tmi, renbang):
    assert scheme_suspension_grounds(scheme=tmi).count() == 1
    assert scheme_suspension_grounds(scheme=renbang).count() == 5
    assert [c.clause for c in scheme_use_rules(scheme=renbang)] == ["9.8.1", "9.8.2", "9.8.3", "9.8.4"]
    assert scheme_ethics_items(scheme=tmi).count() == 11
    assert scheme_ethics_items(scheme=renbang).count() == 23
