"""Put an image set's files into a site being built: hard links into the cache.

A published image is a hard link to the cached file (a copy where the file system
refuses links), so that the cache, the site and the staging folder the next build
recycles share one copy on disk: 5,000 photos' variants are ~3 GB, not 9.

A file already in place (a recycled staging folder holds the site the build before
last published) is re-stamped rather than rewritten: ``os.utime`` with its own times
changes nothing but its change time (ctime), which tells ``newsroom build``'s sweep
(:func:`newsroom.build.staging.sweep`) that this build made it. Since a set's folder
name is its cache key, a file at the same place with the same size is the same file.
"""

import errno
import os
import shutil


def place(source, target):
    """Make ``target`` hold the file ``source``; True when it had to be written or linked."""
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)  # a recycled folder where a file goes now
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None:
        if os.path.samefile(source, target) or existing.st_size == os.stat(source).st_size:
            os.utime(target, ns=(existing.st_atime_ns, existing.st_mtime_ns))
            return False
        os.unlink(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            raise
        shutil.copyfile(source, target)
    return True


def publish(image_set, output_root, folder):
    """Place every file of ``image_set`` under ``output_root/folder``; how many were new."""
    written = 0
    for variant in image_set.unique():
        written += place(image_set.path(variant), os.path.join(output_root, folder, variant.file))
    return written
