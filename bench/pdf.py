"""Warm render time of a real certificate PDF against a minimal WeasyPrint document, in one process.

The certificate is one of the generated ones (TMI, ten units), given a 3x4 photo and a
signature image as a real one has. Each document is rendered once to warm up (fonts, CSS,
templates), then ``N`` times, alternately; the ratio is of the medians. Run as ``python -m bench.pdf``.
"""

import io
import os
import time

from .common import django_setup, median_ms, say, timed, write_result

# Fifteen alternating pairs: on a shared virtual machine five gave medians 20 % apart from run to run.
N = int(os.environ.get("BENCH_PDF_RUNS", 15))


def _photo_jpeg():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (354, 472), (200, 30, 30))  # 3x4 cm at 300 dpi, red background
    draw = ImageDraw.Draw(image)
    draw.ellipse((97, 60, 257, 250), fill=(224, 182, 150))
    draw.rectangle((60, 260, 294, 472), fill=(20, 40, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _signature_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 150), (120, 40), (200, 160), (300, 50), (420, 140), (580, 60)], fill=(10, 20, 120, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def prepare_certificate():
    """A generated TMI certificate with a photo on its application and a signature on its signatory."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from applicants.models import Document
    from certificates.models import Certificate
    from schemes.models import RequiredDocument

    from .datagen import SERIES

    certificate = (
        Certificate.objects.select_related("signatory", "application", "scheme")
        .filter(scheme__document_number=next(iter(SERIES)), status=Certificate.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    requirement = RequiredDocument.objects.filter(scheme=certificate.scheme).exclude(photo_size="").first()
    if requirement is None:
        requirement = RequiredDocument.objects.filter(scheme=certificate.scheme).first()
    photo_name = f"bench/photos/{certificate.application.uuid}.jpg"
    photo = Document.objects.filter(storage_name=photo_name).first()  # made by an earlier run (--reuse) …
    if photo is not None and not default_storage.exists(photo_name):  # … whose files bench/run cleared since
        photo.storage_name = default_storage.save(photo_name, ContentFile(_photo_jpeg()))
        photo.save(update_fields=["storage_name"])
    if photo is None:
        content = _photo_jpeg()
        if default_storage.exists(photo_name):
            default_storage.delete(photo_name)
        photo = Document.objects.create(
            application=certificate.application,
            owner_id=certificate.holder_id,
            kind=Document.Kind.REQUIREMENT,
            requirement=requirement,
            title="Pas foto 3x4",
            storage_name=default_storage.save(photo_name, ContentFile(content)),
            original_name="pas-foto.jpg",
            content_type="image/jpeg",
            size=len(content),
            sha256="0" * 64,
        )
    certificate.photo = photo
    certificate.save(update_fields=["photo"])
    signatory = certificate.signatory
    if not signatory.signature_image or not default_storage.exists(signatory.signature_image.name):
        signatory.signature_image.save("bench-signature.png", ContentFile(_signature_png()), save=True)
    return Certificate.objects.select_related("signatory", "photo", "scheme").get(pk=certificate.pk)


def main():
    django_setup()
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from certificates.services.pdfs import PDF_DIR, certificate_pdf_bytes, certificate_pdf_context

    def minimal():
        return HTML(string="<p>x</p>").write_pdf()

    certificate = prepare_certificate()

    def real():
        return certificate_pdf_bytes(certificate)

    minimal()  # warm: WeasyPrint, fontconfig, default fonts
    real()  # warm: template, stylesheet, the certificate's fonts
    # Alternately, so that both see the same load on the machine.
    minimal_times, real_times, sizes = [], [], []
    minimal_cpu, real_cpu = [], []  # CPU time of this process as well: what another tenant's load cannot add
    for _i in range(N):
        started = time.process_time()
        minimal_times.append(timed(minimal)[0])
        minimal_cpu.append(time.process_time() - started)
        started = time.process_time()
        seconds, content = timed(real)
        real_cpu.append(time.process_time() - started)
        real_times.append(seconds)
        sizes.append(len(content))

    # Where the time goes (same steps as certificate_pdf_bytes, timed one by one).
    context_times, html_times, weasy_times = [], [], []
    base_url = PDF_DIR.resolve().as_uri() + "/"
    for _i in range(N):
        seconds, context = timed(certificate_pdf_context, certificate)
        context_times.append(seconds)
        with translation.override("id"):
            seconds, html = timed(render_to_string, "certificates/pdf/certificate.html", context)
        html_times.append(seconds)
        seconds, _pdf = timed(lambda html=html: HTML(string=html, base_url=base_url).write_pdf())
        weasy_times.append(seconds)

    result = {
        "runs": N,
        "certificate": certificate.number,
        "minimal_ms": median_ms(minimal_times),
        "certificate_ms": median_ms(real_times),
        "ratio": round(median_ms(real_times) / median_ms(minimal_times), 2),
        "cpu_ratio": round(median_ms(real_cpu) / median_ms(minimal_cpu), 2),
        "certificate_bytes": sizes[0],
        "minimal_bytes": len(minimal()),
        "breakdown_ms": {
            "context (QR code, photo, signature, organisation)": median_ms(context_times),
            "template to HTML": median_ms(html_times),
            "WeasyPrint layout and PDF": median_ms(weasy_times),
        },
    }
    say(f"pdf: certificate {result['certificate_ms']} ms, minimal {result['minimal_ms']} ms, ratio {result['ratio']}x")
    write_result("pdf", result)


if __name__ == "__main__":
    main()
