"""The image pipeline (newsroom/images): safe opening, orientation, sRGB, no metadata out,
widths never upscaled, crops, deterministic bytes, the content-hash cache, both cores."""

import functools
import io
import os
import pickle
import struct

import pytest
from PIL import Image, ImageCms

from image_support import CAMERA, metadata_blocks, phone_jpeg, png_header_only, scene, wide_gamut_profile
from newsroom import messages
from newsroom.build.parallel import fork_map
from newsroom.images import (ImageCache, ImageProblem, Rendition, avif_available, inspect, place, process,
                             process_all, publish, render)
from newsroom.images.source import MAX_PIXELS

ALL_FORMATS = ("avif", "webp", "jpeg", "png")


def encoded(image, fmt="JPEG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def decoded(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_avif_is_written_on_this_machine():
    """docs/photos.md says AVIF: Pillow's own AVIF (libavif + AOM) writes it here."""
    assert avif_available()


def test_a_phone_photo_comes_out_upright_in_srgb_with_no_metadata_in_any_format():
    data = phone_jpeg(320, 240, orientation=6)  # stored landscape, shown portrait
    assert set(metadata_blocks(data)) == {"APP1 (EXIF/XMP)", "APP2 (ICC)", "COM"}
    info, results = render(data, [Rendition(120, fmt) for fmt in ALL_FORMATS])
    assert (info.width, info.height, info.orientation, info.icc_profile) == (240, 320, 6, True)
    for variant, output in results:
        assert (variant.width, variant.height) == (120, 160), variant
        assert metadata_blocks(output) == [], variant.format
        for secret in (CAMERA.encode(), b"Exif\x00\x00", b"xmpmeta", b"reporter's note", b"2024:05:14 09:30:00"):
            assert secret not in output, (variant.format, secret)
        picture = decoded(output)
        assert picture.mode == "RGB" and not picture.info.get("icc_profile") and not picture.getexif()
        # Orientation 6 turns the stored top left (red) to the top right.
        red = picture.getpixel((picture.width - 4, 3))
        assert red[0] > 180 and red[1] < 90 and red[2] < 90, (variant.format, red)


def test_a_wide_gamut_profile_is_applied_then_dropped():
    colour = (100, 150, 200)
    data = encoded(Image.new("RGB", (64, 48), colour), "PNG", icc_profile=wide_gamut_profile())
    _, [(variant, output)] = render(data, [Rendition(32, "png")])
    profile = ImageCms.ImageCmsProfile(io.BytesIO(wide_gamut_profile()))
    expected = ImageCms.profileToProfile(Image.new("RGB", (1, 1), colour), profile,
                                         ImageCms.createProfile("sRGB")).getpixel((0, 0))
    got = decoded(output).getpixel((16, 16))
    assert got != colour and all(abs(a - b) <= 1 for a, b in zip(got, expected)), (got, expected)
    assert metadata_blocks(output) == []


def test_a_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (80, 60), (0, 255, 255, 0))  # press red
    data = encoded(cmyk, "JPEG", quality=95)
    assert decoded(data).mode == "CMYK"
    _, [(variant, output), (_, avif)] = render(data, [Rendition(40, "jpeg"), Rendition(40, "avif")])
    for result in (output, avif):
        picture = decoded(result)
        assert picture.mode == "RGB"
        r, g, b = picture.getpixel((20, 15))
        assert r > 220 and g < 40 and b < 40, (r, g, b)


def test_png_text_chunks_and_transparency():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Reporter Name")
    text.add_itxt("Location", "北京市东城区", zip=True)
    image = Image.new("RGBA", (60, 40), (0, 0, 255, 0))
    image.paste((0, 200, 0, 255), (0, 0, 30, 40))
    data = encoded(image, "PNG", pnginfo=text)
    assert {"tEXt", "iTXt"} <= set(metadata_blocks(data))
    _, results = render(data, [Rendition(None, fmt) for fmt in ALL_FORMATS])
    for variant, output in results:
        assert metadata_blocks(output) == [] and b"Reporter" not in output, variant.format
        picture = decoded(output)
        if variant.format == "jpeg":
            assert picture.getpixel((50, 20)) == (255, 255, 255)  # laid on white
        else:
            assert picture.mode == "RGBA" and picture.getpixel((50, 20))[3] == 0, variant.format


def test_widths_are_never_upscaled_and_equal_results_are_made_once():
    data = encoded(scene(1000, 600))
    spec = [Rendition(w, "jpeg") for w in (480, 800, 1200, 1600)]
    info, results = render(data, spec)
    assert [(v.width, v.height) for v, _ in results[:3]] == [(480, 288), (800, 480), (1000, 600)]
    assert results[3] == 2  # 1600 asked of a 1000-pixel source: the 1000 one, made once


