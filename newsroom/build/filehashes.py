"""The SHA-256 of the build's input files without reading them again.

``newsroom build`` fingerprints every content file before it starts Pelican
(:mod:`newsroom.build.uptodate`); a file's hash is reused there while its stat is the
one it was hashed with. It hands those hashes to the Pelican child in a file
(:func:`write`, the ``NEWSROOM_FILE_HASHES`` setting), so that Pelican's content cache
(its file stamps), the keyword and topic plugins can tell an unchanged article from its
hash without reading and hashing 20,000 files again.

Only "trusted" hashes are handed over: of files whose change time was at least two
seconds older than the fingerprint (a later change in the same tick of the clock could
keep the stat). A file whose stat is not the recorded one any more, or that was not
handed over, is hashed here, from its bytes, once per process.
"""

import hashlib
import logging
import marshal
import os

log = logging.getLogger(__name__)

_KNOWN = {}  # absolute path -> (stat key, sha256)
_HASHED = {}  # absolute path -> (stat key, sha256) hashed in this process


def stat_key(st):
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def write(path, trusted, folder, prefix):
    """Write the hashes of ``trusted`` (``{"<prefix><relative>": [dev, ino, size, mtime_ns,
    ctime_ns, sha]}``, an input state's trusted entries) for files under ``folder``."""
    entries = {}
    for key, value in trusted.items():
        if key.startswith(prefix):
            entries[os.path.join(folder, key[len(prefix):])] = (tuple(value[:5]), value[5])
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as handle:
        marshal.dump(entries, handle)
    os.replace(temporary, path)


def configure(path):
    """Load the hashes ``newsroom build`` handed over (``None``: there are none)."""
    _KNOWN.clear()
    _HASHED.clear()
    if not path:
        return
    try:
        with open(path, "rb") as handle:
            entries = marshal.load(handle)
        _KNOWN.update(entries)
    except (OSError, ValueError, EOFError, TypeError) as error:
        log.info("filehashes: not using %s (%s)", path, error)


def sha256(path):
    """The SHA-256 (hex) of the file ``path``; OSError if it cannot be read."""
    path = os.path.abspath(path)
    st = os.stat(path)
    key = stat_key(st)
    for table in (_KNOWN, _HASHED):
        known = table.get(path)
        if known is not None and known[0] == key:
            return known[1]
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    if stat_key(os.stat(path)) == key:  # not changed while it was read
        _HASHED[path] = (key, digest)
    return digest


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()
