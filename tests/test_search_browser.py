"""The /search/ page in headless Chromium against the built sample site on localhost.

Every wait is on a condition (the page marks ``data-state="done"`` when results are
drawn), never a fixed sleep, so the tests hold on a slow shared machine.
"""

from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from newsroom.text.districts import normalize_district

from search_support import WAIT_MS, expected_urls, serve, source_articles, wait_until_searched


@pytest.fixture(scope="module")
def articles():
    return source_articles()


@pytest.fixture(scope="module")
def base_url(sample_site):
    output, _log = sample_site
    with serve(Path(output)) as base:
        yield base


@pytest.fixture(scope="module")
def console_errors():
    return []


@pytest.fixture
def page(browser, base_url, console_errors):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)

    def on_console(message):
        if message.type == "error":
            console_errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
    # Only localhost may be asked for anything: the site works with no external requests.
    external = []
    page.on("request", lambda request: request.url.startswith(base_url) or request.url.startswith("data:")
            or external.append(request.url))
    yield page
    context.close()
    assert not external, external


def results(page):
    return page.eval_on_selector_all(
        ".search-result", """items => items.map(li => ({
            url: new URL(li.querySelector("h2 a").href).pathname,
            title: li.querySelector("h2").textContent,
            date: li.querySelector("time") ? li.querySelector("time").getAttribute("datetime") : "",
            district: (li.querySelector(".search-result-district") || {}).textContent || "",
            marks: [...li.querySelectorAll("mark")].map(m => m.textContent)}))""")


def search_for(page, url):
    page.goto(url)
    wait_until_searched(page)
    return results(page)


def test_relief_articles_newest_first_then_one_district(page, articles):
    found = search_for(page, "/search/?q=" + quote("送温暖"))
    expected = expected_urls(articles, "送温暖")
    assert len(expected) >= 2
    assert sorted(r["url"] for r in found) == expected
    dates = [r["date"] for r in found]
    assert dates == sorted(dates, reverse=True)
    assert "送温暖" in page.inner_text("#search-status")
    assert any("送温暖" in r["marks"] for r in found)
    assert page.input_value("#search-q") == "送温暖"

    district = found[0]["district"]
    assert district
    page.wait_for_selector("#search-app[data-facets=done]", state="attached")
    page.locator(f'.facet-district input[value="{district}"]').check()
    page.wait_for_url(lambda url: "district=" in url)
    wait_until_searched(page)
    narrowed = results(page)
    assert narrowed and len(narrowed) < len(found)
    assert {r["district"] for r in narrowed} == {district}
    assert parse_qs(urlparse(page.url).query) == {"q": ["送温暖"], "district": [district]}


@pytest.mark.parametrize("word", ["调解", "仲裁"])
def test_two_character_query_typed_into_the_box(page, articles, word):
    search_for(page, "/search/")
    page.fill("#search-q", word)
    page.press("#search-q", "Enter")
    page.wait_for_url(lambda url: "q=" in url)
    wait_until_searched(page)
    found = results(page)
    assert sorted(r["url"] for r in found) == expected_urls(articles, word)
    assert found and all(word in r["marks"] for r in found)  # highlighted in kicker, headline or excerpt


def test_metadata_is_shown_escaped(page, articles):
    """Headline, kicker and excerpt are drawn from untrusted text: no markup but <mark> gets in."""
    search_for(page, "/search/?q=" + quote("送温暖"))
    assert "<mark>送温暖</mark>" in page.inner_html("#search-results")
    hostile = '<img src=x onerror="alert(1)">“送温暖”&amp;'
    marked = page.evaluate("""async (text) => { const core = await import("/theme/js/search-core.js");
        return [core.markHtml(text, ["送温暖"]), core.excerptHtml(text, ["送温暖"], 10)]; }""", hostile)
    assert marked[0] == '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;“<mark>送温暖</mark>”&amp;amp;'
    assert "<img" not in marked[1] and "<mark>送温暖</mark>" in marked[1]


def test_no_match_says_so(page):
    found = search_for(page, "/search/?q=" + quote("火星登陆计划"))
    assert found == []
    message = page.locator(".search-empty")
    assert message.is_visible()
    assert "没有找到" in message.inner_text() and "火星登陆计划" in message.inner_text()


def test_bookmarked_url_restores_query_and_filters_after_reload(page, articles):
    relief = [a for a in articles if not a.draft and "送温暖" in a.text]
    district = next(normalize_district(a.source.get("district")) for a in relief if a.source.get("district"))
    url = f"/search/?q={quote('送温暖')}&district={quote(district)}"
    first = search_for(page, url)
    page.reload()
    wait_until_searched(page)
    assert page.input_value("#search-q") == "送温暖"
    page.wait_for_selector("#search-app[data-facets=done]", state="attached")
    assert page.locator(f'.facet-district input[value="{district}"]').is_checked()
    assert results(page) == first and first
    assert {r["district"] for r in first} == {district}


