"""Sphinx configuration of the bargaincheck documentation (MyST Markdown)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "bargaincheck"
author = "the bargaincheck authors"
copyright = "the bargaincheck authors"

extensions = ["myst_parser", "sphinx.ext.autodoc", "clireference"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
smartquotes = False  # keep "--option" as typed in generated text
exclude_patterns = ["_build"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "alabaster"
html_title = "bargaincheck"
# Pages are rebuilt from their sources; nothing is fetched from outside.
html_static_path: list[str] = []
