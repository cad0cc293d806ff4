"""A deterministic synthetic back catalogue for the benchmarks and the scale tests.

``generate_catalogue(n, out_dir, seed=0)`` writes ``n`` article files that use every field
of the content model (docs/content-model.md): headlines, kickers and subtitles, dates
over many years (some with a time), bylines in every printed form (本报讯（记者 X）,
several reporters, reporters with correspondents, correspondents only, half-width
brackets, full-width spaces, 特约记者, a 本报记者 line of its own, an ``Authors:`` field),
districts in official and short forms, ``全市`` and none at all (then detected from the
text), print pages (Page, PageName, PageOrder, Issue) grouped into plausible issues (one
date is one issue of four pages), online-only articles, tags, explicit topics (and
``Topics: none``), a few drafts, a few corrections and summaries.

The text is recombined from the sample articles in ``content/``: whole paragraphs and
sentences, with the district names swapped for the article's district and figures varied,
so that the Chinese text is real newspaper prose rather than lorem ipsum. The same
``(n, seed)`` always gives byte-identical files, whatever the machine.

Run ``python -m bench.generate 1000 /tmp/catalogue`` to write one by hand.
"""

import argparse
import logging
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as datetime_time
from pathlib import Path

from newsroom import DATA_DIR
from newsroom.paper.content import read_source, split_list
from newsroom.text.districts import gazetteer
from newsroom.text.slugs import slugify_headline

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "content"
# Written into every generated catalogue, so that regenerating may safely delete it.
MARKER = ".bench-catalogue"

FIRST_ISSUE_DATE = date(2005, 1, 4)
LAST_ISSUE_DATE = date(2024, 12, 31)
FIRST_ISSUE_NUMBER = 4001
PAGE_NAMES = {1: "要闻", 2: "基层", 3: "维权", 4: "文化"}
ARTICLES_PER_ISSUE = (6, 11)  # inclusive range
ONLINE_ONLY_SHARE = 0.05
DRAFT_SHARE = 0.01
CORRECTION_SHARE = 0.01
NO_DISTRICT_SHARE = 0.25
CITYWIDE_SHARE = 0.12
SHORT_DISTRICT_SHARE = 0.3
KICKER_SHARE = 0.3
SUBTITLE_SHARE = 0.2
TOPICS_SHARE = 0.05
TIME_SHARE = 0.06
SUMMARY_SHARE = 0.02
REPORTERS = 80
CORRESPONDENTS = 120

SENTENCE = re.compile(r"[^。！？]+[。！？]”?")
# Figures in the text: counts and amounts, not the day or month of a date.
FIGURE = re.compile(r"(?<![\d.])(\d{2,5})(?![\d.]|[月日年时号点])")
BYLINE_LEAD = re.compile(r"^(?:本报讯)?[（(][^）)]{1,40}[）)]")


@dataclass
class Samples:
    """What the generator recombines: pieces of the sample articles."""

    titles: list = field(default_factory=list)
    kickers: list = field(default_factory=list)
    subtitles: list = field(default_factory=list)
    leads: list = field(default_factory=list)  # first paragraphs without their byline
    paragraphs: list = field(default_factory=list)  # later paragraphs
    sentences: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    reporters: list = field(default_factory=list)
    correspondents: list = field(default_factory=list)


@dataclass
class Headline:
    """A sample headline cut where it can be recombined: ``place + organisation + rest``.

    ``kind`` says what the place is: ``official`` (朝阳区), ``short`` (朝阳), ``unit`` (a
    street or town of a district), ``city`` (市, 全市, 首都) or ``none`` (no place first).
    """

    text: str
    kind: str
    place: str = ""
    organisation: str = ""
    rest: str = ""


CITY_PLACES = ("北京市", "全市", "首都", "市")
# A headline without a place can take one before it unless it opens with a figure, an
# ordinal or a year, asks a question or names the city itself (第十五届北京市…).
NOT_PREFIXABLE = re.compile(r"^[\d第]|？|北京市")


def split_headline(text, forms, units):
    """``text`` cut into a :class:`Headline` (``forms``: district -> its names, longest first)."""
    names = {}
    for official, district_names in forms.items():
        for name in district_names:
            names[name] = "official" if name == official else "short"
    for district_units in units.values():
        names.update((unit, "unit") for unit in district_units)
    names.update((name, "city") for name in CITY_PLACES)
    pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    match = re.match(f"({pattern})(总工会|工会)?(.{{4,}})$", text)
    if not match:
        return Headline(text, "none", rest=text)
    place, organisation, rest = match.group(1), match.group(2) or "", match.group(3)
    return Headline(text, names[place], place, organisation, rest)


