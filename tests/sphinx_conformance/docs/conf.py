"""The conformance tree: every construct the linter must read as MyST does."""

project = "conformance"
root_doc = "index"
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx.ext.intersphinx",
    "sphinx.ext.autosummary",
]
exclude_patterns = ["_build", "_inv", "fragments"]
suppress_warnings = []
numfig = True
myst_heading_anchors = 3
myst_enable_extensions = [
    "attrs_block",
    "attrs_inline",
    "colon_fence",
    "deflist",
    "dollarmath",
    "amsmath",
    "substitution",
]
myst_url_schemes = {
    "http": None,
    "https": None,
    "mailto": None,
    "gh": "https://github.com/{{path}}",
}
myst_ref_domains = ["std", "py", "math"]
myst_substitutions = {"target": "pages/basics-target"}
intersphinx_mapping = {"ext": ("https://ext.example.org/", "_inv/ext.inv")}
autosummary_generate = True
