"""Inspection of uploaded files (KTP, photos, diplomas, transfer proofs): personal data.

Only PDF, JPEG and PNG are accepted, recognised by their content (magic bytes), never by
the name the browser sends. Images are decoded in full and re-encoded with Pillow, which
drops EXIF (GPS included) and anything hidden around the pixels. PDFs cannot be cleaned
without a PDF library, so a PDF that carries active content (JavaScript, launch actions,
embedded files) is refused instead. Nothing here touches storage: a refused file is
never stored.
"""

import hashlib
import io
import re
import struct
import threading
import unicodedata
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from lsp.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_MB = 5
# A 40-megapixel limit covers any phone camera and refuses "pixel bombs" before decoding.
MAX_IMAGE_PIXELS = 40_000_000
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ("pdf",), JPEG: ("jpg", "jpeg"), PNG: ("png",)}
STORED_EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}

# Suffixes that make a name like "ktp.exe.pdf" or "ktp.pdf.exe" a disguise.
DANGEROUS_SUFFIXES = frozenset(
    {
        *("exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "dll", "cpl", "jar", "app", "apk", "dmg"),
        *("js", "jse", "mjs", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "hta", "lnk", "reg", "iso", "elf"),
        *("sh", "bash", "zsh", "csh", "ksh", "py", "pl", "rb", "cgi", "bin", "run", "deb", "rpm"),
        *("php", "phtml", "php3", "php4", "php5", "phar", "asp", "aspx", "jsp"),
        *("htm", "html", "xhtml", "shtml", "svg", "svgz", "xml", "docm", "xlsm", "pptm"),
    }
)

# Invisible characters that reorder what follows: "foto\u202egpj.exe" reads as "fotoexe.jpg".
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Markup or script in an image's bytes means it was built to be read as something else.
POLYGLOT_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<?php",
    b"javascript:",
)

# PDF names that make a document act on its own (9.1.2 documents never need them).
PDF_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToE",
        # Automatic triggers (page open, close, print...) and what they can reach without a script:
        # another file or a network share (GoToR leaks Windows credentials), media players, attachments
        # whose stream omits its optional /Type /EmbeddedFile.
        b"AA",
        b"GoToR",
        b"Rendition",
        b"FileAttachment",
        b"EF",
    }
)
# Filters this check does not decode: an object stream behind one could hide any of the names above.
PDF_OPAQUE_FILTERS = frozenset(
    {b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL"}
)
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()\{\}%]+)")
# Readers take the data from after "stream" and one end of line, which may be a lone CR.
PDF_STREAM_START = re.compile(rb"(?<!end)stream(\r\n|\r|\n)?")
PDF_END_OF_LINE = re.compile(rb"\r\n?|\n")
PDF_MAX_INFLATED = 64 * 1024 * 1024
PDF_MAX_LAYERS = 4  # a /Filter array may deflate the same data more than once
PDF_SLICE = 1 << 16
_PILLOW_LOCK = threading.Lock()


class UploadRefused(DomainError):
    """The file was refused; the message says why, in the user's language."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    display_name: str
    sha256: str

    @property
    def size(self):
        return len(self.content)


# --- names -----------------------------------------------------------------------------------


def display_name(client_name):
    """A safe name to show: the last path part, no control or path characters, at most 120 long.

    It is only ever shown (and used in Content-Disposition); the stored file gets a random name.
    """
    name = unicodedata.normalize("NFC", str(client_name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*;]', "_", name).strip().strip(".")
    name = re.sub(r"\s+", " ", name)
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:110] + dot + ext[:8]) if dot else name[:120]
    return name or "dokumen"


def _check_name(client_name, content_type):
    raw = str(client_name or "")
    # Browsers send a bare name; a path ("../../x.pdf", "C:\\x.pdf"), a NUL, a line break (header
    # injection) or a bidi override only comes from a crafted request. Django's upload parser strips
    # them, but a name that reaches this function another way is refused, not silently cleaned.
    if "/" in raw or "\\" in raw or raw.startswith("..") or any(_is_control(ch) for ch in raw):
        raise UploadRefused(_("The file name is not acceptable. Rename the file and try again."))
    name = display_name(raw)
    parts = name.lower().split(".")
    extension = parts[-1] if len(parts) > 1 else ""
    if any(_suffix(part) in DANGEROUS_SUFFIXES for part in parts[1:]):
        raise UploadRefused(
            _("The file name “%(name)s” has a double or dangerous extension. Upload a plain PDF, JPEG or PNG file.")
            % {"name": name}
        )
    if extension not in EXTENSIONS[content_type]:
        raise UploadRefused(
            _("The file name “%(name)s” does not match its content (%(kind)s). Rename it with the right extension.")
            % {"name": name, "kind": STORED_EXTENSION[content_type].upper()}
        )
    return name


def _is_control(ch):
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS


def _suffix(part):
    # "php%00", "php;" (shown as "php_") and "php " still end in .php for some servers.
    return re.sub(r"[^a-z0-9]+$", "", unquote(part).strip())


# --- content ---------------------------------------------------------------------------------


def _read(uploaded):
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_big()
    uploaded.seek(0)
    content = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise _too_big()
    if not content:
        raise UploadRefused(_("The file is empty."))
    return content


def _too_big():
    return UploadRefused(
        _("The file is larger than %(mb)s MB. Scan at a lower resolution or compress it.") % {"mb": MAX_UPLOAD_MB}
    )


def sniff(content):
    """The type the bytes say they are, or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _refuse_polyglot(content):
    lowered = content.lower()
    if any(marker in lowered for marker in POLYGLOT_MARKERS):
        raise UploadRefused(_("The image contains hidden web code and was refused. Save it again as a plain photo."))


