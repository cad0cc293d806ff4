"""``newsroom check`` for a build, with each file's result kept by the hash of its bytes.

The checks are per file (:func:`newsroom.desk.checks.check_source`) plus those over the
whole tree (:mod:`newsroom.desk.tree_checks`: addresses and headlines taken twice, each
issue as a whole, dates against the clock). The per-file part is kept, for each file,
with the SHA-256 of its bytes and the file's :class:`~newsroom.desk.tree_checks.Facts`, in
``check-cache.marshal`` in the build's cache folder, under a digest of the code and data the
checks run (:meth:`newsroom.build.uptodate.InputState.code_digest`) and the language of
the messages: changed code, or another language, starts it afresh. An unchanged file is
then not read or checked again. The tree checks always run, on the kept facts, and say
exactly what ``newsroom check`` says.

An article's result also depends on its photos (:mod:`newsroom.desk.photo_checks` opens
them): each entry keeps the SHA-256 of every photo file the article names (None for one
that was missing), and is used again only while those are unchanged too.
"""

import fnmatch
import hashlib
import logging
import os
from pathlib import Path

from newsroom import messages
from newsroom.desk import checks, tree_checks
from newsroom.build import marshal_file, parallel
from newsroom.paper.content import MARKDOWN_SUFFIXES

log = logging.getLogger(__name__)

# marshal, not JSON: a one-edit build reads and writes the whole file (~1.1 MB at 2,000
# articles); json took 0.06-0.09 CPU-s for the two, marshal ~0.02 (the same entries: str,
# int, bool, None, lists and dicts come back as they were written), behind its SHA-256 as
# every marshal cache file of the build (newsroom.build.marshal_file). Format 3 was JSON.
FILE_NAME = "check-cache.marshal"
OLD_FILE_NAMES = ("check-cache.json",)
FORMAT = 5
PARALLEL_MIN = 200  # fewer files to check afresh: one process (forking costs more)


