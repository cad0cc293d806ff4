"""A cache file of the build as a disk, a crash or an older version can leave it: for the
tests that show each reader takes such a file for no file (and computes afresh)."""

from newsroom.build import marshal_file


def damaged_versions(raw, marker):
    """``{how: bytes}`` of ``raw``, a file :func:`newsroom.build.marshal_file.dumps` wrote:
    one byte of ``marker`` (bytes its payload holds) changed, so marshal still reads it, but
    as another value; the file cut short; and its marshal payload alone (the format before
    the digest, as the previous version wrote it)."""
    at = raw.index(marker) + len(marker) - 1
    flipped = raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:]
    return {"a byte changed": flipped, "cut short": raw[:len(raw) // 2],
            "unframed": raw[marshal_file.DIGEST_SIZE:]}