def test_aspect_crops_and_boxes_have_exact_sizes():
    data = encoded(scene(1600, 1067))
    spec = [Rendition(1200, "jpeg", aspect=(40, 21)), Rendition(1200, "jpeg", aspect=(16, 9)),
            Rendition(1200, "jpeg", aspect=(4, 3)), Rendition(1200, "jpeg", aspect=(1, 1)),
            Rendition(256, "jpeg", box=(0, 0, 512, 512)), Rendition(256, "jpeg", box=(512, 512, 512, 512))]
    _, results = render(data, spec)
    assert [(v.width, v.height) for v, _ in results] == [(1200, 630), (1200, 675), (1200, 900), (1067, 1067),
                                                         (256, 256), (256, 256)]
    assert [v.file for v, _ in results][:2] == ["40x21-1200x630.jpg", "16x9-1200x675.jpg"]
    # The top-left tile shows the red mark of the scene's top left; the other does not.
    assert decoded(results[4][1]).getpixel((5, 5))[0] > 200
    assert decoded(results[5][1]).getpixel((5, 5)) != decoded(results[4][1]).getpixel((5, 5))
    for bad in ({"width": 0}, {"width": 100, "format": "gif"}, {"width": 10, "aspect": (0, 1)},
                {"width": 10, "name": "../x"}):
        with pytest.raises(ValueError):
            Rendition(**bad)


def test_two_runs_give_the_same_bytes_in_every_format(tmp_path):
    data = phone_jpeg(640, 480)
    spec = [Rendition(w, fmt) for w in (200, 400) for fmt in ALL_FORMATS]
    first = process(data, spec, ImageCache(tmp_path / "a"))
    second = process(data, spec, ImageCache(tmp_path / "b"))
    assert first.key == second.key
    for variant in first.unique():
        assert first.path(variant).read_bytes() == second.path(variant).read_bytes(), variant.file


def test_the_cache_answers_by_content_hash(tmp_path):
    cache = ImageCache(tmp_path / "cache")
    data = encoded(scene(400, 300))
    spec = (Rendition(200, "jpeg"), Rendition(200, "avif"))
    made = process(data, spec, cache)
    assert not made.cached and made[spec[0]].width == 200
    again = process(data, spec, cache)
    assert again.cached and again.variants == made.variants and again.key == made.key
    assert not process(data, spec + (Rendition(100, "jpeg"),), cache).cached  # another spec
    assert not process(encoded(scene(400, 300, seed=1)), spec, cache).cached  # other bytes
    # A set with a file gone is made again, never served half.
    made.path(made[spec[1]]).unlink()
    assert not process(data, spec, cache).cached


def test_broken_and_hostile_files_are_problems_never_crashes(tmp_path):
    whole = encoded(scene(400, 300))
    cases = {
        "empty": b"",
        "not_an_image": b"this is not an image at all" * 10,
        "corrupt": whole[: len(whole) // 2],
        "too_large": png_header_only(10_000, 10_000),
    }
    for reason, data in cases.items():
        with pytest.raises(ImageProblem) as caught:
            inspect(data, verify=True)
        assert caught.value.reason == reason, reason
        with pytest.raises(ImageProblem):
            render(data, [Rendition(100, "jpeg")])
        text, fix = caught.value.problem("x.jpg")
        assert "x.jpg" in text and fix
    # Header-only inspection takes the truncated JPEG: its size is in the header.
    assert inspect(cases["corrupt"]).width == 400
    # The limit is read from the header: a bomb of 100 megapixels is never decoded.
    with pytest.raises(ImageProblem) as caught:
        inspect(png_header_only(20_000, 20_000))
    assert caught.value.params["megapixels"] == "400"
    assert inspect(png_header_only(100, 100)).width == 100
    gif = encoded(Image.new("P", (10, 10)), "GIF")
    with pytest.raises(ImageProblem) as caught:
        inspect(gif)
    assert caught.value.params["kind"] == "GIF"
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0))]
    animated = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageProblem) as caught:
        inspect(animated)
    assert caught.value.reason == "animated"
    assert MAX_PIXELS == 50_000_000


def test_every_problem_has_a_message_in_both_languages():
    for reason in ("empty", "missing", "unreadable", "is_folder", "unsupported", "not_an_image", "corrupt",
                   "too_large", "animated"):
        problem = ImageProblem(reason, detail="d", kind="k", megapixels="60", limit=50)
        for lang in ("zh", "en"):
            messages.set_language(lang)
            try:
                text, fix = problem.problem("图.jpg")
            finally:
                messages.set_language(None)
            assert "图.jpg" in text and fix, (reason, lang)
    # Results of forked workers travel pickled.
    copy = pickle.loads(pickle.dumps(ImageProblem("too_large", megapixels="60", limit=50)))
    assert copy.reason == "too_large" and copy.params == {"megapixels": "60", "limit": 50}


