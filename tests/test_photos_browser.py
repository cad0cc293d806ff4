"""Photos in headless Chromium on the built sample site: the right file at the right size,
lazy loading, thumbnails, print, and the budgets (the budgets and CLS are also gated by
`python -m sitecheck`, which tests/test_quality.py runs on every page with a lead photo)."""

from pathlib import Path

import pytest

from newsroom.paper.content import read_source
from sitecheck import budgets
from sitecheck.browser import chromium
from sitecheck.serve import serve
from sitebuild import ROOT

TWO_PHOTOS = "2023/11/zhigong-sheying-zuopinzhan-shougangyuan.md"


def url_of(relative):
    source = read_source(ROOT / "content" / relative)
    return f"/{source.get('date')[:10].replace('-', '/')}/{source.get('slug')}/"


@pytest.fixture(scope="module")
def site(sample_site):
    output, _ = sample_site
    with serve(Path(output)) as base, chromium() as browser:
        yield base, browser


def test_budgets_on_a_phone(site, sample_site):
    base, browser = site
    home = budgets.measure(browser, base, "/")
    assert 0 < home["images"] <= budgets.HOME_BUDGET and home["layout_shift"] == 0
    article = budgets.measure(browser, base, url_of(TWO_PHOTOS))
    assert 0 < article["images"] <= budgets.ARTICLE_BUDGET and article["layout_shift"] == 0
    # 390 px at 2x: the 800-wide AVIF of each photo, never a JPEG, never a larger one.
    assert [Path(name).name for name, _ in article["files"]] == ["800x533.avif", "800x533.avif"]


def test_figures_keep_their_ratio_and_thumbnails_their_size(site):
    base, browser = site
    for device, thumb_width in ((budgets.PHONE, 112), (budgets.DESKTOP, 160)):
        context = browser.new_context(**device)
        page = context.new_page()
        page.goto(base + url_of(TWO_PHOTOS), wait_until="load")
        page.evaluate(budgets.IMAGES_DONE)
        box = page.locator("figure.photo img").first.bounding_box()
        column = page.locator(".story-body").bounding_box()
        assert abs(box["width"] - column["width"]) <= 1 and abs(box["width"] / box["height"] - 1.5) < 0.01
        caption = page.locator("figure.photo figcaption").first
        assert caption.is_visible() and "本报记者" in caption.inner_text()
        page.goto(base + "/districts/daxing/", wait_until="load")
        thumb = page.locator(".item picture.item-photo img").first.bounding_box()
        title = page.locator(".item .item-title").first.bounding_box()
        assert round(thumb["width"]) == thumb_width and abs(thumb["width"] / thumb["height"] - 4 / 3) < 0.02
        assert thumb["x"] > title["x"] + title["width"] / 2  # beside the headline, on the right
        context.close()


def test_the_print_stylesheet_prints_the_photo_with_its_caption(site):
    base, browser = site
    context = browser.new_context(**budgets.DESKTOP)
    page = context.new_page()
    page.goto(base + url_of(TWO_PHOTOS), wait_until="load")
    page.emulate_media(media="print")
    page.evaluate(budgets.SCROLL_THROUGH)
    page.evaluate(budgets.IMAGES_DONE)
    figures = page.locator("figure.photo")
    assert figures.count() == 2
    for index in range(2):
        figure = figures.nth(index)
        assert figure.is_visible() and figure.locator("figcaption").is_visible()
        assert figure.evaluate("f => getComputedStyle(f).breakInside") == "avoid"
        assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert len(page.pdf()) > 20_000
    page.goto(base + "/districts/daxing/", wait_until="load")
    assert not page.locator(".item-photo").first.is_visible()  # lists print without thumbnails
    context.close()


def test_screenshots_at_390_and_1280(site, tmp_path_factory):
    """Pictures to look at (the test only checks they were taken): tmp/photos-screens/."""
    base, browser = site
    folder = tmp_path_factory.mktemp("photos-screens")
    for name, device in (("390", budgets.PHONE), ("1280", budgets.DESKTOP)):
        context = browser.new_context(**device)
        page = context.new_page()
        for label, url in (("home", "/"), ("article", url_of(TWO_PHOTOS)), ("day", "/2024/05/14/")):
            page.goto(base + url, wait_until="load")
            page.evaluate(budgets.IMAGES_DONE)
            page.screenshot(path=str(folder / f"{label}-{name}.png"))
        context.close()
    assert len(list(folder.glob("*.png"))) == 6