def test_oldest_first_and_month_range_go_into_the_url(page, articles):
    search_for(page, "/search/?q=" + quote("职工"))
    page.select_option("#search-sort", "oldest")
    page.wait_for_url(lambda url: "sort=oldest" in url)
    wait_until_searched(page)
    dates = [r["date"] for r in results(page)]
    assert len(dates) > 3 and dates == sorted(dates)
    months = page.eval_on_selector_all("#search-from option", "os => os.map(o => o.value).filter(Boolean)")
    assert len(months) >= 2
    page.select_option("#search-from", months[1])
    page.wait_for_url(lambda url: "from=" in url)
    wait_until_searched(page)
    page.select_option("#search-to", months[1])
    page.wait_for_url(lambda url: "to=" in url)
    wait_until_searched(page)
    found = results(page)
    assert found and all(r["date"].startswith(months[1]) for r in found)
    expected = [u for u in expected_urls(articles, "职工") if u[1:8].replace("/", "-") == months[1]]
    assert sorted(r["url"] for r in found) == expected


def test_month_range_picked_backwards_is_swapped(page, articles):
    found = search_for(page, "/search/?q=" + quote("职工") + "&from=2023-12&to=2023-09")
    expected = [u for u in expected_urls(articles, "职工") if "2023-09" <= u[1:8].replace("/", "-") <= "2023-12"]
    assert expected and found and all("2023-09" <= r["date"][:7] <= "2023-12" for r in found)
    assert {r["url"] for r in found} <= set(expected)
    assert str(len(expected)) in page.inner_text("#search-status")
    assert parse_qs(urlparse(page.url).query)["from"] == ["2023-09"]
    assert parse_qs(urlparse(page.url).query)["to"] == ["2023-12"]
    assert page.input_value("#search-from") == "2023-09" and page.input_value("#search-to") == "2023-12"


def test_slow_filter_files_do_not_overwrite_a_newer_searchs_facets(page, articles):
    held = []
    page.route("**/pagefind/*/filter/**", lambda route: held.append(route))  # the empty page's counts wait
    search_for(page, "/search/")
    for _ in range(150):  # the counts are asked for after the page is ready; on a busy machine, later
        if held:
            break
        page.wait_for_timeout(100)
    assert held
    page.fill("#search-q", "送温暖")
    page.press("#search-q", "Enter")
    page.wait_for_url(lambda url: "q=" in url)
    wait_until_searched(page)
    expected = {a.source.get("district") for a in articles if a.url in expected_urls(articles, "送温暖")}
    for route in held:
        route.continue_()
    page.unroute("**/pagefind/*/filter/**")
    page.wait_for_selector("#search-app[data-facets=done]", state="attached")
    page.wait_for_load_state("networkidle")  # the held files have arrived and been handled
    shown = set(page.locator(".facet-district input").evaluate_all("boxes => boxes.map(b => b.value)"))
    assert shown == {normalize_district(d) for d in expected if d}


def shard_requests(page, action):
    """The shard folders (/pagefind/<shard>/...) the page asks for while ``action`` runs."""
    asked = []
    page.on("request", lambda request: asked.append(urlparse(request.url).path))
    action()
    # A shard's folder is named <id>-<content hash> (newsroom.build.searchindex.shard_folder_name).
    return {path.split("/")[2].split("-")[0] for path in asked if path.startswith("/pagefind/") and path.count("/") > 2}


def test_a_year_filter_searches_only_that_years_shard(page, articles):
    manifest = page.request.get("/pagefind/shards.json").json()
    newest = manifest["shards"][0]["id"]
    assert len(manifest["shards"]) >= 2 and newest == max(s["id"] for s in manifest["shards"])
    found = []
    asked = shard_requests(page, lambda: found.extend(search_for(page, f"/search/?q={quote('职工')}&year={newest}")))
    expected = [u for u in expected_urls(articles, "职工") if u.startswith(f"/{newest}/")]
    assert asked == {newest}
    assert found and {r["url"] for r in found} <= set(expected) and str(len(expected)) in page.inner_text("#search-status")
    # Without the filter every shard is searched, and results run newest first across them.
    page2 = page.context.new_page()
    asked = shard_requests(page2, lambda: search_for(page2, "/search/?q=" + quote("职工") + "&sort=oldest"))
    assert asked == {s["id"] for s in manifest["shards"]}
    dates = [r["date"] for r in results(page2)]
    assert dates == sorted(dates) and dates[0][:4] == manifest["shards"][-1]["id"]


