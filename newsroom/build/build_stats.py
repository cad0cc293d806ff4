"""A plugin's figures for one build, written beside the caches (``<CACHE_PATH>/<name>.json``)
for the benchmarks and the editor's log: a folder that cannot be written is a warning,
never a failed build."""

import json
import logging
import os

from newsroom import messages

logger = logging.getLogger(__name__)


def write(cache_path, file_name, stats):
    path = os.path.join(cache_path, file_name)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(stats, handle, indent=1, sort_keys=True)
    except OSError as error:
        logger.warning("%s", messages.text("build.cache_unwritable", path=path, reason=messages.os_error(error)))