def _sample_files(source_dir):
    return sorted(p for p in Path(source_dir).rglob("*.md") if "pages" not in p.relative_to(source_dir).parts)


def load_samples(source_dir=SAMPLE_DIR):
    """Collect titles, paragraphs, sentences, tags and names from the sample articles."""
    from newsroom.text.bylines import byline_of

    samples = Samples()
    seen = set()

    def add(bucket, value):
        if value and (id(bucket), value) not in seen:
            seen.add((id(bucket), value))
            bucket.append(value)

    for path in _sample_files(source_dir):
        source = read_source(path)
        if (source.get("status") or "").lower() == "draft":
            continue
        add(samples.titles, source.title)
        add(samples.kickers, source.get("kicker"))
        add(samples.subtitles, source.get("subtitle"))
        for tag in split_list(source.get("tags")):
            add(samples.tags, tag)
        byline = byline_of(source.body)
        for name in byline.reporters:
            add(samples.reporters, name)
        for name in byline.correspondents:
            add(samples.correspondents, name)
        # A photo (a Markdown image alone in its paragraph) is no text to recombine: its
        # file is not copied into the catalogue (bench/photos_bench.py adds photos of its own).
        paragraphs = [p for p in source.body_paragraphs() if not p.startswith("![")]
        if paragraphs and paragraphs[0].startswith("本报记者"):
            paragraphs = paragraphs[1:]  # the byline line of a feature
        for index, paragraph in enumerate(paragraphs):
            text = BYLINE_LEAD.sub("", paragraph).strip()
            if not text:
                continue
            add(samples.leads if index == 0 else samples.paragraphs, text)
            for sentence in SENTENCE.findall(text):
                add(samples.sentences, sentence.strip())
    if not samples.titles or not samples.paragraphs:
        raise ValueError(f"{source_dir}: no sample articles to recombine")
    return samples


