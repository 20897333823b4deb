"""Files for upload tests: good ones, and the hostile ones an attacker would try."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(extra_objects=b"", catalog_extra=b""):
    """A small valid one-page PDF; ``catalog_extra`` goes into the catalog dictionary."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    out.write(extra_objects)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_compressed_javascript():
    """JavaScript hidden in a Flate-compressed object stream, where a plain byte search misses it."""
    hidden = zlib.compress(b"<< /S /JavaScript /JS (app.alert('x')) >>")
    stream = b"4 0 obj\n<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
    return pdf_bytes(extra_objects=stream + hidden + b"\nendstream\nendobj\n")


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif_gps=False):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "KameraMerek"  # Make
        gps = exif.get_ifd(0x8825)
        gps[1] = "S"
        gps[2] = (6.0, 10.0, 30.0)
        exif[0x8825] = gps
        kwargs["exif"] = exif.tobytes()
    image.save(out, format="JPEG", **kwargs)
    return out.getvalue()


def png_bytes(size=(40, 40), text=None):
    from PIL import PngImagePlugin

    image = Image.new("RGB", size, (20, 120, 200))
    out = io.BytesIO()
    info = None
    if text:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", text)
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's header)."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class RawNamedFile(io.BytesIO):
    """A file whose name is passed through as given (Django's upload classes strip paths)."""

    def __init__(self, name, content):
        super().__init__(content)
        self.name = name
        self.size = len(content)


def good_pdf(name="ktp.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def good_jpeg(name="foto.jpg", **kwargs):
    return upload(name, jpeg_bytes(**kwargs), "image/jpeg")


def good_png(name="ijazah.png"):
    return upload(name, png_bytes(), "image/png")


def png_with_missing_pixels():
    """A PNG whose chunks are all valid but whose pixel data stops halfway (it does not fully decode)."""
    image = Image.new("RGB", (64, 64), (10, 200, 10))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=0)
    data = out.getvalue()
    start = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[start : start + 4])[0]
    raw = zlib.decompress(data[start + 8 : start + 8 + length])
    short = zlib.compress(raw[: len(raw) // 2])
    chunk = (
        struct.pack(">I", len(short)) + b"IDAT" + short + struct.pack(">I", zlib.crc32(b"IDAT" + short) & 0xFFFFFFFF)
    )
    return data[:start] + chunk + data[start + 12 + length :]
