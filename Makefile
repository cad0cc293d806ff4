# The two commands a newcomer needs: `make html` (build the sample site) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: html publish rollback deploy schedule serve desk test check check-site bench bench-deploy clean system-deps guide

NODE_STAMP := node_modules/.installed

# The editors' commands say what went wrong themselves, in Chinese (or English on
# NEWSROOM_LANG=en), and make must not add its own English line to that
# (`make: *** [Makefile:29: publish] Error 1`). When such a command fails, FAILS_QUIETLY
# ends make with SIGPIPE, which make does not catch and shells do not report; scripts and
# CI still see the failure (exit status 141). Inside another make (MAKELEVEL > 1), or where
# SIGPIPE is ignored, make reports the failure as usual (exit status 2).
FAILS_QUIETLY = || { status=$$?; [ "$$MAKELEVEL" = 1 ] && kill -PIPE $$PPID; exit $$status; }
# Ctrl+C stops a long-running command (the preview, the scheduler), which says so itself;
# the recipe's shell survives the interrupt so that make does not add `*** [serve] Interrupt`.
STOPS_QUIETLY = trap : INT;
# Extra options for `newsroom build` (e.g. BUILD_ARGS="--content other/ --output site/").
BUILD_ARGS ?=

# The first run installs what the site needs, saying so in the editors' language (the
# first `make desk` of an editor who never opened a terminal): pip and npm speak only when
# something fails.
$(STAMP): requirements.txt
	@echo "第一次运行（或 requirements.txt 有了变化）：正在安装 Python 程序包（版本固定在 requirements.txt 里），要几分钟……"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

# vnu.jar and axe-core for the site checks, decap-cms for the desk; --ignore-scripts:
# vnu-jar's postinstall would download a Java runtime (the machine's Java is used instead),
# and the desk needs only decap-cms's built files (node_modules/decap-cms/dist). .npmrc
# says why peers are not installed (no ERESOLVE warnings); npm's summary line goes, its
# errors stay.
$(NODE_STAMP): package.json package-lock.json .npmrc
	@echo "正在安装编辑台和网站检查用的 Node 程序包（Decap CMS 等，版本固定在 package-lock.json 里），要一两分钟……"
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
	@touch $(NODE_STAMP)

## Build the sample site into output/ (warnings shown, errors stop the build).
## node_modules: the page-image viewer (OpenSeadragon) is copied into the site from there.
html: $(STAMP) $(NODE_STAMP)
	@$(PY) -m newsroom build $(BUILD_ARGS) $(FAILS_QUIETLY)

## Check every article, then build with publishconf.py; nothing is published on an error.
## Drafts and articles whose Date is still in the future are left out (and listed).
publish: $(STAMP) $(NODE_STAMP)
	@$(PY) -m newsroom build --publish $(THEN_DEPLOY) $(BUILD_ARGS) $(FAILS_QUIETLY)

## Publish, then upload output/ to object storage (DEPLOY_* in publishconf.py; docs/deploy.md).
## Only changed files go up, assets first and deletes last; `make deploy DEPLOY_ARGS=--dry-run` shows the plan.
DEPLOY_ARGS ?=
deploy: THEN_DEPLOY := --then-deploy
deploy: publish
	@$(PY) -m newsroom deploy $(DEPLOY_ARGS) $(FAILS_QUIETLY)

## Publish (and deploy) each article at its Date, Beijing time, and catch up after a stop;
## runs until Ctrl+C. docs/scheduling.md has the systemd service or timer that runs it unattended.
SCHEDULE_ARGS ?=
schedule: $(STAMP) $(NODE_STAMP)
	@$(STOPS_QUIETLY) $(PY) -m newsroom schedule $(SCHEDULE_ARGS) $(FAILS_QUIETLY)

## Serve the previous version of the site again, at once (run again to go forward).
rollback: $(STAMP)
	@$(PY) -m newsroom rollback $(FAILS_QUIETLY)

## Live preview on http://localhost:$(PORT)/ — rebuilds on save and reloads the open page.
## It builds the latest issues plus the files edited in the last hours (seconds, not minutes);
## `make serve PREVIEW_SCOPE=0` previews the whole catalogue. `make html` is always complete.
PREVIEW_SCOPE ?= 1
serve: $(STAMP) $(NODE_STAMP)
	@$(STOPS_QUIETLY) FASTBUILD_PREVIEW=$(PREVIEW_SCOPE) $(PY) -m newsroom.desk.preview --port $(PORT) $(FAILS_QUIETLY)

## The web desk on http://localhost:$(PORT)/desk/ (Decap CMS), beside the live preview
## on http://localhost:$(PORT)/: forms, check messages in place, preview, history, publish.
## While it runs it publishes articles held for later at their time (`make desk SCHEDULE=0`
## leaves that to a scheduler service, docs/scheduling.md).
SCHEDULE ?= 1
desk: $(STAMP) $(NODE_STAMP)
	@$(STOPS_QUIETLY) FASTBUILD_PREVIEW=$(PREVIEW_SCOPE) $(PY) -m newsroom.desk.web --port $(PORT) $(if $(filter 0,$(SCHEDULE)),--no-schedule) $(FAILS_QUIETLY)

## Validate the content files (file:line: problem — fix).
check: $(STAMP)
	@$(PY) -m newsroom check content $(FAILS_QUIETLY)

## Write the editor's guide's table of messages (docs/editor-guide.zh.md) from newsroom/data/messages/.
guide: $(STAMP)
	$(PY) -m newsroom.desk.guide

## System packages the browser tests, site checks and the page import need (Debian):
## libgl1 and libglib2.0-0 for OpenCV, which RapidOCR uses; fonts-noto-cjk for the test pages too.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=""; \
	  for p in chromium fonts-noto-cjk default-jre-headless libgl1 libglib2.0-0; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	fi

## Quality gates on output/: links, feeds, CSP, HTML validity, accessibility (page by page).
check-site: html $(NODE_STAMP) system-deps
	$(PY) -m sitecheck output

## Run the test suite, site checks included (installs what it needs first).
test: $(STAMP) $(NODE_STAMP) system-deps
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder --durations=8 tests

clean:
	rm -rf output output.sites output.staging output.old output.cache output.preview output.preview.cache cache

## Benchmark our build against vanilla Pelican on a synthetic catalogue; writes docs/performance.md.
## `make bench BENCH_N="1000 5000 20000"` for the full back-catalogue size (takes long).
BENCH_N ?= 1000 5000
bench: $(STAMP)
	$(PY) -m bench.run $(foreach n,$(BENCH_N),--n $(n))

## Deploy figures: the generated catalogue, built and deployed to a local SeaweedFS (full
## deploy, unchanged, one edit); writes bench/deploy_results.json and docs/deploy.md.
BENCH_DEPLOY_N ?= 20000
bench-deploy: $(STAMP)
	$(PY) -m bench.deploy_bench --n $(BENCH_DEPLOY_N)