def _names(rng, known, count):
    """``known`` names plus made-up ones (a surname + given characters of known names)."""
    surnames = [
        line.strip()
        for line in (DATA_DIR / "surnames.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    given = sorted({ch for name in known for ch in name[1:]})
    names = list(known)
    taken = set(names)
    while len(names) < count:
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _district_forms():
    """Every district's names, longest first, for swapping names in recombined text."""
    gaz = gazetteer()
    forms = {}
    for short, official in gaz.accepted.items():
        if official in gaz.districts and re.fullmatch(r"[\u4e00-\u9fff]+", short) and not short.endswith("县"):
            forms.setdefault(official, set()).add(short)
    return {official: sorted(names, key=len, reverse=True) for official, names in forms.items()}


# Leads of columns and series, for headlines once a district's recombinations run out.
SERIES_LEADS = ("追踪：", "回访：", "聚焦：", "关注：", "综述：", "特写：", "新春走基层：", "劳动者之歌：", "工会在身边：",
                "一线直击：", "职工心声：", "维权在线：", "基层来信：", "记者手记：", "图片新闻：", "短讯：", "再访：",
                "年终特稿：", "深读：", "一周要闻：")

class _Writer:
    """Builds the articles of one catalogue from one random stream."""

    def __init__(self, samples, rng):
        self.samples = samples
        self.rng = rng
        self.reporters = _names(rng, samples.reporters, REPORTERS)
        self.correspondents = _names(rng, samples.correspondents, CORRESPONDENTS)
        self.districts = list(gazetteer().districts)
        self.forms = _district_forms()
        self.units = {name: sorted(units) for name, units in gazetteer().units.items()}
        self.slugs = set()
        self.headlines = {title: split_headline(title, self.forms, self.units) for title in samples.titles}
        self.recombinable = [h for h in self.headlines.values()
                             if h.kind != "none" or not NOT_PREFIXABLE.search(h.rest)]
        alternatives = [name for names in self.forms.values() for name in names]
        self.district_pattern = re.compile("|".join(sorted(alternatives, key=len, reverse=True)))
        from newsroom.text.topics import load_topics

        self.topic_ids = [topic["id"] if isinstance(topic, dict) else topic.id for topic in load_topics()]

    # --- text -------------------------------------------------------------------------
    def _vary(self, text, district):
        """Swap district names for ``district`` and vary the figures."""
        rng = self.rng
        if district in self.forms:
            short = self.forms[district][-1]
            text = self.district_pattern.sub(lambda m: district if m.group(0).endswith("区") else short, text)

        def figure(match):
            value = int(match.group(1))
            low, high = max(10, value // 2), max(11, value * 3 // 2)
            return str(rng.randint(low, high))

        return FIGURE.sub(figure, text)

    def _byline(self):
        rng = self.rng
        reporters = rng.sample(self.reporters, rng.choice((1, 1, 1, 2, 2, 3)))
        correspondents = rng.sample(self.correspondents, rng.choice((1, 2)))
        form = rng.random()
        if form < 0.40:
            return f"本报讯（记者 {' '.join(reporters)}）", reporters, []
        if form < 0.60:
            return f"本报讯（记者 {reporters[0]} 通讯员 {' '.join(correspondents)}）", reporters[:1], correspondents
        if form < 0.68:
            return f"本报讯（通讯员 {' '.join(correspondents)}）", [], correspondents
        if form < 0.76:
            return f"本报讯(记者 {' '.join(reporters)})", reporters, []
        if form < 0.82:
            return (f"本报讯（记者\u3000{reporters[0]}\u3000通讯员\u3000{correspondents[0]}）", reporters[:1],
                    correspondents[:1])
        if form < 0.87:
            return f"本报讯（特约记者 {reporters[0]}）", reporters[:1], []
        if form < 0.93:
            return f"本报记者 {' '.join(reporters[:2])}\n\n", reporters[:2], []
        return f"（记者 {reporters[0]}）", reporters[:1], []

    def body(self, district, month_day):
        """(the body text, its byline's reporters, its byline's correspondents)."""
        rng, samples = self.rng, self.samples
        byline, reporters, correspondents = self._byline()
        lead = rng.choice(samples.leads)
        if rng.random() < 0.5:  # a fresh lead: the date, then sample sentences
            lead = f"{month_day}，" + "".join(rng.sample(samples.sentences, rng.randint(2, 3)))
        paragraphs = [byline + self._vary(lead, district)]
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.7:
                paragraphs.append(self._vary(rng.choice(samples.paragraphs), district))
            else:
                paragraphs.append(self._vary("".join(rng.sample(samples.sentences, rng.randint(2, 4))), district))
        return "\n\n".join(paragraphs), reporters, correspondents

    def _take(self, headline):
        """True (and the slug reserved) when ``headline``'s slug is not taken yet."""
        slug = slugify_headline(headline)
        if slug in self.slugs:
            return False
        self.slugs.add(slug)
        return True

    def _place_in(self, district, kind):
        """A place of ``district`` like the one a sample headline opened with."""
        rng = self.rng
        if kind == "official":
            return district
        if kind == "short":
            return self.forms[district][-1]
        return rng.choice(self.units[district])

    def _organisation(self, place):
        """The union body a place has: 区/镇/乡 a 总工会, a 街道 a 工会."""
        return "工会" if place.endswith(("街道", "全市")) else "总工会"

    def headline(self, headline, district):
        """A unique headline for an article about ``district`` (None: citywide), from the
        sample ``headline``: its own place swapped for one of ``district``'s first, then
        recombined (a place of the district, its union body where the sample had one,
        another sample's rest), as a newspaper's headlines vary over the years.

        Real headlines rarely repeat; recombined ones would, and Pelican takes articles
        with one slug for translations of each other (and our slugs cut long headlines).
        """
        rng = self.rng
        home = district or rng.choice(self.districts)
        if headline.kind in ("official", "short", "unit") and district:
            place = self._place_in(district, headline.kind)
            first = place + headline.organisation + headline.rest
        else:
            first = headline.text
        first = self._vary(first, district or "")
        if self._take(first):
            return first
        for attempt in range(400):
            # Mostly places of the article's own district; late attempts any district.
            where = home if attempt < 300 else rng.choice(self.districts)
            other = rng.choice(self.recombinable)
            place = self._place_in(where, rng.choice(("official", "short", "unit", "unit", "unit")))
            if other.organisation or (other.kind != "none" and not other.rest[0].isdigit() and rng.random() < 0.3):
                if place == self.forms[where][-1]:
                    place = where  # 朝阳区总工会, not 朝阳总工会
                candidate = place + self._organisation(place) + other.rest
            else:
                candidate = place + other.rest
            candidate = self._vary(candidate, where)
            if self._take(candidate):
                return candidate
        # Past ~20,000 articles the recombinations of a district run out: a headline then
        # opens with a column's or a series' lead, as long-running papers' do (a catalogue
        # that never gets here is generated exactly as before).
        for lead in rng.sample(SERIES_LEADS, len(SERIES_LEADS)):
            for _ in range(40):
                other = rng.choice(self.recombinable)
                where = rng.choice(self.districts)
                place = self._place_in(where, rng.choice(("official", "unit")))
                candidate = self._vary(lead + place + other.rest, where)
                if self._take(candidate):
                    return candidate
        raise RuntimeError(f"bench: no unique headline for an article about {home} (catalogue too large?)")

    # --- metadata ---------------------------------------------------------------------
    def district_field(self):
        """(what the ``District:`` line says or None, the district the text is about)."""
        rng = self.rng
        draw = rng.random()
        district = rng.choice(self.districts)
        if draw < CITYWIDE_SHARE:
            return rng.choice(("全市", "全市", "北京市")), None
        if draw < CITYWIDE_SHARE + NO_DISTRICT_SHARE:
            return None, district
        if rng.random() < SHORT_DISTRICT_SHARE:
            return self.forms[district][-1], district
        return district, district

    def article(self, day, title_pool, issue=None, page=None, order=None):
        rng, samples = self.rng, self.samples
        written_as, district = self.district_field()
        text_district = district or ""
        title = self.headline(self.headlines[title_pool.pop(rng.randrange(len(title_pool)))], district)
        meta = [("Title", title)]
        if rng.random() < KICKER_SHARE:
            meta.append(("Kicker", self._vary(rng.choice(samples.kickers), text_district)))
        if rng.random() < SUBTITLE_SHARE:
            meta.append(("Subtitle", self._vary(rng.choice(samples.subtitles), text_district)))
        when = day.isoformat()
        if rng.random() < TIME_SHARE:
            when += f" {rng.choice((8, 9, 15, 19, 21)):02d}:{rng.choice((0, 30)):02d}"
        meta.append(("Date", when))
        # As `new` and `import` write it: a back catalogue's addresses are fixed.
        meta.append(("Slug", slugify_headline(title)))
        body, reporters, correspondents = self.body(text_district, f"{day.month}月{day.day}日")
        # The fields, when given, name the byline's people (`newsroom check` holds them to it).
        if rng.random() < 0.04 and reporters:
            meta.append(("Authors", ", ".join(reporters)))
        if rng.random() < 0.02 and correspondents:
            meta.append(("Correspondents", "、".join(correspondents)))
        if written_as:
            meta.append(("District", written_as))
        if page is not None:
            meta += [("Page", str(page)), ("PageName", PAGE_NAMES[page]), ("PageOrder", str(order)), ("Issue", str(issue))]
        tags = rng.sample(samples.tags, rng.choice((0, 1, 2, 2, 3)))
        if tags:
            meta.append(("Tags", ", ".join(tags)))
        if rng.random() < TOPICS_SHARE:
            meta.append(("Topics", "none" if rng.random() < 0.2 else ", ".join(rng.sample(self.topic_ids, 1))))
        if rng.random() < SUMMARY_SHARE:
            meta.append(("Summary", self._vary(rng.choice(samples.sentences), text_district)))
        if rng.random() < CORRECTION_SHARE:
            fixed = day + timedelta(days=rng.randint(1, 6))
            meta.append(("Correction", f"{fixed.isoformat()} 原稿第二段中“{rng.randint(11, 99)}名职工”应为“{rng.randint(11, 99)}名职工”，特此更正。"))
        if rng.random() < DRAFT_SHARE:
            meta.append(("Status", "draft"))
        head = "\n".join(f"{key}: {value}" for key, value in meta)
        return f"{head}\n\n{body}\n"


def issue_dates(count, first=FIRST_ISSUE_DATE, last=LAST_ISSUE_DATE):
    """``count`` issue dates spread evenly from ``first`` to ``last`` (at most one a day)."""
    span = (last - first).days
    if count <= 1:
        return [last]
    step = max(1.0, span / (count - 1))
    days = [last - timedelta(days=round(step * (count - 1 - i))) for i in range(count)]
    return sorted(set(days))


def generate_catalogue(n, out_dir, seed=0, source_dir=SAMPLE_DIR):
    """Write ``n`` articles (and the sample's ``pages/``) into ``out_dir``; return their paths.

    ``out_dir`` must be empty, missing, or a catalogue written here before (then it is
    replaced). Articles land in ``out_dir/YYYY/MM/`` like the real content.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MARKER).exists():
            raise FileExistsError(f"{out_dir}: not empty and not a generated catalogue; pick another folder")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text(f"n={n} seed={seed}\n", encoding="utf-8")

    rng = random.Random(f"bench-catalogue:{seed}")
    samples = load_samples(source_dir)
    writer = _Writer(samples, rng)

    # Issue sizes first, so the number of issues (and so the dates) follows from n.
    sizes, total = [], 0
    while total < n:
        size = min(rng.randint(*ARTICLES_PER_ISSUE), n - total)
        sizes.append(size)
        total += size
    dates = issue_dates(len(sizes))
    if len(dates) < len(sizes):  # more issues than days: several issues share a day's folder
        dates = [FIRST_ISSUE_DATE + timedelta(days=i) for i in range(len(sizes))]

    paths = []
    for number, (day, size) in enumerate(zip(dates, sizes)):
        issue = FIRST_ISSUE_NUMBER + number
        titles = list(samples.titles)
        folder = out_dir / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        orders = {}
        for index in range(size):
            if rng.random() < ONLINE_ONLY_SHARE:
                text = writer.article(day, titles)
                name = f"{day:%d}-{issue}-online-{index + 1:02d}.md"
            else:
                page = min(4, 1 + index * 4 // size) if size >= 4 else 1 + index % 4
                orders[page] = orders.get(page, 0) + 1
                text = writer.article(day, titles, issue=issue, page=page, order=orders[page])
                name = f"{day:%d}-{issue}-p{page}-{orders[page]:02d}.md"
            if not titles:
                titles = list(samples.titles)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            # A back catalogue is old: each file was last saved on its publication day.
            stamp = datetime.combine(day, datetime_time(6)).timestamp()
            os.utime(path, (stamp, stamp))
            paths.append(path)
    pages = Path(source_dir) / "pages"
    if pages.is_dir():
        shutil.copytree(pages, out_dir / "pages")
    log.info("bench: wrote %s articles over %s issues into %s", len(paths), len(sizes), out_dir)
    return paths


def edit_article(path, stamp="1"):
    """An editor's small change: a sentence added to the body. Returns the added text."""
    path = Path(path)
    added = f"（编者按：本文于第{stamp}次修订时补充了现场情况。）"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + added + "\n"
    path.write_text(text, encoding="utf-8")
    return added


def add_to_latest_issue(paths, stamp="1"):
    """An editor's new article in today's issue: a copy of the newest issue's last article
    under a new headline and slug, on the same page after it. Returns the new file."""
    def head(path):
        text = Path(path).read_text(encoding="utf-8")
        fields = dict(line.split(": ", 1) for line in text.partition("\n\n")[0].splitlines() if ": " in line)
        return fields, text

    printed = [(head(p)[0], p) for p in paths]
    printed = [(fields, p) for fields, p in printed if fields.get("Page") and fields.get("Status") != "draft"]
    latest = max(fields["Date"][:10] for fields, _ in printed)
    fields, source = max(((f, p) for f, p in printed if f["Date"][:10] == latest),
                         key=lambda pair: (int(pair[0]["Page"]), int(pair[0].get("PageOrder", 0))))
    text = head(source)[1]
    order = int(fields.get("PageOrder", 0)) + 1
    lines = []
    for line in text.partition("\n\n")[0].splitlines():
        name = line.split(": ", 1)[0]
        if name == "Title":
            line = f"Title: {fields['Title']}（续{stamp}）"
        elif name == "Slug":
            line = f"Slug: {fields['Slug']}-xu-{stamp}"
        elif name == "PageOrder":
            line = f"PageOrder: {order}"
        lines.append(line)
    target = Path(source).with_name(f"{Path(source).stem}-added-{stamp}.md")
    target.write_text("\n".join(lines) + "\n\n" + text.partition("\n\n")[2], encoding="utf-8")
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    generate_catalogue(args.n, args.out_dir, seed=args.seed)


if __name__ == "__main__":
    main()
