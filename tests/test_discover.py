"""Discover stage: the docs root, conf.py read statically, Sphinx's exclusions, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import GOOD_PAGE, write_tree

from nemo_docs_lint.discover import DocsRoot, discover, find_docs_root, load_sphinx_conf
from nemo_docs_lint.sphinx_conf import read_sphinx_conf


def _docs(root: Path) -> list[str]:
    return [s.path for s in discover(root, load_sphinx_conf(root)).documents]


# --- the docs root ----------------------------------------------------------------------------


def test_docs_root_of_a_folder_is_its_nearest_conf_py(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/conf.py": "", "docs/guide/a.md": GOOD_PAGE})
    assert find_docs_root([tmp_path / "docs" / "guide"]) == DocsRoot(tmp_path / "docs")
    assert find_docs_root([tmp_path / "docs"]) == DocsRoot(tmp_path / "docs")


def test_docs_root_of_files_is_the_nearest_conf_py(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"docs/conf.py": "", "docs/guide/deep/a.md": GOOD_PAGE, "docs/other/b.md": GOOD_PAGE},
    )
    docs = tmp_path / "docs"
    assert find_docs_root([docs / "guide" / "deep" / "a.md"]).path == docs
    assert find_docs_root([docs / "guide" / "deep" / "a.md", docs / "other" / "b.md"]).path == docs


def test_docs_root_below_a_repository_root_and_from_the_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "docs/conf.py": "", "site/conf.py": ""})
    assert find_docs_root([tmp_path]) == DocsRoot(tmp_path / "docs")
    write_tree(tmp_path, {"copy/doc/conf.py": ""})  # an unpacked copy, without .git
    assert find_docs_root([tmp_path / "copy"]) == DocsRoot(tmp_path / "copy" / "doc")
    assert find_docs_root([tmp_path], configured=tmp_path / "site") == DocsRoot(tmp_path / "site")


def test_docs_root_without_conf_py_is_the_common_folder_with_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes/x/a.md": GOOD_PAGE, "notes/y/b.md": GOOD_PAGE})
    notes = tmp_path / "notes"
    found = find_docs_root([notes / "x" / "a.md", notes / "y" / "b.md"], cwd=tmp_path)
    assert found.path == notes
    assert found.warning is not None and found.warning.startswith("no conf.py in notes ")
    assert find_docs_root([notes / "x" / "a.md"]).path == notes / "x"


# --- conf.py is parsed, never executed --------------------------------------------------------


def test_conf_py_is_never_executed(tmp_path: Path, cli) -> None:
    marker = tmp_path / "executed"
    write_tree(
        tmp_path,
        {
            "docs/conf.py": (
                f"open({str(marker)!r}, 'w').write('ran')\n"
                "import sys\n"
                "sys.exit(3)\n"
                "raise SystemExit(4)\n"
                "exclude_patterns = ['drafts']\n"
            ),
            "docs/index.md": GOOD_PAGE,
            "docs/drafts/wip.md": "# WIP\n",
        },
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    assert not marker.exists()
    assert result.exit_code == 0
    assert result.json["diagnostics"] == []  # drafts/ excluded: the literal after sys.exit counts


def test_literal_settings_are_read(tmp_path: Path) -> None:
    conf = (
        write_tree(
            tmp_path,
            {
                "conf.py": (
                    "import os\n"
                    "root_doc = 'start'\n"
                    "source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}\n"
                    "myst_heading_anchors: int = 3\n"
                    "myst_enable_extensions = ['colon_fence', 'deflist']\n"
                    "suppress_warnings = ('toc.not_included',)\n"
                    "if True:\n"
                    "    exclude_patterns = ['_build']\n"
                    "try:\n"
                    "    html_static_path = ['_static']\n"
                    "except ImportError:\n"
                    "    pass\n"
                    "def setup(app):\n"
                    "    templates_path = ['ignored-inside-a-function']\n"
                )
            },
        )
        / "conf.py"
    )
    sphinx = read_sphinx_conf(conf)
    assert sphinx.root_doc == "start"
    assert sphinx.source_suffixes == (".rst", ".md")
    assert sphinx.heading_anchor_depth == 3
    assert sphinx.string_list("myst_enable_extensions") == ("colon_fence", "deflist")
    assert sphinx.string_list("suppress_warnings") == ("toc.not_included",)
    assert sphinx.string_list("exclude_patterns") == ("_build",)
    assert sphinx.string_list("html_static_path") == ("_static",)
    assert sphinx.string_list("templates_path") == ()
    assert sphinx.notes == ()


def test_master_doc_is_the_old_name_of_root_doc(tmp_path: Path) -> None:
    conf = write_tree(tmp_path, {"conf.py": "master_doc = 'contents'\n"}) / "conf.py"
    assert read_sphinx_conf(conf).root_doc == "contents"
    assert read_sphinx_conf(write_tree(tmp_path, {"conf.py": ""}) / "conf.py").root_doc == "index"


def test_computed_values_are_ignored_with_a_note_in_verbose(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "docs/conf.py": (
                "import os\n"
                "exclude_patterns = ['_build'] + os.environ.get('X', '').split()\n"
                "myst_heading_anchors = int('3')\n"
            ),
            "docs/index.md": GOOD_PAGE,
        },
    )
    sphinx = read_sphinx_conf(tmp_path / "docs" / "conf.py")
    assert sphinx.values == {}
    result = cli("docs", "--select", "FM", "--verbose")
    assert result.exit_code == 0
    assert "conf.py:2: `exclude_patterns` is computed, not a literal; ignored" in result.stderr
    assert "conf.py:3: `myst_heading_anchors` is computed, not a literal; ignored" in result.stderr


def test_conf_py_with_a_syntax_error_falls_back_to_defaults(tmp_path: Path, cli) -> None:
    write_tree(tmp_path, {"docs/conf.py": "exclude_patterns = [\n", "docs/index.md": GOOD_PAGE})
    result = cli("docs", "--select", "FM", "--verbose")
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr
    assert "Sphinx defaults used" in result.stderr


# --- which files are documents -----------------------------------------------------------------


def test_exclude_patterns_follow_sphinx_glob_semantics(tmp_path: Path) -> None:
    files = [
        "index.md",
        "one/a.md",
        "one/sub/b.md",
        "two/a.md",
        "two/sub/b.md",
        "old/x.md",
        "old/deep/y.md",
        "secret.md",
        "n/secret.md",
        "keep/secret.md.bak",
        "_build/html/z.md",
    ]
    conf = "exclude_patterns = ['_build', 'one/*.md', 'two/**.md', 'old', '**/secret.md']\n"
    write_tree(tmp_path, {"conf.py": conf, **{f: GOOD_PAGE for f in files}})
    assert _docs(tmp_path) == [
        "index.md",  # `*` does not cross folders: one/sub/b.md stays
        "one/sub/b.md",
        "secret.md",  # as in Sphinx, `**/secret.md` needs at least one folder
    ]


def test_a_pattern_matching_a_folder_excludes_everything_inside(tmp_path: Path) -> None:
    conf = "exclude_patterns = ['guides/*', 'api/**']\n"
    write_tree(
        tmp_path,
        {
            "conf.py": conf,
            "guides/a.md": "",
            "guides/deep/er/b.md": "",  # `guides/deep` matches `guides/*`: the folder is pruned
            "api/x/y.md": "",
            "apis/keep.md": "",
        },
    )
    assert _docs(tmp_path) == ["apis/keep.md"]


def test_template_static_and_extra_paths_are_not_documents(tmp_path: Path) -> None:
    conf = (
        "templates_path = ['_templates']\n"
        "html_static_path = ['_static/']\n"
        "html_extra_path = ['extra', 'robots.md']\n"
    )
    write_tree(
        tmp_path,
        {
            "conf.py": conf,
            "index.md": "",
            "_templates/layout.rst": "",
            "_static/readme.md": "",
            "extra/page.md": "",
            "robots.md": "",
            "sub/_templates/kept.md": "",  # patterns are relative to the docs root
        },
    )
    assert _docs(tmp_path) == ["index.md", "sub/_templates/kept.md"]


def test_source_suffixes_from_conf_py(tmp_path: Path) -> None:
    files = {"a.md": "", "b.rst": "", "c.txt": "", "d.markdown": ""}
    write_tree(tmp_path, {"conf.py": "", **files})
    assert _docs(tmp_path) == ["a.md", "b.rst"]
    write_tree(tmp_path, {"conf.py": "source_suffix = ['.md', '.txt']\n"})
    assert _docs(tmp_path) == ["a.md", "c.txt"]


def test_config_exclude_adds_to_conf_py(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "", "drafts/b.md": "", "x/drafts/c.md": ""})
    found = discover(tmp_path, load_sphinx_conf(tmp_path), exclude=["**/drafts"])
    assert [s.path for s in found.documents] == ["a.md"]  # our own globs: `**/` may be empty


def test_duplicate_docnames_md_wins(tmp_path: Path, cli) -> None:
    write_tree(
        tmp_path,
        {
            "docs/conf.py": "",
            "docs/api-docs/index.rst": "API\n===\n",
            "docs/api-docs/index.md": GOOD_PAGE,
            "docs/index.md": GOOD_PAGE,
        },
    )
    found = discover(tmp_path / "docs", load_sphinx_conf(tmp_path / "docs"))
    assert [(s.docname, s.path) for s in found.documents] == [
        ("api-docs/index", "api-docs/index.md"),
        ("index", "index.md"),
    ]
    assert found.duplicate_sources == (("api-docs/index.rst", "api-docs/index.md"),)
    result = cli("docs", "--select", "NDL", "--format", "json")
    [diagnostic] = result.json["diagnostics"]
    assert (diagnostic["path"], diagnostic["code"], diagnostic["severity"]) == (
        "docs/api-docs/index.rst",
        "NDL002",
        "warning",
    )
    assert diagnostic["message"] == (
        "`api-docs/index.rst` and `api-docs/index.md` are the same document; "
        "Sphinx builds `api-docs/index.md` and ignores this file"
    )
    assert result.exit_code == 0  # a warning does not fail by default


@pytest.mark.parametrize("name", ["a.md", "x/b.md"])
def test_rst_documents_take_part_without_frontmatter_rules(tmp_path: Path, cli, name) -> None:
    write_tree(
        tmp_path, {"docs/conf.py": "", "docs/page.rst": "Title\n=====\n", f"docs/{name}": GOOD_PAGE}
    )
    result = cli("docs", "--select", "FM", "--format", "json")
    assert result.json["diagnostics"] == []
    assert result.json["files_checked"] == 2


def test_a_folder_behind_two_symlinks_is_walked_twice_but_a_loop_once(tmp_path: Path) -> None:
    """As Sphinx (os.walk following links): two links to one folder give two documents each."""
    docs = write_tree(tmp_path / "docs", {"conf.py": "", "shared/page.md": GOOD_PAGE})
    (docs / "a").symlink_to("shared", target_is_directory=True)
    (docs / "shared" / "back").symlink_to("..", target_is_directory=True)
    found = discover(docs, load_sphinx_conf(docs))
    assert [d.docname for d in found.documents] == ["a/page", "shared/page"]
    assert sorted(found.loops) == ["a/back", "shared/back"]


def test_myst_settings_read_from_conf_py(tmp_path: Path) -> None:
    conf = (
        write_tree(
            tmp_path,
            {
                "conf.py": (
                    "extensions = ['myst_parser', 'autodoc2', 'autoapi.extension',"
                    " 'sphinx.ext.apidoc']\n"
                    "apidoc_modules = [{'path': '../src/pkg', 'destination': 'api/pkg/'}, 3]\n"
                    "autoapi_root = 'reference/api'\n"
                    "myst_url_schemes = {'http': None, 'https': None, 'gh': 'https://x/{{path}}'}\n"
                    "myst_ref_domains = ['std', 'py:class']\n"
                    "myst_all_links_external = True\n"
                    "intersphinx_mapping = {\n"
                    "    'python': ('https://docs.python.org/3', None),\n"
                    "    'local': ('https://l.example/', ('_inv/l.inv', None)),\n"
                    "    'broken': 'not a tuple',\n"
                    "}\n"
                )
            },
        )
        / "conf.py"
    )
    sphinx = read_sphinx_conf(conf)
    assert sphinx.generated_dirs == ("apidocs", "reference/api", "api/pkg")  # autodoc2's default
    assert sphinx.url_schemes == frozenset({"http", "https", "gh"})
    assert sphinx.ref_domains == frozenset({"std", "py"})
    assert sphinx.all_links_external is True
    assert sphinx.intersphinx == {
        "python": ("https://docs.python.org/3", ("",)),
        "local": ("https://l.example/", ("_inv/l.inv", "")),
    }
    defaults = read_sphinx_conf(write_tree(tmp_path / "d", {"conf.py": ""}) / "conf.py")
    assert defaults.url_schemes == frozenset({"http", "https", "mailto", "ftp"})
    assert defaults.ref_domains is None and defaults.intersphinx == {}
    assert defaults.generated_dirs == ()


@pytest.mark.parametrize(
    ("value", "slugger", "noted"),
    [
        ("'docutils'", "docutils", False),
        ("'myst_parser.slugs.gitlab_slugify'", "gitlab", False),
        ("'github'", "github", False),
        ("'my_project.slugs.custom'", "github", True),
    ],
)
def test_heading_slug_func_presets(tmp_path: Path, value: str, slugger: str, noted: bool) -> None:
    conf = write_tree(tmp_path, {"conf.py": f"myst_heading_slug_func = {value}\n"}) / "conf.py"
    sphinx = read_sphinx_conf(conf)
    assert sphinx.heading_slugger == slugger
    assert bool(sphinx.notes) is noted