def _png_end(content):
    """Offset just after the IEND chunk, or None when the chunks do not add up."""
    position = 8
    while position + 8 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(content) else None
    return None


PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _png_pixels_complete(content):
    """True when the PNG's compressed data holds every row its header announces.

    Pillow fills missing rows with black instead of failing, so a PNG cut short inside
    its pixel data (with valid chunks around it) is caught here. Inflated in slices and
    counted, never held, so a highly compressed image costs no memory.
    """
    width, height = struct.unpack(">II", content[16:24])
    depth, color, interlace = content[24], content[25], content[28]
    bits = PNG_CHANNELS.get(color, 4) * depth

    def row_bytes(pixels):
        return (pixels * bits + 7) // 8 + 1

    if interlace:
        expected = 0
        for x0, y0, dx, dy in ADAM7:
            columns, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
            if columns > 0 and rows > 0:
                expected += rows * row_bytes(columns)
    else:
        expected = height * row_bytes(width)
    inflater, produced, position = zlib.decompressobj(), 0, 8
    while position + 8 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        if content[position + 4 : position + 8] == b"IDAT":
            pending = content[position + 8 : position + 8 + length]
            while pending and produced < expected:
                produced += len(inflater.decompress(pending, 1 << 20))
                pending = inflater.unconsumed_tail
        position += 12 + length
    return produced >= expected


def _jpeg_end(content):
    """Offset just after the EOI marker of the main image, or None."""
    position = 2
    length = len(content)
    while position + 2 <= length:
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        if position + 4 > length:
            return None
        segment = int.from_bytes(content[position + 2 : position + 4], "big")
        if segment < 2:
            return None
        position += 2 + segment
        if marker == 0xDA:  # start of scan: entropy-coded data until the next real marker
            while position + 1 < length:
                if content[position] == 0xFF and content[position + 1] not in (0x00, *range(0xD0, 0xD8)):
                    break
                position += 1
    return None


