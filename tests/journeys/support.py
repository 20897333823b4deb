"""What the journeys share: the accessibility audit (axe-core), signing in, uploads, and reading the QR code
printed on a certificate PDF."""

import base64
import io
import json
import re
import struct
import zlib
from pathlib import Path

from playwright.sync_api import expect

from applicants.tests.files import jpeg_bytes, pdf_bytes

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"
JSQR_JS = VENDOR / "jsQR.js"

# A page fails the audit on these; "moderate" and "minor" findings are listed in the report only.
BLOCKING_IMPACTS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({impact: n.impact, target: n.target.map(String).join(" "), summary: n.failureSummary})),
  }));
}"""


class AxeAudit:
    """Runs axe-core on each page it is given and keeps what it finds, page by page.

    ``check`` records; ``assert_clean`` fails with every serious or critical violation found, each with its rule id,
    impact, page and target selectors. The full findings are written to ``report`` (JSON) as the journey goes.
    """

    def __init__(self, report):
        self.report = Path(report)
        self.pages = []

    def check(self, page, label):
        expect(page.locator("body")).to_be_visible()
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(RUN_AXE)
        self.pages.append({"label": label, "url": page.url, "violations": violations})
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.report.write_text(json.dumps(self.pages, indent=2, ensure_ascii=False))
        return violations

    def blocking(self):
        found = []
        for entry in self.pages:
            for violation in entry["violations"]:
                nodes = [node for node in violation["nodes"] if node["impact"] in BLOCKING_IMPACTS]
                if nodes:
                    found.append((entry, violation, nodes))
        return found

    def assert_clean(self):
        found = self.blocking()
        lines = []
        for entry, violation, nodes in found:
            lines.append(f"[{violation['impact']}] {violation['id']} on {entry['label']} ({entry['url']}): {violation['help']}")
            lines.extend(f"    {node['target']}" for node in nodes[:8])
            if len(nodes) > 8:
                lines.append(f"    … and {len(nodes) - 8} more")
        assert not found, "axe-core found serious or critical accessibility violations:\n" + "\n".join(lines)

    @property
    def labels(self):
        return [entry["label"] for entry in self.pages]


def upload_file(name):
    """A file payload for ``set_input_files``: a small JPEG photo (3x4) or a one-page PDF."""
    if name.endswith(".jpg"):
        return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes((300, 400))}
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()


def pdf_images(data):
    """The Flate-compressed RGB or grey images of a PDF (as WeasyPrint writes PNGs), each as a Pillow image.

    The stream of such an image is PNG image data (predictor 15): wrapped in a PNG container, Pillow reads it.
    """
    from PIL import Image

    images = []
    for match in re.finditer(rb"/Subtype\s*/Image(.*?)>>\s*stream\r?\n", data, re.S):
        head = match.group(1)
        if b"/FlateDecode" not in head or b"/Predictor 15" not in head:
            continue
        width = int(re.search(rb"/Width (\d+)", head).group(1))
        height = int(re.search(rb"/Height (\d+)", head).group(1))
        colours = {b"/DeviceRGB": 2, b"/DeviceGray": 0}
        space = re.search(rb"/ColorSpace\s*(/\w+)", head)
        if space is None or space.group(1) not in colours:
            continue
        end = data.index(b"endstream", match.end())
        stream = data[match.end() : end].rstrip(b"\r\n")

        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

        ihdr = struct.pack(">IIBBBBB", width, height, 8, colours[space.group(1)], 0, 0, 0)
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", stream) + chunk(b"IEND", b"")
        image = Image.open(io.BytesIO(png))
        image.load()
        images.append(image)
    return images


DECODE_QR = """([width, height, pixels]) => {
  const bytes = Uint8ClampedArray.from(atob(pixels), c => c.charCodeAt(0));
  const code = jsQR(bytes, width, height);
  return code ? code.data : null;
}"""


def decode_qr_codes(page, images):
    """The text of every QR code among ``images``, decoded by jsQR in the browser (on a blank page)."""
    from PIL import Image

    page.goto("about:blank")
    page.add_script_tag(path=str(JSQR_JS))
    texts = []
    for image in images:
        if image.width < 400:  # the certificate's QR code is one pixel per module, shown unsmoothed: enlarge it
            image = image.resize((image.width * 8, image.height * 8), Image.NEAREST)
        rgba = image.convert("RGBA")
        text = page.evaluate(DECODE_QR, [rgba.width, rgba.height, base64.b64encode(rgba.tobytes()).decode("ascii")])
        if text:
            texts.append(text)
    return texts


def upload_requirements(page, photo_size=(300, 400)):
    """Upload a file for every requirement card of the documents step still marked missing: a photo where the
    scheme asks for one (its card names the photo size), a PDF scan otherwise."""
    cards = page.locator("[data-testid^='requirement-']")
    for index in range(cards.count()):
        card = cards.nth(index)
        if card.locator(".badge.text-bg-success").count():
            continue
        clause = card.get_attribute("data-testid").removeprefix("requirement-")
        if re.search(r"\b(Foto|Photo) \d+x\d+", card.inner_text()):
            name = f"pasfoto-{index}.jpg"
            payload = {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(photo_size)}
        else:
            name = f"dokumen-{clause}-{index}.pdf"
            payload = upload_file(name)
        card.locator("input[type=file]").set_input_files(payload)
        card.locator("form[enctype] button[type=submit]").click()
        expect(cards.nth(index)).to_contain_text(name)


def submit_main_form(page):
    page.locator("main form[method=post] button[type=submit]").last.click()


def review_every_document(staff):
    """Staff mark each uploaded requirement document "memenuhi syarat" (9.1.5)."""
    forms = staff.locator("form[action*='/documents/']")
    total = forms.count()
    for index in range(total):
        form = forms.nth(index)
        form.locator("input[value=meets]").check()
        form.locator("button[type=submit]").click()
        expect(staff.locator("main .badge.text-bg-success", has_text="memenuhi syarat")).to_have_count(index + 1)
    return total


def fill_apl01(page, *, education, work):
    """APL-01: personal data and current work (9.1.2); the purpose step is left to the caller."""
    expect(page.get_by_test_id("step-title")).to_contain_text("APL-01")
    page.locator("#id_nik").fill("3273015508950001")
    page.locator("#id_birth_place").fill("Bandung")
    page.locator("#id_birth_date").fill("1995-08-15")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_address").fill("Jl. Merdeka No. 1, Bandung")
    page.locator("#id_postcode").fill("40111")
    page.locator("#id_phone_mobile").fill("081234567890")
    page.locator("#id_education").select_option(education)
    submit_main_form(page)
    expect(page.locator("#id_work_institution")).to_be_visible()
    if work:
        page.locator("#id_work_institution").fill("PT Maju Jaya Manufaktur")
        page.locator("#id_work_position").fill("Supervisor Produksi")
    submit_main_form(page)


def self_assess_all_k(page):
    """APL-02: "K" for every unit, the first uploaded document as evidence of the first unit."""
    page.locator("main a[href$='/self-assessment/']").last.click()
    expect(page.get_by_test_id("step-title")).to_contain_text("APL-02")
    for radio in page.locator("input[type=radio][name^=answer_][value=K]").all():
        radio.check()
    page.locator("input[name=evidence_0]").last.check()


def self_assess_and_submit(page, axe, snap, scheme_label):
    """APL-02 all "K" (``self_assess_all_k``), then the declaration and consent, and submit (9.1.3, 9.1.4)."""
    self_assess_all_k(page)
    axe.check(page, f"APL-02 self-assessment ({scheme_label})")
    snap(page, "apl02")
    page.locator("main form[method=post]:not([enctype]) button[type=submit]").first.click()
    page.locator("#id_declaration").check()
    page.locator("#id_consent").check()
    axe.check(page, f"declaration and submission ({scheme_label})")
    snap(page, "declaration")
    submit_main_form(page)
    expect(page.get_by_test_id("status").first).to_have_attribute("data-status", "submitted")


def record_unit(page, verdict="K"):
    """One unit's result (9.3.3, 9.3.4): observed, one evidence item judged against VATM, every element and the
    unit K; for "BK" the evidence is judged not sufficient (memadai) and the elements and the unit BK."""
    page.locator("input[name=methods][value=observasi]").check()
    page.locator("input[name='evidence-0-description']").fill("Dokumen hasil praktik yang disusun saat uji")
    for rule in ("valid", "authentic", "current", "sufficient"):
        box = page.locator(f"input[name='evidence-0-{rule}']")
        box.set_checked(verdict == "K" or rule != "sufficient")
    for radio in page.locator(f"input[type=radio][name^=element][value={verdict}]").all():
        radio.check()
    page.locator(f"input[name=verdict][value={verdict}]").check()
    page.get_by_test_id("save-unit").click()
