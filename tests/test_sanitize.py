"""The sanitizer (newsroom/paper/sanitize.py) and the check that reports what it removes.

Each hostile article under tests/fixtures/hostile/ is what an editor could paste or an
attacker could write (docs/security.md lists them); the check must report every piece
the sanitizer removes at the line it comes from, and what is left must hold only the
allowlist (newsroom/data/allowed_html.toml), whatever the input.
"""

from urllib.parse import urlsplit

import lxml.html
import pytest

from newsroom import messages
from newsroom.desk.checks import ERROR, check_paths
from newsroom.desk.html_check import html_reports
from newsroom.paper import markup, sanitize
from sitebuild import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
CHECK_FIXTURES = ROOT / "tests" / "fixtures" / "check"
HOSTILE_FILES = sorted(HOSTILE.rglob("*.md"))


@pytest.fixture(autouse=True)
def chinese():
    messages.set_language("zh")
    yield
    messages.set_language(None)


def line_of(path, marker):
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def reports_of(path):
    text = path.read_text(encoding="utf-8")
    from newsroom.paper.content import parse_text

    source = parse_text(text, path)
    return html_reports(text, source.body_line, source.line_of("summary"))


def assert_only_allowed(fragment):
    """Every element, attribute and address of ``fragment`` is in the allowlist."""
    rules = sanitize.allowlist()
    root = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
    for element in root.iter():
        if element is root:
            continue
        assert isinstance(element.tag, str), f"a comment or processing instruction survived: {element!r}"
        assert element.tag in rules["tags"], element.tag
        for name, value in element.attrib.items():
            assert name in rules["attributes"].get(element.tag, ()), (element.tag, name)
            rule = rules["values"].get((element.tag, name))
            if rule == sanitize.SAME_SITE:
                assert sanitize.is_same_site(value), value
            if rule == sanitize.WEB_ADDRESS:
                assert sanitize.is_same_site(value) or sanitize.WEB_URL.match(value), value
            if name in ("href", "cite"):
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), value


# --- what the sanitizer leaves ----------------------------------------------------------

@pytest.mark.parametrize("path", HOSTILE_FILES, ids=[p.stem for p in HOSTILE_FILES])
def test_what_is_left_of_a_hostile_article_is_only_the_allowlist(path):
    html, meta = markup.render(path.read_text(encoding="utf-8"))
    cleaned = sanitize.clean(html)
    assert_only_allowed(cleaned)
    # Text may say anything (a hostile paste's leftovers are shown as text, harmless);
    # no address or attribute may carry it.
    values = " ".join(v for e in lxml.html.fragment_fromstring(cleaned, create_parent="div").iter()
                      for v in e.attrib.values())
    assert not any(word in values.lower() for word in ("alert", "evil.example", "javascript", "data:"))
    # Cleaning is final: nothing more to remove, and the same HTML again.
    assert sanitize.removals(cleaned) == []
    assert sanitize.clean(cleaned) == cleaned
    if meta.get("summary"):
        assert_only_allowed(sanitize.clean(markup.render_fragment("\n".join(meta["summary"]))))


@pytest.mark.parametrize("fragment", [
    '<a href="&#106;ava&#9;script&colon;alert(1)">x</a>', '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>', '<a href="\x01javascript:alert(1)">x</a>',
    '<img src="/\\evil.example/x.png">', '<img src=" //evil.example/x.png">', '<img src="ht\ttp://evil.example/">',
    '<img src="https:evil.example/x.png">', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<scr<script>ipt>alert(1)</script>', '<svg><animate onbegin="alert(1)" attributeName="x"/></svg>',
    '<table><td background="https://evil.example/x.png">', '<a href="https://example.org/" ping="https://evil.example/">x</a>',
    '<img src="x.jpg" srcset="https://evil.example/1.png 2x">', '<math href="javascript:alert(1)">x</math>',
    '<isindex action="javascript:alert(1)">', '<keygen autofocus onfocus="alert(1)">',
    # ammonia checks the scheme of href and src only: a quotation's source is ours to judge
    '<blockquote cite="javascript:alert(1)">x</blockquote>', '<q cite="//evil.example/t">x</q>',
    '<q cite="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;">x</q>', '<q cite="/\\evil.example/">x</q>',
])
def test_tricky_fragments_leave_only_the_allowlist(fragment):
    cleaned = sanitize.clean(fragment)
    assert_only_allowed(cleaned)
    values = " ".join(v for e in lxml.html.fragment_fromstring(cleaned or "<p></p>", create_parent="div").iter()
                      for v in e.attrib.values())
    assert "evil.example" not in values and "alert" not in values
    assert sanitize.removals(fragment), "the check must be told"