def _clean_image(content, content_type):
    end = _png_end(content) if content_type == PNG else _jpeg_end(content)
    if end is None:
        raise _broken_image()
    trailing = content[end:]
    if trailing.strip(b"\x00\r\n\t ") and content_type == PNG:
        # Phones append extra pictures to JPEGs (MPF); after a PNG's end there is nothing legitimate.
        raise UploadRefused(_("The image has unexpected data after its end and was refused."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS or width < 1 or height < 1:
                    raise _too_many_pixels()
                if probe.format != {JPEG: "JPEG", PNG: "PNG"}[content_type]:
                    raise _broken_image()
                probe.verify()
            if content_type == PNG and not _png_pixels_complete(content):
                raise _broken_image()
            with Image.open(io.BytesIO(content)) as image:
                image.load()  # the whole image decodes, or it is refused (truncated, corrupt)
                image = ImageOps.exif_transpose(image)
                return _reencode(image, content_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error):
        raise _broken_image() from None


@contextmanager
def _strict_pillow():
    """Decode with truncated images refused.

    WeasyPrint sets Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` when it is imported (the
    PDF task runs in the same process), which would pad a cut-off photo with grey instead
    of refusing it; it is switched off for the length of one check.
    """
    with _PILLOW_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _reencode(image, content_type):
    """New bytes from the pixels only: no EXIF, GPS, comments or text chunks survive."""
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # Pillow writes the source's COM segment back unless told not to; it may carry anything ("<?= ... ?>").
        image.save(out, format="JPEG", quality=90, optimize=True, comment=b"")
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        # A palette image keeps its palette; transparency, if any, is kept; nothing else.
        params = {}
        if image.mode == "P" and "transparency" in image.info:
            params["transparency"] = image.info["transparency"]
        image.save(out, format="PNG", optimize=True, **params)
    return out.getvalue()


def _broken_image():
    return UploadRefused(_("The image is damaged or incomplete and cannot be read. Save or scan it again."))


def _too_many_pixels():
    return UploadRefused(
        _("The image is too large (more than %(mp)s megapixels). Resize it and try again.")
        % {"mp": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _pdf_names(data):
    for match in PDF_NAME.finditer(data):
        # Names may hide letters as #xx escapes: /J#61vaScript is /JavaScript.
        yield re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def _pdf_too_complex():
    return UploadRefused(_("The PDF is too complex to check. Print it to a new PDF and try again."))


def _pdf_chunks(content):
    """The file itself and everything its streams inflate to (object streams hide dictionaries).

    Each stream is inflated from its start until the compressed data itself ends, not up to the
    next "endstream": those bytes may sit inside the compressed data and would cut the check short.
    """
    yield content
    budget = [PDF_MAX_INFLATED]
    view = memoryview(content)
    for match in PDF_STREAM_START.finditer(content):
        starts = [match.end()]
        if match.group(1) is None:
            # "stream" without an end of line: some readers skip the rest of the line.
            line_end = PDF_END_OF_LINE.search(content, match.end())
            if line_end is not None:
                starts.append(line_end.end())
        for start in starts:
            data = view[start:]
            for _layer in range(PDF_MAX_LAYERS):
                data = _inflate(data, budget)
                if data is None:
                    break
                yield data


def _inflate(data, budget):
    """What a deflate stream at the start of ``data`` inflates to, or None.

    Readers forgive a wrong Adler-32 checksum, and some keep what they inflated before an error
    in the data, so a stream with a zlib header is inflated without its checksum and up to its
    first error. Data without a header (some readers take raw deflate) must inflate cleanly:
    random bytes inflate to a little garbage before they fail, and that is not kept.
    """
    if len(data) > 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and (data[0] << 8 | data[1]) % 31 == 0:
        inflated = _inflate_raw(data[2:], budget, keep_until_error=True)
        if inflated:
            return inflated
    return _inflate_raw(data, budget, keep_until_error=False)


def _inflate_raw(data, budget, *, keep_until_error):
    failed_at = None
    while True:
        inflater, out, offset = zlib.decompressobj(-zlib.MAX_WBITS), bytearray(), 0
        try:
            while offset < len(data) and not inflater.eof:
                # Fed in slices, so the rest of the file after the stream is never copied; after an
                # error, again with the failing slice a byte at a time, to keep what came before it.
                step = PDF_SLICE if failed_at is None or offset + PDF_SLICE <= failed_at else 1
                out += inflater.decompress(data[offset : offset + step], budget[0] - len(out) + 1)
                offset += step
                if inflater.unconsumed_tail or len(out) > budget[0]:
                    raise _pdf_too_complex()
        except zlib.error:
            if not keep_until_error:
                return None
            if failed_at is None:
                failed_at = offset
                continue
        break
    budget[0] -= len(out)
    return bytes(out)


def _check_pdf(content):
    if b"%%EOF" not in content[-2048:] and b"%%EOF" not in content:
        raise UploadRefused(_("The PDF is incomplete (it has no end). Save or scan it again."))
    for chunk in _pdf_chunks(content):
        names = set(_pdf_names(chunk))
        if b"Encrypt" in names:
            raise UploadRefused(_("The PDF is password-protected. Upload a PDF without a password."))
        if names & PDF_OPAQUE_FILTERS:
            raise _pdf_too_complex()
        if names & PDF_ACTIVE_NAMES:
            raise UploadRefused(
                _(
                    "The PDF contains scripts, actions or embedded files and was refused. "
                    "Print it to a new PDF (or scan the paper) and upload that."
                )
            )
    return content


def inspect_upload(uploaded):
    """Check one uploaded file; return the bytes to store, or raise ``UploadRefused``."""
    if uploaded is None:
        raise UploadRefused(_("Choose a file to upload."))
    content = _read(uploaded)
    content_type = sniff(content)
    if content_type is None:
        raise UploadRefused(_("Only PDF, JPEG and PNG files are accepted; this file is none of them."))
    name = _check_name(getattr(uploaded, "name", ""), content_type)
    if content_type == PDF:
        stored = _check_pdf(content)
    else:
        _refuse_polyglot(content)
        with _strict_pillow():
            stored = _clean_image(content, content_type)
    return CleanFile(
        content=stored,
        content_type=content_type,
        extension=STORED_EXTENSION[content_type],
        display_name=name,
        sha256=hashlib.sha256(stored).hexdigest(),
    )
