"""The render record's comparison, without Pelican: which pages a change of one value
makes render again (newsroom.build.renderdeps.Build, newsroom.build.fingerprint).

tests/test_incremental.py proves whole builds equal clean ones; here each rule of the
comparison is held to on its own, with two builds' values side by side: a page is
unchanged exactly when the values of what it read are."""

import dataclasses
import datetime
import zoneinfo

from markupsafe import Markup

from newsroom.build import renderdeps
from newsroom.build.fingerprint import Fingerprints


class Item:
    """A tracked object: what a page reads of it is recorded attribute by attribute."""

    def __init__(self, key, **fields):
        self.key = key
        self.__dict__.update(fields)

    def method(self):
        return self.key


def key_of(value):
    return value.key if isinstance(value, Item) else None


def template_source(environment, name):
    return environment[name], name


def build(record, objects, context):
    """One build's comparison: ``objects`` the tracked objects by key, ``context`` the
    values of context names; returns the Build and a page's signature and lookup."""
    fingerprints = Fingerprints(key_of=key_of, substitute_types=())
    result = renderdeps.Build(record, fingerprints, objects, template_source, "global", "site")

    def lookup(name):
        return context.get(name, renderdeps.MISSING)

    return result, lookup


def record_of(done, lookup, pages, environment):
    """The record a build keeps: ``pages`` name -> (names, objects) read (every page
    rendered, or taken over from ``done.record`` when ``done`` says it is unchanged)."""
    jobs, rendered = {}, []
    for name, (names, objects) in pages.items():
        old = done.unchanged(name, name, lookup, environment) if not done.full else None
        if old is None:
            rendered.append(objects)
            jobs[name] = renderdeps.JobRecord((name,), names, objects, ("page.html",), (),
                                              done.local_key(name, names, ("page.html",), (), lookup, environment))
        else:
            jobs[name] = old
    union, digests = done.object_record(rendered)
    return renderdeps.Record("global", jobs, "site", union, digests)


ENVIRONMENT = {"page.html": "{{ title }}"}


def rebuild(pages, objects_before, objects_now, context_before, context_now, environment_now=ENVIRONMENT):
    """The names of ``pages`` a build with the ``_now`` values renders again after one with
    the ``_before`` values."""
    first, lookup = build(renderdeps.Record(), objects_before, context_before)
    record = record_of(first, lookup, pages, ENVIRONMENT)
    second, lookup = build(record, objects_now, context_now)
    assert not second.full
    return {name for name in pages if second.unchanged(name, name, lookup, environment_now) is None}


PAGES = {
    "a.html": (("title",), (("a", ("body", "title")),)),
    "list.html": (("title", "when"), (("a", ("title",)), ("b", ("title",)))),
    "b.html": (("title",), (("b", ("body", "method", "title")),)),
}


def objects(**changes):
    values = {"a": Item("a", title="A", body="text a"), "b": Item("b", title="B", body="text b")}
    for key, fields in changes.items():
        if fields is None:
            del values[key]
        else:
            values[key].__dict__.update(fields)
    return values


CONTEXT = {"title": "站点", "when": datetime.datetime(2024, 3, 12, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))}


def test_nothing_changed_nothing_renders():
    assert rebuild(PAGES, objects(), objects(), CONTEXT, dict(CONTEXT)) == set()


def test_a_page_renders_again_only_when_an_attribute_it_read_changed():
    # a.body is read by a.html only; a.title by a.html and the list.
    assert rebuild(PAGES, objects(), objects(a={"body": "new"}), CONTEXT, CONTEXT) == {"a.html"}
    assert rebuild(PAGES, objects(), objects(a={"title": "A2"}), CONTEXT, CONTEXT) == {"a.html", "list.html"}
    # An attribute nobody read changes nothing.
    assert rebuild(PAGES, objects(), objects(a={"unread": 1}), CONTEXT, CONTEXT) == set()
    # A value of another type with the same text is another value.
    assert rebuild(PAGES, objects(), objects(b={"title": Markup("B")}), CONTEXT, CONTEXT) == {"b.html", "list.html"}


def test_an_object_gone_or_shadowing_its_method_renders_its_pages_again():
    assert rebuild(PAGES, objects(), objects(b=None), CONTEXT, CONTEXT) == {"b.html", "list.html"}
    assert rebuild(PAGES, objects(), objects(b={"method": "shadowed"}), CONTEXT, CONTEXT) == {"b.html"}


def test_an_attribute_that_cannot_be_compared_renders_the_pages_that_read_it_every_time():
    class Unreadable:
        __slots__ = ()

    before = objects(a={"body": Unreadable()})
    assert rebuild(PAGES, before, objects(a={"body": Unreadable()}), CONTEXT, CONTEXT) == {"a.html"}


def test_the_changes_found_are_carried_over_builds_that_took_a_page_over():
    """A page taken over keeps its record; the next build compares with the values of the
    build before, which were the page's own (it was unchanged then)."""
    first, lookup = build(renderdeps.Record(), objects(), CONTEXT)
    record = record_of(first, lookup, PAGES, ENVIRONMENT)
    second, lookup = build(record, objects(a={"body": "new"}), CONTEXT)
    record = record_of(second, lookup, PAGES, ENVIRONMENT)
    third, lookup = build(record, objects(a={"body": "new", "title": "A3"}), CONTEXT)
    assert {name for name in PAGES if third.unchanged(name, name, lookup, ENVIRONMENT) is None} == {
        "a.html", "list.html"}
    record = record_of(third, lookup, PAGES, ENVIRONMENT)
    fourth, lookup = build(record, objects(a={"body": "new", "title": "A3"}), CONTEXT)
    assert all(fourth.unchanged(name, name, lookup, ENVIRONMENT) is not None for name in PAGES)


