"""Shared by the desk's tests: a small newsroom in a git repository, the desk's server on
a free loopback port, and a client that speaks to it as the desk's page does."""

import contextlib
import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
# Three sample articles (one a draft with a byline builder's form, one with a correction)
# and the about page: enough for lists, groups and a preview build in seconds.
SAMPLE = [
    "2024/01/mentougou-songwennuan-ruhu-zoufang.md",
    "2024/05/miaofengshan-zhigongzhijia-xiufu-kaifang.md",
    "2024/05/miyun-zhigong-lanqiu-liansai.md",
    "pages/about.md",
]


def photo_bytes(width=1200, height=800):
    """A real JPEG, as a camera would give it (a gradient)."""
    from io import BytesIO

    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def make_newsroom(folder, files=SAMPLE):
    """``folder/repo`` with ``content/`` holding ``files`` from the sample, committed."""
    repo = Path(folder) / "repo"
    for name in files:
        target = repo / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "content" / name, target)
        for photo in (ROOT / "content" / name).parent.glob(f"{Path(name).stem}-*"):  # its photos
            shutil.copyfile(photo, target.parent / photo.name)
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=sample", "-c", "user.email=sample@example.org", "commit", "-qm", "sample")
    return repo


@contextlib.contextmanager
def desk_server(folder, repo, build=False, publish_commands=None, schedule_clock=None):
    """The desk (and the preview beside it) on 127.0.0.1, a free port; yields ``(base URL, desk)``.

    With ``build`` the preview builds the site first and rebuilds after each save, as
    ``make desk`` does; without it only the desk's own routes are of use. With
    ``schedule_clock`` (a :class:`newsroom.desk.schedule.Clock`) the desk's scheduler runs
    on that clock, publishing into ``folder/published`` as the publish button does."""
    from newsroom.desk.preview import Preview, make_server
    from newsroom.desk.web.history import History
    from newsroom.desk.web.publish import Publisher
    from newsroom.desk.web.server import Desk, DeskHandler

    content = repo / "content"
    log = open(Path(folder) / "desk.log", "w", encoding="utf-8")
    preview = Preview(content, Path(folder) / "output", ROOT / "pelicanconf.py", out=log,
                      watch_paths=[content], cache=Path(folder) / "cache")
    commands = publish_commands or [[sys.executable, "-m", "newsroom", "build", "--publish", "--content",
                                     str(content), "--output", str(Path(folder) / "published")]]
    publisher = Publisher(commands, ROOT)
    schedule = None
    if schedule_clock is not None:
        from newsroom.desk.web.scheduled import DeskSchedule

        schedule = DeskSchedule(content, Path(folder) / "published", publisher, schedule_clock, echo=log)
    desk = Desk(content, preview, History.find(content), publisher, schedule=schedule)
    server = make_server(preview, "127.0.0.1", 0, handler=partial(DeskHandler, desk=desk))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    watcher = None
    try:
        if schedule is not None:
            schedule.start()
        if build:
            assert preview.rebuild(), (Path(folder) / "desk.log").read_text(encoding="utf-8")
            watcher = threading.Thread(target=preview.watch, kwargs={"stop_event": stop}, daemon=True)
            watcher.start()
        yield f"http://localhost:{server.server_address[1]}", desk
    finally:
        stop.set()
        if schedule is not None:
            schedule.stop()
        server.shutdown()
        server.server_close()
        if watcher is not None:
            watcher.join(timeout=10)
        preview.close()
        log.close()


class Client:
    """Requests as the desk's page sends them: same Host and Origin, JSON, the editor's cookie."""

    def __init__(self, base, editor=None):
        self.base = base
        self.editor = editor

    def request(self, method, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode("utf-8") if body is not None else None)
        sent = {"Origin": self.base}
        if data is not None:
            sent["Content-Type"] = "application/json"
        if self.editor:
            sent["Cookie"] = "newsroom_desk_editor=" + quote(self.editor)
        sent.update(headers or {})
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={k: v for k, v in sent.items() if v is not None})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def json(self, method, path, body=None, **kwargs):
        status, headers, data = self.request(method, path, body, **kwargs)
        return status, json.loads(data.decode("utf-8")) if data else None

    def action(self, action, **params):
        return self.json("POST", "/desk/api/v1", {"action": action, "params": {"branch": "main", **params}})


class MovableClock:
    """The scheduler's clock for a test: the real clock moved on by ``offset`` (set by the
    test: "it is tomorrow 06:01 now"); its sleep is short, so that a move is seen at once."""

    def __init__(self):
        from datetime import timedelta

        self.offset = timedelta(0)

    def now(self):
        from datetime import datetime

        from newsroom.paper.release import BEIJING

        return datetime.now(BEIJING) + self.offset

    def sleep(self, seconds, stop):
        stop.wait(min(max(0.0, seconds), 0.3))