def _load(path, code):
    try:
        data = marshal_file.loads(Path(path).read_bytes())  # None: damaged, cut short or older
    except OSError:
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != code:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _file_sha(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _check_one(path, is_page):
    """``(sha256 or None, problems, facts or None, photos)`` for one file; sha None when it
    (or one of its photos) changed while checked; ``photos`` maps each photo file it names
    to its SHA-256 (None: missing)."""
    from newsroom.desk import photo_checks

    before = _file_sha(path)
    checked, problems = checks.read_checked(path, is_page)
    facts, photos = None, {}
    if checked.source is not None:
        photos = {str(p): _file_sha(p) for p in photo_checks.photo_files(checked)}
        problems = problems + checks.check_source(checked)
        facts = checks.facts_of(checked)
        if any(_file_sha(p) != sha for p, sha in photos.items()):
            before = None  # a photo changed while it was checked
    after = _file_sha(path)
    return (before if before == after else None), problems, facts, photos


def markdown_files(content):
    """What ``checks.content_files([content])`` returns for a folder, ``[(path, is_page)]``,
    without resolving every path (1 s at 20,000 articles): the same files, suffixes and
    skipped lock files; a tree with a symbolic link is left to ``content_files`` itself,
    which follows links and lists a file reached twice once."""
    content = Path(content)
    found = []
    stack = [(content, (content.resolve().name,))]  # the folder named counts, as in content_files
    while stack:
        folder, parts = stack.pop()
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.is_symlink():
                    return checks.content_files([content])
                if entry.is_dir():
                    stack.append((Path(entry.path), parts + (entry.name,)))
                elif (entry.is_file() and Path(entry.name).suffix.lower() in MARKDOWN_SUFFIXES
                      and not fnmatch.fnmatch(entry.name, ".#*")):
                    found.append((Path(entry.path), "pages" in parts))
    return sorted(found)


def _kept_result(entry, path, sha, is_page, photo_sha=_file_sha):
    """``(problems, facts or None)`` kept for this file's bytes (and its photos' bytes), or
    None: nothing kept, kept for other bytes, or an entry not in the form
    :func:`check_content` writes (the cache is a plain file anyone can edit: a malformed
    entry is checked afresh, never a crash)."""
    if not isinstance(entry, dict) or entry.get("sha") != sha or entry.get("page") is not is_page:
        return None
    photos = entry.get("photos", {})
    if not isinstance(photos, dict) or any(photo_sha(p) != kept for p, kept in photos.items()):
        return None
    kept, facts = entry.get("problems"), entry.get("facts")
    if not isinstance(kept, list) or not all(_problem_fields(fields) for fields in kept):
        return None
    if facts is not None:
        facts = tree_checks.Facts.from_json(facts)
        if facts is None or facts.path != str(path):
            return None
    return [checks.Problem(str(path), *fields) for fields in kept], facts


def _problem_fields(fields):
    """True for ``[line, severity, message, fix, code]`` as written (problems are sorted
    and put in a set, so each field must have its type)."""
    return (isinstance(fields, list) and len(fields) == 5 and type(fields[0]) is int
            and fields[1] in (checks.ERROR, checks.WARNING) and all(isinstance(f, str) for f in fields[2:]))


def check_content(content, cache_dir, code, hashes=None, now=None):
    """``(problems, number of files, files checked afresh, facts)`` for the tree ``content``,
    like ``checks.check_files([content])``. ``hashes`` maps a file's path relative to
    ``content`` to the SHA-256 of its bytes when already known (the build's input
    fingerprint)."""
    content = Path(content)
    cache_path = Path(cache_dir) / FILE_NAME
    code = f"{code} {messages.language()}"  # the kept problems are texts in one language
    kept = _load(cache_path, code)
    hashes = hashes or {}
    root = content.resolve()

    def photo_sha(name):
        """A photo's hash: the build's fingerprint has it for a file of the content folder."""
        try:
            known = hashes.get(Path(name).resolve().relative_to(root).as_posix())
        except ValueError:
            known = None
        return known if known is not None else _file_sha(name)

    files = markdown_files(content)
    problems, all_facts, entries = [], [], {}
    results, todo = [], []
    for path, is_page in files:
        relative = path.relative_to(content).as_posix()
        sha = hashes.get(relative)
        if sha is None:
            try:
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                sha = None
        entry = kept.get(relative)
        result = _kept_result(entry, path, sha, is_page, photo_sha) if sha else None
        if result is None:
            todo.append(len(results))
        results.append((path, is_page, relative, sha, entry, result))
    # A cold check of 20,000 articles took 7 s in one process; the checks are independent.
    workers = parallel.available_workers() if len(todo) >= PARALLEL_MIN else 1

    def check(index):
        return _check_one(results[index][0], results[index][1])

    try:
        checked = parallel.fork_map(check, todo, workers)
    except parallel.WorkerFailed:
        # A check that crashed in a worker is run again here, so that what goes wrong
        # is raised with its own message rather than the worker's exit status.
        checked = [check(index) for index in todo]
    fresh_results = dict(zip(todo, checked))
    for index, (path, is_page, relative, sha, entry, result) in enumerate(results):
        if result is not None:
            found, facts = result
        else:
            checked_sha, found, facts, photos = fresh_results[index]
            if checked_sha and checked_sha == sha:
                entry = {"sha": sha, "page": is_page, "facts": facts.as_json() if facts else None, "photos": photos,
                         "problems": [[p.line, p.severity, p.message, p.fix, p.code] for p in found]}
            else:
                entry = None  # changed while checked: check it again next time
        if entry is not None:
            entries[relative] = entry
        problems.extend(found)
        if facts is not None:
            all_facts.append(facts)
    fresh = len(todo)
    problems.extend(tree_checks.check_tree(all_facts, now))
    problems.extend(checks.check_reporter_pins([content]))
    # Links and static files: a walk and a few bytes of each image, never cached.
    problems.extend(checks.check_tree_files([content]))
    if fresh or set(entries) != set(kept):
        _save(cache_path, code, entries)
    return sorted(set(problems)), len(files), fresh, all_facts


def _save(path, code, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(marshal_file.dumps({"format": FORMAT, "code": code, "files": entries}))
    os.replace(temporary, path)
    for name in OLD_FILE_NAMES:  # an older build's file, never read again
        path.with_name(name).unlink(missing_ok=True)