def test_a_quotation_may_cite_this_site_or_a_web_page():
    kept = '<blockquote cite="https://example.org/a">x</blockquote><p><q cite="/2024/01/02/x/">y</q></p>'
    assert sanitize.clean(kept) == kept and sanitize.removals(kept) == []


def test_images_load_only_from_this_site():
    for url in ("images/a.jpg", "/images/a.jpg", "../a.jpg", "{static}/images/a.jpg", "a.jpg?x=1#y"):
        assert sanitize.is_same_site(url), url
    for url in ("https://evil.example/a.png", "//evil.example/a.png", "/\\evil.example/a.png", "data:image/png;base64,",
                "\t//evil.example/a", "java\nscript:alert(1)", "HTTP://evil.example/", ""):
        assert not sanitize.is_same_site(url), url


def test_what_markdown_makes_survives_unchanged():
    path = HOSTILE / "2024" / "05" / "20-allowed-markup.md"
    html, _ = markup.render(path.read_text(encoding="utf-8"))
    assert sanitize.removals(html) == []
    page = lxml.html.fragment_fromstring(sanitize.clean(html), create_parent="div")
    # Table alignment as classes (the CSP blocks style=), footnotes with their links back,
    # the image and its caption, the code shown as text, links with their addresses.
    assert [th.get("class") for th in page.iter("th")] == ["align-left", "align-right"]
    assert page.xpath("//sup[@id='fnref:1']/a[@href='#fn:1']") and page.xpath("//li[@id='fn:1']")
    assert page.xpath("//a[@class='footnote-backref'][@title='回到正文第 1 处注释']")
    assert page.xpath("//img[@src='shuwu.jpg'][@alt='职工在书屋读书'][@title='职工书屋一角']")
    assert '<script>alert("只是文字")</script>' in page.xpath("string(//pre/code)")
    assert page.xpath("//pre/code[@class='language-html']")
    assert {a.get("href") for a in page.iter("a")} >= {"https://example.org/shumu", "#fn:1", "#fnref:1"}
    assert any(a.get("href", "").startswith("mailto:") for a in page.iter("a"))


def test_comments_never_reach_readers():
    # An editor's note and a Word conditional comment: gone, and not reported.
    html, _ = markup.render("Title: x\n\n<!-- 待核实：电话 -->\n\n正文\n\n<!--[if gte mso 9]><xml></xml><![endif]-->\n")
    assert "待核实" not in sanitize.clean(html) and "mso" not in sanitize.clean(html)
    assert sanitize.removals(html) == []


# --- the check reports each removal at its line ---------------------------------------------

# (fixture, [(text on the line, message id), ...]) for every hostile article.
EXPECTED = {
    "01-script-in-code-span-in-html-block": [("<script", "security.html_code")],
    "02-script-after-unclosed-fence": [("<script", "security.html_code")],
    "03-meta-refresh": [("<meta", "security.html_page_setting")],
    "04-event-handlers": [("onerror", "security.html_handler"), ("<details", "security.html_tags")],
    "05-tag-split-over-lines": [('onerror="alert(5)"', "security.html_handler")],
    "06-javascript-links": [("[书目](javascript:", "security.html_link"), ("<javascript:", "security.html_tags"),
                            ("[ref]: javascript:", "security.html_link")],
    "07-data-and-vbscript-urls": [("data:text/html", "security.html_link"), ("data:image", "security.html_image")],
    "08-iframes-and-plugins": [("srcdoc", "security.html_embed"), ('src="https://evil.example/video"', "security.html_embed"),
                               ("<object", "security.html_embed")],
    "09-forms": [("<form", "security.html_form")],
    "10-base-and-link": [("<base", "security.html_page_setting")],
    "11-styles": [("<p style", "security.html_style"), ("<style>", "security.html_code")],
    "12-foreign-images": [("track.png", "security.html_image"), ("srcset", "security.html_attributes"),
                          ("<video", "security.html_embed"), ("<picture>", "security.html_tags")],
    "13-inline-svg": [("<svg", "security.html_code"), ("<math>", "security.html_code")],
    "14-wechat-paste": [("<section", "security.html_tags"), ("style=", "security.html_style"),
                        ("class=", "security.html_attributes")],
    "15-word-paste": [("MsoNormal", "security.html_style"), ("MsoNormal", "security.html_attributes"),
                      ("<o:p>", "security.html_tags")],
    "16-mutation-xss": [("<noscript>", "security.html_code"), ("onclick", "security.html_handler")],
    "17-attr-list": [("onclick", "security.html_handler"), ("onclick", "security.html_style"),
                     ("onmouseover", "security.html_handler"), ("#search", "security.html_attributes")],
    "18-targets-and-frames": [('target="_blank"', "security.html_attributes"), ("<template>", "security.html_code"),
                              ("<textarea>", "security.html_form")],
    "19-hostile-summary-and-title": [("Summary:", "security.html_handler"), ("Summary:", "security.html_image"),
                                     ("Summary:", "security.html_link")],
    "20-allowed-markup": [],
}


