# The two commands a newcomer needs: `make html` (build the sample site) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: html publish rollback deploy serve desk test check check-site bench bench-deploy clean system-deps guide

NODE_STAMP := node_modules/.installed

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# vnu.jar and axe-core for the site checks, decap-cms for the desk; --ignore-scripts:
# vnu-jar's postinstall would download a Java runtime (the machine's Java is used instead),
# and the desk needs only decap-cms's built files (node_modules/decap-cms/dist).
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

## Build the sample site into output/ (warnings shown, errors stop the build).
## node_modules: the page-image viewer (OpenSeadragon) is copied into the site from there.
html: $(STAMP) $(NODE_STAMP)
	$(PY) -m newsroom build

## Check every article, then build with publishconf.py; nothing is published on an error.
publish: $(STAMP) $(NODE_STAMP)
	$(PY) -m newsroom build --publish

## Publish, then upload output/ to object storage (DEPLOY_* in publishconf.py; docs/deploy.md).
## Only changed files go up, assets first and deletes last; `make deploy DEPLOY_ARGS=--dry-run` shows the plan.
DEPLOY_ARGS ?=
deploy: publish
	$(PY) -m newsroom deploy $(DEPLOY_ARGS)

## Serve the previous version of the site again, at once (run again to go forward).
rollback: $(STAMP)
	$(PY) -m newsroom rollback

## Live preview on http://localhost:$(PORT)/ — rebuilds on save and reloads the open page.
## It builds the latest issues plus the files edited in the last hours (seconds, not minutes);
## `make serve PREVIEW_SCOPE=0` previews the whole catalogue. `make html` is always complete.
PREVIEW_SCOPE ?= 1
serve: $(STAMP) $(NODE_STAMP)
	FASTBUILD_PREVIEW=$(PREVIEW_SCOPE) $(PY) -m newsroom.desk.preview --port $(PORT)

## The web desk on http://localhost:$(PORT)/desk/ (Decap CMS), beside the live preview
## on http://localhost:$(PORT)/: forms, check messages in place, preview, history, publish.
desk: $(STAMP) $(NODE_STAMP)
	FASTBUILD_PREVIEW=$(PREVIEW_SCOPE) $(PY) -m newsroom.desk.web --port $(PORT)

## Validate the content files (file:line: problem — fix).
check: $(STAMP)
	$(PY) -m newsroom check content

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
	$(PY) -m pytest -q -n 2 --dist loadfile --durations=8 tests

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