def test_many_sources_on_two_cores_with_hits_counted(tmp_path):
    cache = ImageCache(tmp_path / "cache")
    paths = []
    for index in range(5):
        path = tmp_path / f"p{index}.jpg"
        path.write_bytes(encoded(scene(300, 200, seed=index)))
        paths.append(path)
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0garbage")
    spec = (Rendition(150, "jpeg"), Rendition(150, "avif"))
    (tmp_path / "folder.jpg").mkdir()
    jobs = [(p, spec) for p in paths] + [(paths[0], spec), (tmp_path / "broken.jpg", spec), (tmp_path / "gone.jpg", spec),
                                         (tmp_path / "folder.jpg", spec)]
    two_cores = functools.partial(fork_map, workers=2)
    results, stats = process_all(jobs, cache, two_cores)
    assert (stats.hits, stats.made, stats.failed) == (0, 5, 3)
    assert results[5] is results[0] or results[5].key == results[0].key  # the same photo twice: made once
    assert [r.reason for r in results[6:]] == ["corrupt", "missing", "is_folder"]
    assert all(r[spec[1]].format == "avif" for r in results[:6])
    # Nothing changed: everything from the cache; one new photo: one made.
    results, stats = process_all(jobs, cache, two_cores)
    assert (stats.hits, stats.made, stats.failed, stats.hit_rate) == (6, 0, 3, 1.0)
    (tmp_path / "new.jpg").write_bytes(encoded(scene(300, 200, seed=99)))
    results, stats = process_all(jobs + [(tmp_path / "new.jpg", spec)], cache, two_cores)
    assert (stats.hits, stats.made) == (6, 1)


def test_publishing_links_the_cached_files_and_restamps_them(tmp_path):
    image_set = process(encoded(scene(300, 200)), [Rendition(100, "jpeg"), Rendition(100, "avif")],
                        ImageCache(tmp_path / "cache"))
    site = tmp_path / "site"
    assert publish(image_set, site, "photos/x") == 2
    target = site / "photos/x" / image_set.variants[0].file
    assert os.path.samefile(target, image_set.path(image_set.variants[0]))
    before = os.stat(target)
    assert publish(image_set, site, "photos/x") == 0  # already there: re-stamped, not rewritten
    after = os.stat(target)
    assert after.st_mtime_ns == before.st_mtime_ns and after.st_ctime_ns >= before.st_ctime_ns
    # A different file in the way (a stale copy) is replaced.
    target.unlink()
    target.write_bytes(b"stale")
    assert place(image_set.path(image_set.variants[0]), target)
    assert target.read_bytes() == image_set.path(image_set.variants[0]).read_bytes()
    assert struct.unpack(">H", target.read_bytes()[:2])[0] == 0xFFD8


def test_source_hashes_are_kept_by_stat_so_a_rebuild_reads_no_source(tmp_path):
    import time

    from newsroom.images import SourceHashes

    cache = ImageCache(tmp_path / "cache")
    paths = []
    for index in range(3):
        path = tmp_path / f"p{index}.jpg"
        path.write_bytes(encoded(scene(200, 150, seed=index)))
        paths.append(path)
    jobs = [(p, (Rendition(100, "jpeg"),)) for p in paths]
    record = tmp_path / "cache" / "source-hashes.json"

    def run():
        hashes = SourceHashes(record)
        hashes.started_ns = time.time_ns() + 3_000_000_000  # as if the files were written long ago
        results, stats = process_all(jobs, cache, hashes=hashes)
        hashes.save()
        return hashes.hashed, stats

    assert run()[0] == 3
    hashed, stats = run()
    assert hashed == 0 and (stats.hits, stats.made) == (3, 0)
    paths[1].write_bytes(encoded(scene(200, 150, seed=7)))  # new bytes: new stat, read again
    hashed, stats = run()
    assert hashed == 1 and (stats.hits, stats.made) == (2, 1)
    # A file written just now is hashed every time (its stat could survive a second change).
    paths[0].write_bytes(encoded(scene(200, 150, seed=8)))
    for _ in range(2):
        now = SourceHashes(record)
        process_all(jobs, cache, hashes=now)
        now.save()
        assert now.hashed == 1
    paths[2].unlink()
    results, _ = process_all(jobs, cache, hashes=SourceHashes(record))
    assert results[2].reason == "missing"