def test_every_hostile_fixture_has_its_expectation():
    assert sorted(EXPECTED) == [p.stem for p in HOSTILE_FILES]


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=[p.stem for p in HOSTILE_FILES])
def test_the_check_names_each_removal_at_its_line(path):
    reports = reports_of(path)
    found = {(report.line, report.message_id) for report in reports}
    for marker, message_id in EXPECTED[path.stem]:
        assert (line_of(path, marker), message_id) in found, (marker, message_id, sorted(found))
    if not EXPECTED[path.stem]:
        assert reports == []
    # Only as many problems as the lines and kinds removed: never one per character.
    assert len(reports) <= 3 * max(1, len(EXPECTED[path.stem]))


def test_a_check_error_names_the_file_and_line_and_says_how_to_fix_it():
    path = HOSTILE / "2024" / "05" / "03-meta-refresh.md"
    problems, _ = check_paths([path])
    assert [(p.path, p.line, p.severity) for p in problems] == [(str(path), line_of(path, "<meta"), ERROR)]
    assert problems[0].message == messages.text("security.html_page_setting", tags="<meta>")
    assert problems[0].fix == messages.fix("security.html_page_setting")


@pytest.mark.parametrize("name, marker, message_id", [
    ("script_tag.md", "<script>", "security.html_code"),
    ("iframe.md", "<iframe", "security.html_embed"),
    ("event_handler.md", "onerror=", "security.html_handler"),
    ("javascript_link.md", "javascript:", "security.html_link"),
    ("javascript_encoded.md", "&#106;ava", "security.html_link"),
    ("object_tag.md", "<object", "security.html_embed"),
])
def test_the_old_unsafe_html_fixtures_are_still_errors(name, marker, message_id):
    path = CHECK_FIXTURES / name
    problems, _ = check_paths([path])
    assert len(problems) == 1, problems
    assert (problems[0].line, problems[0].severity) == (line_of(path, marker), ERROR)
    assert [r.message_id for r in reports_of(path)] == [message_id]


def test_a_literal_tab_inside_javascript_is_made_harmless_by_markdown():
    # Python-Markdown expands a tab to spaces, and "java  script:" is no scheme: a relative
    # address, published as it is, harmless (a browser drops tabs, not spaces).
    html, _ = markup.render('Title: x\n\n<a href="java\tscript:alert(1)">x</a>\n')
    assert 'href="java' in sanitize.clean(html) and sanitize.removals(html) == []


def test_english_messages_on_request():
    messages.set_language("en")
    path = HOSTILE / "2024" / "05" / "03-meta-refresh.md"
    problems, _ = check_paths([path])
    assert problems[0].message.startswith("<meta> set up a whole web page")


def test_the_editors_guide_explains_every_security_message():
    guide = (ROOT / "docs" / "editor-guide.zh.md").read_text(encoding="utf-8")
    for message_id, entry in messages.catalogue().items():
        if message_id.startswith("security."):
            # The text between placeholders, as the guide quotes it.
            pieces = [piece for piece in __import__("re").split(r"\{[a-z_]+\}", entry["zh"]) if len(piece) > 4]
            assert any(piece.strip() in guide for piece in pieces), message_id
