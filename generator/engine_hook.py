"""MkDocs hooks of the shard configurations that shards.py writes (MkDocs loads this file by its path, on its own:
it imports nothing from the generator).

- Templates are compiled once. Every engine run compiled Material's templates again, a fifth of a run that
  draws a few pages; Jinja keeps them compiled in the folder named in gk-engine.json beside the configuration
  (a template whose source changed is compiled again: Jinja compares checksums).
- A page whose template is UNUSED is drawn as nothing and not written. A patch (shards._build_patch) stages the
  navigation pages it does not draw as stand-ins with that template: they are there only so that the engine
  can draw the nav, and their HTML is not taken.
"""
from __future__ import annotations

import json
import os
import sys

import jinja2

SETTINGS = "gk-engine.json"
UNUSED = "gk-unused.html"
_templates: list[str] = []


def on_config(config):
    _templates.clear()
    path = os.path.join(os.path.dirname(config.config_file_path), SETTINGS)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            folder = json.load(f).get("templates")
        if folder:
            # Compiled code follows the Jinja and Python versions: each pair has a folder of its own.
            version = f"jinja-{jinja2.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
            _templates.append(os.path.join(os.path.dirname(config.config_file_path), folder, version))
    return config


def on_env(env, config, files):
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({UNUSED: ""}), env.loader])
    if _templates:
        os.makedirs(_templates[0], exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(_templates[0])
    return env
