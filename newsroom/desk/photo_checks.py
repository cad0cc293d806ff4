"""What ``check`` says about an article's photos (messages in ``newsroom/data/messages/photos.toml``).

The images are found as the site finds them: the body rendered by Markdown, then read
with a real HTML parser (:mod:`newsroom.paper.photo_refs`), so an image in a code block
is no photo and every photo the site will show is checked. For each one:

* errors: an address that is no file beside the article (another site, the site's root,
  outside the article's folder), a missing file, no alt text or alt text that is only
  the file's name, a file the pipeline cannot use (unsupported, damaged, animated, over
  ~50 megapixels: :func:`newsroom.images.inspect` decodes it, as the build will);
* warnings: a photo inside a line of text (it gets no caption), a caption without a
  credit at its end, a lead photo narrower than 1,200 pixels (no large share card).

The ``Photo:`` field must name a usable file too. Whatever passes here, the build takes:
the build resolves the same files and opens them with the same function.
"""

from pathlib import Path, PurePosixPath

from newsroom.desk.problems import ERROR, WARNING, say
from newsroom.paper import photo_refs
from newsroom.text.photo_credits import split_caption

# Alt text that says nothing of the picture.
EMPTY_ALTS = frozenset({"图", "图片", "照片", "配图", "image", "photo", "picture", "img"})


def photo_files(checked):
    """The files the article's photos name (existing or not): what its check depends on."""
    return [path for _, path, _ in _named_files(checked) if path is not None]


def _named_files(checked):
    """``(ImageRef or None for the Photo: field, path or None, name)`` for each photo named."""
    source = checked.source
    found = []
    if "![" in source.body or "<img" in source.body.lower():
        for ref in photo_refs.find_images(photo_refs.markdown_html(source.text)):
            name = photo_refs.local_name(ref.src)
            found.append((ref, _beside(checked.path, name) if name else None, name))
    choice = photo_refs.lead_choice(source.get("photo"))
    if choice:
        found.append((None, _beside(checked.path, choice), choice))
    return found


def _beside(article_path, name):
    """The file ``name`` in the article's folder (or below it), or None when it leaves it."""
    folder = Path(article_path).parent
    target = folder / name
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return target


def _alt_names_file(alt, name):
    text = alt.strip().lower()
    path = PurePosixPath(name.lower())
    return text in (path.name, path.stem, name.lower())


def check_photos(checked):
    """The :class:`~newsroom.desk.problems.Problem` list of ``checked``'s photos."""
    source = checked.source

    def problem(line, severity, message_id, **params):
        return say(checked.path, line, severity, message_id, **params)

    lines = checked.lines
    problems = []
    seen_at = {}
    choice = photo_refs.lead_choice(source.get("photo"))
    named = _named_files(checked)
    if not named:
        return problems
    # Imported only for an article that names photos: the image pipeline and Pillow are
    # ~0.3 CPU-s of imports, which the check of one edited text need not pay.
    from newsroom.build.photos import LEAD_MIN_WIDTH  # noqa: PLC0415
    from newsroom.images import ImageProblem, inspect  # noqa: PLC0415
    # The lead photo: the Photo: field's file when it names one, else the first photo.
    if choice:
        lead = len(named) - 1
    elif choice is None:
        lead = next((i for i, (ref, _, _) in enumerate(named) if ref is not None), None)
    else:
        lead = None
    for index, (ref, path, name) in enumerate(named):
        if ref is None:  # the Photo: field
            line = source.line_of("photo")
            src = choice
        else:
            src = ref.src
            occurrences = photo_refs.source_lines(lines, source.body_line, src)
            occurrence = seen_at.get(src, 0)
            seen_at[src] = occurrence + 1
            line = occurrences[min(occurrence, len(occurrences) - 1)] if occurrences else source.body_line
        if name is None:
            if ref is not None and photo_refs.is_remote(src):
                continue  # the sanitizer removes it, and check_html says so at this line
            problems.append(problem(line, ERROR, "photos.not_beside", src=src))
            continue
        if path is None:
            problems.append(problem(line, ERROR, "photos.outside", src=src))
            continue
        if ref is not None:
            alt = ref.alt or ""
            if not alt.strip():
                problems.append(problem(line, ERROR, "photos.no_alt", name=name))
            elif _alt_names_file(alt, name):
                problems.append(problem(line, ERROR, "photos.alt_is_file_name", name=name, alt=alt.strip()))
            elif alt.strip().lower() in EMPTY_ALTS:
                problems.append(problem(line, ERROR, "photos.alt_says_nothing", name=name, alt=alt.strip()))
            if not ref.alone:
                problems.append(problem(line, WARNING, "photos.inline", name=name))
            elif ref.title.strip() and split_caption(ref.title).credit is None:
                problems.append(problem(line, WARNING, "photos.no_credit", name=name))
        try:
            info = inspect(_read(path, name), verify=True)
        except ImageProblem as error:
            problems.append(problem(line, ERROR, error.message_id, **{**error.params, "name": name}))
            continue
        if index == lead and info.width < LEAD_MIN_WIDTH:
            problems.append(problem(line, WARNING, "photos.lead_narrow", name=name, width=info.width,
                                    minimum=LEAD_MIN_WIDTH))
    return problems


def _read(path, name):
    from newsroom.images import ImageProblem  # noqa: PLC0415 — see check_photos

    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImageProblem("missing", name=name) from None
    except IsADirectoryError:
        raise ImageProblem("is_folder", name=name) from None
    except OSError as error:
        raise ImageProblem("unreadable", name=name, detail=error.strerror or str(error)) from None
