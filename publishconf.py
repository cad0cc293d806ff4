"""Settings for the published site: the preview settings plus the public address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("NEWSROOM_SITEURL", "")
SITE_PERMALINK_BASE = os.environ.get("NEWSROOM_PERMALINK_BASE", "https://news.example.org")
FEED_DOMAIN = SITE_PERMALINK_BASE
RELATIVE_URLS = False
# A published build does not load Pelican's content cache: every article is read and
# parsed again. It is not a build from nothing: `newsroom build --publish` still skips
# Pelican when the site is up to date (same inputs, same output files as after the last
# --publish build), and the keyword, search-shard and template caches in output.cache/
# still apply (each keyed by what it was computed from). Only the check is always run
# in full for publishing. `make clean` first for a build from nothing.
LOAD_CONTENT_CACHE = False

# --- Deploy: `make deploy` / `python -m newsroom deploy` (docs/deploy.md) -----------------
# Where the site goes: s3://BUCKET or s3://BUCKET/PREFIX on any S3-compatible store.
# Credentials never go here: the deploy reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
# (or AWS_PROFILE) from the environment, whatever the store.
#   Aliyun OSS:   DEPLOY_TARGET = "s3://union-daily"
#                 DEPLOY_ENDPOINT = "https://s3.oss-cn-beijing.aliyuncs.com"; DEPLOY_REGION = "cn-beijing"
#   Tencent COS:  DEPLOY_TARGET = "s3://union-daily-1250000000"
#                 DEPLOY_ENDPOINT = "https://cos.ap-beijing.myqcloud.com"; DEPLOY_REGION = "ap-beijing"
#   AWS S3:       DEPLOY_TARGET = "s3://union-daily"; DEPLOY_ENDPOINT = ""; DEPLOY_REGION = "ap-east-1"
DEPLOY_TARGET = os.environ.get("NEWSROOM_DEPLOY_TARGET", "")
DEPLOY_ENDPOINT = os.environ.get("NEWSROOM_DEPLOY_ENDPOINT", "")
DEPLOY_REGION = os.environ.get("NEWSROOM_DEPLOY_REGION", "")
# "virtual" (bucket in the host name): OSS, COS (which refuses path-style) and S3;
# "path" (bucket in the path): MinIO, SeaweedFS and other self-hosted stores.
DEPLOY_ADDRESSING = os.environ.get("NEWSROOM_DEPLOY_ADDRESSING", "virtual")
# Store text files gzip'd with Content-Encoding: gzip. OSS, COS and S3 serve the header as
# stored; turn it off when a CDN in front compresses by itself (its "smart compression").
DEPLOY_GZIP = True
# Refuse (before changing anything) a deploy that deletes more files than this; --force.
DEPLOY_MAX_DELETES = 256
# Cache-Control by class (newsroom/data/deploy.toml): page, static, immutable.
DEPLOY_CACHE_CONTROL = {}
# Set the bucket's website documents (index.html, 404.html) where the store's API allows.
DEPLOY_WEBSITE = True
# Fingerprinted files the site dropped (an old search index) stay at least this long,
# and one deploy, for pages readers still have open.
DEPLOY_RETIRE_HOURS = 24
DEPLOY_WORKERS = 8
# A running deploy records its progress at least this often (an interrupted one resumes from there).
DEPLOY_CHECKPOINT_SECONDS = 30
