"""Images for the photo tests, made here (nothing downloaded), and readers of the
metadata blocks of every published format, to show that none is left."""

import io
import struct
import zlib

from PIL import Image, ImageDraw

# Beijing, Tian'anmen (what a reporter's phone writes into GPSInfo).
GPS = {1: "N", 2: (39.0, 54.0, 26.4), 3: "E", 4: (116.0, 23.0, 29.0), 5: 0, 6: 43.5}
CAMERA = "NewsroomTestPhone"


def scene(width, height, seed=0):
    """A picture with edges and gradients (so encoders have work to do)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (seed * 37 + i * 97) % width
        y = (seed * 53 + i * 61) % height
        r = 10 + (i * 23) % max(11, width // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((i * 40) % 256, (i * 90 + seed) % 256, (i * 150) % 256))
    draw.rectangle((0, 0, width // 8, height // 8), fill=(255, 0, 0))  # marks the stored top left
    return image


def phone_jpeg(width=320, height=240, orientation=6):
    """A JPEG as a phone writes it: stored on its side with an orientation tag, GPS
    position, camera make, a comment and an XMP packet."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = CAMERA
    exif[0x0132] = "2024:05:14 09:30:00"
    exif[0x8825] = dict(GPS)
    buffer = io.BytesIO()
    scene(width, height).save(buffer, "JPEG", quality=90, exif=exif, comment=b"reporter's note",
                              xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>39,54.44N</GPSLatitude>'
                                  b'</x:xmpmeta>', icc_profile=wide_gamut_profile())
    return buffer.getvalue()


def _s15(value):
    return struct.pack(">i", round(value * 65536))


def _tag_xyz(x, y, z):
    return b"XYZ " + b"\0" * 4 + _s15(x) + _s15(y) + _s15(z)


def _tag_curve(gamma):
    return b"curv" + b"\0" * 4 + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"


def _tag_description(text):
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(ascii_text)) + ascii_text
            + b"\0" * 8 + b"\0\0" + b"\0" + b"\0" * 67)


def wide_gamut_profile():
    """An ICC v2 RGB profile with Adobe RGB (1998)'s primaries (D50-adapted) and gamma 2.2:
    a colour space wider than sRGB, as cameras embed it."""
    tags = [
        (b"desc", _tag_description("Newsroom test wide-gamut RGB")),
        (b"wtpt", _tag_xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _tag_xyz(0.6097, 0.3111, 0.0195)),
        (b"gXYZ", _tag_xyz(0.2053, 0.6257, 0.0609)),
        (b"bXYZ", _tag_xyz(0.1492, 0.0632, 0.7446)),
        (b"rTRC", _tag_curve(2.2)), (b"gTRC", _tag_curve(2.2)), (b"bTRC", _tag_curve(2.2)),
        (b"cprt", b"text" + b"\0" * 4 + b"none\0\0\0\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 4 + struct.pack(">I", 0) + b"\0" * 8
              + b"\0" * 8 + struct.pack(">I", 0) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4
              + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def png_header_only(width, height):
    """A PNG that claims ``width`` × ``height`` pixels but holds almost no data: the shape
    of a decompression bomb (the check must refuse it from the header alone)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


# --- metadata blocks of published files ------------------------------------------------------

def jpeg_markers(data):
    """The marker codes of a JPEG's segments before the image data (0xE0 = APP0...)."""
    assert data[:2] == b"\xff\xd8"
    markers, position = [], 2
    while position < len(data):
        assert data[position] == 0xFF, position
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: image data follows
            return markers
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        position += 2 + length
    return markers


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        kinds.append(data[position + 4:position + 8].decode("ascii"))
        position += 12 + length
    return kinds


def riff_chunks(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    kinds, position = [], 12
    while position + 8 <= len(data):
        kind = data[position:position + 4].decode("ascii")
        length = struct.unpack("<I", data[position + 4:position + 8])[0]
        kinds.append(kind)
        position += 8 + length + (length & 1)
    return kinds


def avif_header(data):
    """An AVIF's boxes before the image data (``mdat``): where items and properties live."""
    assert data[4:8] == b"ftyp"
    position = 0
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position:position + 4])[0]
        if data[position + 4:position + 8] == b"mdat":
            return data[:position]
        position += length
    return data


def metadata_blocks(data):
    """The names of the metadata blocks in ``data`` (any published format); [] for none."""
    if data[:2] == b"\xff\xd8":
        names = {0xE1: "APP1 (EXIF/XMP)", 0xE2: "APP2 (ICC)", 0xED: "APP13 (IPTC)", 0xFE: "COM"}
        return [names.get(m, f"APP{m - 0xE0}") for m in jpeg_markers(data) if m in names or 0xE1 <= m <= 0xEF]
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return [k for k in png_chunks(data) if k not in ("IHDR", "PLTE", "tRNS", "IDAT", "IEND")]
    if data[:4] == b"RIFF":
        return [k for k in riff_chunks(data) if k not in ("VP8 ", "VP8L", "VP8X", "ALPH")]
    if data[4:8] == b"ftyp":
        header = avif_header(data)
        return [name for name, marker in (("Exif item", b"Exif"), ("XMP item", b"mime"), ("ICC colr", b"prof"),
                                          ("ICC colr", b"rICC")) if marker in header]
    raise AssertionError(f"unknown format: {data[:12]!r}")