def test_newest_shard_results_are_drawn_before_the_older_shards_are_fetched(page, articles):
    manifest = page.request.get("/pagefind/shards.json").json()
    newest = manifest["shards"][0]["id"]
    in_newest = [u for u in expected_urls(articles, "职工") if u.startswith(f"/{newest}/")]
    assert len(in_newest) > 10  # the newest shard alone fills the first screen
    final = search_for(page, "/search/?q=" + quote("职工"))
    timing = page.evaluate("""() => {
        const app = document.getElementById("search-app");
        const first = Number(app.dataset.firstDrawnAt), done = Number(app.dataset.drawnAt);
        const shards = (before) => performance.getEntriesByType("resource")
          .map((e) => [new URL(e.name).pathname, e.responseEnd])
          .filter(([path, end]) => path.startsWith("/pagefind/") && path.split("/").length > 3 && before(end))
          .map(([path]) => path.split("/")[2].split("-")[0]);
        return {first, done, before: [...new Set(shards((end) => end <= first))],
                after: [...new Set(shards((end) => end > first))]};
    }""")
    # First the newest shard's results, then the older shards for the total: the final
    # list is the same newest-first list, with the whole archive's count.
    assert timing["first"] <= timing["done"]
    assert timing["before"] == [newest]
    assert set(timing["after"]) == {s["id"] for s in manifest["shards"][1:]}
    assert {r["url"] for r in final} <= set(in_newest)
    assert str(len(expected_urls(articles, "职工"))) in page.inner_text("#search-status")


def test_more_results_on_request(page, articles):
    expected = expected_urls(articles, "职工")
    assert len(expected) > 20
    first = search_for(page, "/search/?q=" + quote("职工"))
    assert len(first) == 10 and str(len(expected)) in page.inner_text("#search-status")
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('.search-result').length > 10")
    more = results(page)
    assert more[:10] == first and len(more) == 20
    assert len({r["url"] for r in more}) == 20 and {r["url"] for r in more} <= set(expected)


def test_masthead_box_goes_to_the_search_page(page):
    page.goto("/")
    page.fill("#masthead-q", "仲裁")
    page.press("#masthead-q", "Enter")
    page.wait_for_url(lambda url: "/search/" in url)
    wait_until_searched(page)
    assert parse_qs(urlparse(page.url).query)["q"] == ["仲裁"]
    assert results(page)


def test_without_javascript_the_page_points_to_the_indexes(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search/?q=" + quote("送温暖"))
    notice = page.locator(".search-noscript")
    assert notice.is_visible()
    assert "JavaScript" in notice.inner_text()
    links = notice.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"/districts/", "/topics/", "/epaper/"} <= set(links)
    assert not page.locator("#search-app").is_visible()
    context.close()


def test_keyboard_user_keeps_focus_on_a_ticked_filter(page):
    search_for(page, "/search/?q=" + quote("职工"))
    page.wait_for_selector("#search-app[data-facets=done]", state="attached")
    page.focus("#search-q")
    page.keyboard.press("Enter")  # Enter in the box searches again, same URL
    wait_until_searched(page)
    # Tab from the box: the button, the skip link, the two month lists, then the first district.
    for _ in range(5):
        page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    assert focused[0] == "district"
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "district=" in url)
    wait_until_searched(page)
    page.wait_for_selector("#search-app[data-facets=done]", state="attached")
    # The facets were redrawn; focus is on the same (ticked) box, not lost to the page.
    assert page.evaluate("() => [document.activeElement.name, document.activeElement.value]") == focused
    assert page.evaluate("() => document.activeElement.checked")
    # The ticked value is listed first in its facet, so it stays in sight.
    assert page.locator(".facet-district input").first.get_attribute("value") == focused[1]


def test_keyboard_user_can_skip_the_filters_to_the_results(page):
    search_for(page, "/search/?q=" + quote("职工"))
    page.focus("#search-q")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the skip link, shown when focused
    skip = page.locator(".search-skip")
    assert skip.evaluate("a => a === document.activeElement") and skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the results' toolbar, past every filter
    assert page.evaluate("() => document.activeElement.id") == "search-sort"


def test_phone_width_shows_results_before_the_filters(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    search_for(page, "/search/?q=" + quote("职工"))
    assert not page.locator(".facet-district").is_visible()
    assert page.locator(".search-result").first.bounding_box()["y"] < 844  # on the first screen
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.click("#search-filter-summary")
    page.locator('.facet-district input').first.check()
    page.wait_for_url(lambda url: "district=" in url)
    wait_until_searched(page)
    assert "已选1项" in page.inner_text("#search-filter-summary")
    context.close()


def test_single_character_query_says_it_may_be_incomplete(page, articles):
    found = search_for(page, "/search/?q=" + quote("工"))
    # Pagefind alone misses pages where 工 only ends a word (职工): the page must not
    # present the list as complete.
    assert {r["url"] for r in found} <= set(expected_urls(articles, "工"))
    assert "单个汉字" in page.inner_text("#search-status")
    for query in ("职工", "3月"):  # a word, and a character with figures beside it
        search_for(page, "/search/?q=" + quote(query))
        assert "单个汉字" not in page.inner_text("#search-status")


def test_no_console_errors(console_errors):
    """Runs last in this file: collects what every page above logged."""
    assert console_errors == []
