"""The public catalogue: list, scheme page and PDF, in Indonesian and English, without login."""

import re
import zlib

import pytest
from django.urls import NoReverseMatch, reverse

from schemes.models import Scheme
from schemes.services import scheme_set_status


def test_list_shows_active_schemes_with_units_and_fee_section_8(client, seed_schemes):
    response = client.get(reverse("schemes:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pengelolaan Produksi" in html
    assert "Mengelola Pelaksanaan Rencana Pembangunan" in html
    assert "Rp 2.000.000" in html
    assert "Rp 3.500.000" in html
    schemes = {s.document_number: s for s in response.context["schemes"]}
    assert schemes["SCM.009A/LSP.TMI"].unit_count == 10
    assert schemes["SKM/02/KLS/VIII/2020"].unit_count == 2


def test_list_in_english_uses_english_names(english, seed_schemes):
    html = english.get(reverse("schemes:list")).content.decode()
    assert '<html lang="en">' in html
    assert "Certification schemes" in html
    assert "Production Management" in html
    assert "Rp 2.000.000" in html


def test_list_hides_draft_and_retired(client, tmi, renbang):
    scheme_set_status(scheme=renbang, status=Scheme.Status.RETIRED)
    Scheme.objects.filter(pk=tmi.pk).update(status=Scheme.Status.DRAFT)
    html = client.get(reverse("schemes:list")).content.decode()
    assert "Pengelolaan Produksi" not in html
    assert "Mengelola Pelaksanaan" not in html


@pytest.mark.parametrize("status", [Scheme.Status.DRAFT, Scheme.Status.RETIRED])
def test_detail_and_pdf_of_unpublished_scheme_are_404(client, tmi, status):
    Scheme.objects.filter(pk=tmi.pk).update(status=status)
    assert client.get(reverse("schemes:detail", args=[tmi.slug])).status_code == 404
    assert client.get(reverse("schemes:pdf", args=[tmi.slug])).status_code == 404


def test_detail_tmi_in_indonesian_shows_what_an_applicant_needs(client, tmi):
    response = client.get(reverse("schemes:detail", args=[tmi.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    # Units (5), character for character.
    assert "C.290MM01.014.1" in html
    assert "Membuat Prosedur Proses Produksi" in html
    # Fee (8), with the rupiah filter.
    assert "Rp 2.000.000" in html
    # Prerequisites (6) as alternatives: A = 6.1 and 6.2, or B = 6.1 and 6.3.
    page = response.context["page"]
    assert [[c.clause for c in a.conditions.all()] for a in page.alternatives] == [["6.1", "6.2"], ["6.1", "6.3"]]
    assert "Pendidikan minimal Sekolah Menengah Atas (SMA) atau Kejuruan (SMK)" in html
    # Documents (9.1.2), process (9.1–9.9), rights (7.1), duties (7.2), ethics (9.10).
    assert "Pas foto 3x4 sebanyak 2 lembar dengan latar belakang merah." in html
    assert "Proses Pendaftaran" in html and "Banding" in html
    assert "Memperoleh hak banding terhadap keputusan sertifikasi." in html
    assert "Mentaati kode etik profesi." in html
    assert "Catur Karsa" in html and "Sapta Dharma" in html
    assert [step.heading.clause for step in page.process_steps] == [f"9.{n}" for n in range(1, 10)]
    # Apply: the application feature's start page when it is routed, else registration first.
    apply_href = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="apply"', html).group(1)
    assert apply_href in (_start_url(tmi), f"{reverse('register')}?next=/schemes/pengelolaan-produksi/")
    assert reverse("schemes:pdf", args=[tmi.slug]) in html


def _start_url(scheme):
    for name in ("applications:start", "applicants:start"):
        try:
            return reverse(name, args=[scheme.slug])
        except NoReverseMatch:
            continue
    return None


def test_detail_appeal_deadlines_come_from_the_parameters_9_9_2_9_9_6(english, tmi):
    html = english.get(reverse("schemes:detail", args=[tmi.slug])).content.decode()
    assert "File an appeal at most 1 day after the certification decision (9.9.2)." in html
    assert "The appeal is decided within 14 working days of its receipt (9.9.6)." in html

    Scheme.objects.filter(pk=tmi.pk).update(appeal_window_days=3, appeal_decision_working_days=10)
    html = english.get(reverse("schemes:detail", args=[tmi.slug])).content.decode()
    assert "File an appeal at most 3 days after the certification decision (9.9.2)." in html
    assert "The appeal is decided within 10 working days of its receipt (9.9.6)." in html


def test_detail_renbang_in_english_falls_back_to_indonesian_content(english, renbang):
    html = english.get(reverse("schemes:detail", args=[renbang.slug])).content.decode()
    assert '<html lang="en">' in html
    # English UI labels …
    assert "Units of competency" in html
    assert "Documents to prepare" in html
    assert "Apply for this scheme" in html
    # … English content where it was entered …
    assert "Managing the Implementation of Development Plans" in html
    assert "Formulating development activity plans" in html
    # … and the scheme's Indonesian wording where no English exists (9.10, 4.x).
    assert "Kode Etik dari Nilai Pancasila meliputi:" in html
    assert "Undang-Undang Republik Indonesia Nomor 13 Tahun 2003 tentang Ketenagakerjaan." in html
    # Codes are never translated.
    assert "O.84PPB01.007.1" in html and "Rp 3.500.000" in html


def test_detail_renbang_lists_documents_per_path_9_1_2(client, renbang):
    page = client.get(reverse("schemes:detail", args=[renbang.slug])).context["page"]
    by_path = {alternative.code: [d.name for d in docs] for alternative, docs in page.documents_by_alternative}
    assert by_path == {
        "A": ["Fotokopi transkrip nilai semester VI dan bukti produk/hasil praktik kerja"],
        "B": ["Fotokopi ijazah S-1 atau D-4", "Surat pengalaman kerja"],
        "C": ["Fotokopi sertifikat pelatihan, ijazah D-3 dan bukti pengalaman kerja"],
        "D": ["Surat pengalaman kerja"],
    }
    assert [d.name for d in page.documents_for_all] == ["Fotokopi KTP", "Pasfoto"]


def test_catalogue_pages_have_no_inline_styles_or_scripts(client, tmi):
    # A strict CSP applies: no <style>, no inline <script>, no style="".
    for url in (reverse("schemes:list"), reverse("schemes:detail", args=[tmi.slug])):
        html = client.get(url).content.decode()
        assert "<style" not in html
        assert "style=" not in html
        assert "<script>" not in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_pdf_download_is_an_attachment(client, settings, tmi, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("schemes:pdf", args=[tmi.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="skema-pengelolaan-produksi.pdf"'
    assert response.content.startswith(b"%PDF")
    # Fonts come from the machine (DejaVu), not from the network.
    assert b"DejaVu" in _inflated(response.content)


def test_pdf_leaves_pillow_refusing_truncated_images(client, tmi):
    # WeasyPrint flips this process-wide on import; applicants' upload checks rely on the default.
    from PIL import ImageFile

    client.get(reverse("schemes:pdf", args=[tmi.slug]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def _inflated(pdf):
    """The PDF with its compressed streams inflated, to look for names inside them."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def test_catalogue_is_get_only(client, tmi):
    assert client.post(reverse("schemes:list")).status_code == 405
    assert client.post(reverse("schemes:detail", args=[tmi.slug])).status_code == 405


# --- the shared page for anonymous visitors (lsp/pagecache.py) ---------------------------------


@pytest.fixture
def rendered_templates():
    """Names of the templates rendered while the test runs."""
    from django.test.signals import template_rendered

    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def test_list_is_rendered_once_for_all_anonymous_visitors(client, seed_schemes, rendered_templates):
    from django.test import Client

    first = client.get(reverse("schemes:list"))
    assert "schemes/scheme_list.html" in rendered_templates
    rendered_templates.clear()
    second = Client().get(reverse("schemes:list"))
    assert rendered_templates == []
    assert second.status_code == 200
    assert second.content == first.content
    assert b"csrfmiddlewaretoken" not in second.content


def test_list_shows_a_changed_fee_on_the_next_request(client, tmi):
    assert "Rp 2.000.000" in client.get(reverse("schemes:list")).content.decode()
    tmi.fee = 2_250_000
    tmi.save()
    html = client.get(reverse("schemes:list")).content.decode()
    assert "Rp 2.250.000" in html and "Rp 2.000.000" not in html


def test_list_is_cached_per_language(client, english, tmi):
    from django.test import Client

    indonesian = Client().get(reverse("schemes:list")).content.decode()
    assert 'lang="id"' in indonesian
    assert 'lang="en"' in english.get(reverse("schemes:list")).content.decode()


def test_signed_in_visitors_get_their_own_page(client, seed_schemes, make_user):
    from django.test import Client

    Client().get(reverse("schemes:list"))  # the shared copy exists
    user = make_user("applicant", full_name="Sari Kanaya Putri")
    client.force_login(user)
    html = client.get(reverse("schemes:list")).content.decode()
    assert "Sari Kanaya Putri" in html
    assert "csrfmiddlewaretoken" in html
    assert "Sari Kanaya Putri" not in Client().get(reverse("schemes:list")).content.decode()


def test_the_shared_list_is_served_without_touching_the_database(client, seed_schemes, django_assert_num_queries):
    client.get(reverse("schemes:list"))
    with django_assert_num_queries(0):
        response = client.get(reverse("schemes:list"))
    assert "Rp 2.000.000" in response.content.decode()


def test_a_new_unit_shows_in_the_count_on_the_next_request(client, tmi):
    from schemes.models import Unit

    def units_of_tmi(html):
        row = html[html.index("Pengelolaan Produksi"):]
        return int(re.search(r'<td class="text-end">(\d+)</td>', row).group(1))

    before = units_of_tmi(client.get(reverse("schemes:list")).content.decode())
    Unit.objects.create(scheme=tmi, order=99, code="C.281930.099.01", title="Unit tambahan")
    assert Unit.objects.filter(scheme=tmi).count() == before + 1
    assert units_of_tmi(client.get(reverse("schemes:list")).content.decode()) == before + 1
