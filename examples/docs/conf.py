# Sphinx configuration of the nemo-docs-lint example tree (read with `ast`, never executed).
project = "Example RL Docs"
extensions = ["myst_parser", "sphinx_design"]
root_doc = "index"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["toc.not_included"]