def test_context_names_and_templates_are_compared_page_by_page():
    later = dict(CONTEXT, when=CONTEXT["when"] + datetime.timedelta(seconds=1))
    assert rebuild(PAGES, objects(), objects(), CONTEXT, later) == {"list.html"}
    # The same time in another zone is another value.
    other_zone = dict(CONTEXT, when=CONTEXT["when"].astimezone(zoneinfo.ZoneInfo("UTC")))
    assert rebuild(PAGES, objects(), objects(), CONTEXT, other_zone) == {"list.html"}
    assert rebuild(PAGES, objects(), objects(), CONTEXT, {}) == set(PAGES)
    edited = {"page.html": "{{ title }}!"}
    assert rebuild(PAGES, objects(), objects(), CONTEXT, CONTEXT, edited) == set(PAGES)


def test_a_local_part_is_not_taken_for_another_value_of_the_same_name():
    """Build.local_key memoises each (name, value) part by the value's identity: a value
    made afresh for each page (an environment variable's string) must not be taken for
    an earlier one that had the same identity."""
    first, _ = build(renderdeps.Record(), {}, {})
    keys = set()
    for number in range(200):
        value = f"value {number}"  # freed after each page, so its identity may come back
        keys.add(first.local_key("page", ("name",), (), (), lambda name, value=value: value, ENVIRONMENT))
        del value
    assert len(keys) == 200
    # The memo makes the digest combine() makes of the same parts.
    assert first.local_key("page", ("name",), ("page.html",), (), lambda name: "x", ENVIRONMENT) == \
        renderdeps.combine(first.key_parts("page", ("name",), (), ("page.html",), (), lambda name: "x", ENVIRONMENT))


def test_a_leaf_values_token_is_the_same_first_and_later_and_in_any_order():
    """Leaf values (Markup, datetimes, dates, enums) are tokened without the memo: the
    first value of a type (which sets the type up) must get the token the later ones get."""
    when = datetime.datetime(2024, 3, 12, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    values = [when, when.date(), Markup("<b>x</b>"), datetime.timedelta(days=1), Markup("y" * 500)]
    one = Fingerprints(substitute_types=())
    first = [one.token(value) for value in values]
    assert [one.token(value) for value in values] == first
    other = Fingerprints(substitute_types=())
    assert [other.token(value) for value in reversed(values)] == list(reversed(first))
    assert one.token(Markup("x")) != one.token("x")
    assert one.token([when]) == other.token([when])


def test_an_objects_dataclass_fields_and_slots_are_all_compared():
    @dataclasses.dataclass
    class Point:
        x: int
        y: int

    class Slotted:
        __slots__ = ("a", "b")

        def __init__(self, a, b=None):
            self.a = a
            if b is not None:
                self.b = b

    fingerprints = Fingerprints()
    assert fingerprints.token(Point(1, 2)) != fingerprints.token(Point(1, 3))
    assert fingerprints.token(Point(1, 2)) == Fingerprints().token(Point(1, 2))
    assert fingerprints.token(Slotted(1)) != fingerprints.token(Slotted(1, 2))
    assert fingerprints.token(Slotted(1, 2)) != fingerprints.token(Slotted(1, 3))


def test_tags_with_the_same_fields_share_a_token_and_others_do_not():
    """Pelican makes a tag object per article; the fastbuild plugin tokens equal ones
    once (plugins/fastbuild/incremental.canonical): the memo must tell apart every field
    a tag's addresses are made from."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Category, Tag

    from plugins.fastbuild import incremental

    settings = dict(DEFAULT_CONFIG)
    other_settings = dict(DEFAULT_CONFIG, TAG_URL="topic/{slug}.html")
    incremental._CANONICAL.clear()
    fingerprints = Fingerprints(substitute=incremental.substitute, substitute_types=incremental.SUBSTITUTED,
                                shared_types=(Tag,), canonical=incremental.canonical,
                                canonical_types=incremental.CANONICAL)
    token = fingerprints.token

    def explicit(name, slug):
        tag = Tag(name, settings)
        tag.slug = slug
        return tag

    plain = token(Tag("劳模", settings))
    assert token(Tag("劳模", settings)) == plain
    assert token(Tag("劳模", other_settings)) != plain
    assert token(explicit("劳模", "model-workers")) != plain
    assert token(explicit("劳模", "model-workers")) != token(explicit("劳模", "laomo"))
    assert token(Category("劳模", settings)) != plain
    assert token(Tag("职工书屋", settings)) != plain
    extra = Tag("劳模", settings)
    extra.note = "x"
    assert token(extra) != plain
    # And each is what the object substituted alone gives.
    alone = Fingerprints(substitute=incremental.substitute, substitute_types=incremental.SUBSTITUTED)
    for value in (Tag("劳模", settings), Tag("劳模", other_settings), explicit("劳模", "laomo"), extra,
                  Category("劳模", settings)):
        assert token(value) == alone.token(value)
