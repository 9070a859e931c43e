"""Fuzz the linter over whole random trees: pages, links, moved pages, symlinks, caches, configs.

    python benchmarks/fuzz_trees.py [--minutes 10] [--trees N] [--seed S] [--keep DIR]

Each tree is a repository (`.git`) with `docs/` (a conf.py with random settings, 3-25 pages in
nested folders: frontmatter good and bad, headings, labels, links right and wrong, links to
pages "moved" into another folder, anchors, `{ref}`/`{doc}` roles, toctrees and globs,
suppressions, CRLF and BOM), sometimes a `.nemo-docs-lint.toml`, and random hazards: folder and
file symlinks inside and outside the repository, loops, a symlink to `/`, hard links, a named
pipe, a Latin-1 page, a file name that is not UTF-8. Every CLI run is a real process with a
timeout. Checked on every tree:

- no traceback, no hang (timeout per run), exit status 0, 1 or 2;
- `--no-cache` = a cold cache = a warm cache = a warm cache after corrupting its files
  (truncated, a flipped byte, a named pipe or a folder in place of a file), and again after
  moving a page to another folder;
- reports written to a file with the repository dated well before now (so the tree stamp is
  taken and serves), before and after the move: each = the `--no-cache` report;
- pre-commit mode (a random subset of files named): the whole-tree run's findings in those
  files, and otherwise only whole-tree findings (those elsewhere about the named files);
- SARIF validates against the 2.1.0 schema;
- `--fix`: every file not named by a "fixed" line is byte-identical, each fixed file equals its
  original with exactly the reported edits applied, symlinks stay symlinks, hard links stay
  linked, modes stay; a second `--fix` changes nothing.

Failures are printed with their tree's seed (`--keep DIR` writes each failing tree there again,
as generated); the exit status is 1 when any was found. `tests/test_fuzz_smoke.py` runs a few
trees of this in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-2.1.0.json"
TIMEOUT = 60.0

GOOD_FM = (
    '---\ndescription: "Train a model on one node."\ncategories: ["training"]\n'
    'tags: ["grpo", "training"]\npersonas: ["mle-focused"]\ndifficulty: "intermediate"\n'
    'content_type: "tutorial"\nmodality: "text-only"\n---\n'
)
BAD_FM = [
    "---\ndescription: [unclosed\n---\n",
    "---\ndifficulty: expert\ntags: a, b\n---\n",
    "---\n- a list\n---\n",
    "---\ndescription: x\n",  # never closed
    "---\nkey: value\nkey: again\n---\n",
]
GLOBS = ["drafts/**", "*.tmp", "**/skip*", "[ab]*.md", "a*" * 12 + "x", "?", "**/[!x]y/*"]


@dataclass
class Counts:
    trees: int = 0
    runs: int = 0
    stamped: int = 0  # trees whose runs to a file took a tree stamp (`tree_stamp`)
    failures: list[str] = field(default_factory=list)


class Failure(Exception):
    pass


# --- generating a tree ------------------------------------------------------------------------


def make_tree(root: Path, rng: random.Random) -> dict:
    """Write a random repository at root; return what the checks need to know."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / ".git").mkdir()
    folders = ["", "guide", "guide/deep", "about", "api", "drafts"]
    pages: list[str] = ["index.md"]
    for i in range(rng.randint(3, 25)):
        folder = rng.choice(folders)
        name = rng.choice(["page", "setup", "intro", "cluster", f"p{i}"]) + f"{i % 7}.md"
        pages.append(f"{folder}/{name}".lstrip("/"))
    pages = sorted(set(pages))
    conf = [f"myst_heading_anchors = {rng.randint(0, 3)}"]
    if rng.random() < 0.4:
        conf.append(f"exclude_patterns = {rng.sample(GLOBS, rng.randint(1, 2))!r}")
    if rng.random() < 0.1:
        conf.append("root_doc = 'about/index'")
    (docs / "conf.py").write_text("\n".join(conf) + "\n")
    labels = [f"label-{i}" for i in range(rng.randint(0, 8))]
    for path in pages:
        text = page_text(path, pages, labels, rng)
        data = text.encode("utf-8")
        if rng.random() < 0.15:
            data = data.replace(b"\n", b"\r\n")
        if rng.random() < 0.1:
            data = b"\xef\xbb\xbf" + data
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if rng.random() < 0.1:
            target.chmod(0o640)
    hazards(root, docs, pages, rng)
    if rng.random() < 0.4:
        config = []
        if rng.random() < 0.5:
            config.append(f"exclude = {rng.sample(GLOBS, 1)!r}")
        if rng.random() < 0.5:
            config.append(f'[per-file-ignores]\n"{rng.choice(GLOBS)}" = ["FM", "TOC002"]')
        if rng.random() < 0.1:
            config = ['exclude = ["[z-a]"]']  # a usage error: every run must say so alike
        (root / ".nemo-docs-lint.toml").write_text("\n".join(config) + "\n")
    return {"pages": pages}


def page_text(path: str, pages: list[str], labels: list[str], rng: random.Random) -> str:
    folder = os.path.dirname(path)
    out = []
    roll = rng.random()
    out.append(GOOD_FM if roll < 0.6 else rng.choice(BAD_FM) if roll < 0.8 else "")
    out.append(f"# Title of {path}\n\n")
    for label in rng.sample(labels, min(len(labels), rng.randint(0, 2))):
        out.append(f"({label})=\n")
    for j in range(rng.randint(0, 4)):
        out.append(f"## Section {j} é\n\nText with `code [x](y.md)` and **bold**.\n\n")
    for _ in range(rng.randint(0, 8)):
        out.append(link(folder, pages, labels, rng) + "\n\n")
    if rng.random() < 0.5:
        entries = rng.sample(pages, min(len(pages), rng.randint(1, 4)))
        lines = [os.path.relpath(os.path.splitext(e)[0], folder or ".") for e in entries]
        glob = ":glob:\n" if rng.random() < 0.3 else ""
        if glob:
            lines.append(rng.choice(["*", "guide/*", "**", "[z-a]", "a*a*a*a*x"]))
        out.append("```{toctree}\n" + glob + "\n".join(lines) + "\n```\n\n")
    if rng.random() < 0.2:
        out.append("<!-- nemo-docs-lint: disable-next-line LNK001 -->\n[s](gone.md)\n\n")
    if rng.random() < 0.1:
        out.append("```\n[in code](gone.md)\n```\n\n")
    if rng.random() < 0.05:  # nested brackets: linear time however deep
        depth = rng.randint(2, 300)
        out.append("[" * depth + "x" + "]" * depth + "(y.md)\n\n")
    return "".join(out)


def link(folder: str, pages: list[str], labels: list[str], rng: random.Random) -> str:
    target = rng.choice(pages)
    rel = os.path.relpath(target, folder or ".")
    kind = rng.random()
    if kind < 0.3:
        dest = rel  # right
    elif kind < 0.55:
        dest = os.path.basename(target)  # the page moved: a unique candidate elsewhere, maybe
    elif kind < 0.65:
        dest = "missing-page.md"
    elif kind < 0.75:
        dest = f"{rel}#section-{rng.randint(0, 5)}"
    elif kind < 0.85:
        return f"{{ref}}`{rng.choice([*labels, 'nolabel'])}`"
    elif kind < 0.9:
        return f"{{doc}}`{os.path.splitext(os.path.basename(target))[0]}`"
    elif kind < 0.95:
        return f"![img](img-{rng.randint(0, 2)}.png)"
    else:
        dest = f"/{os.path.splitext(target)[0]}"
    return f"[text]({dest})"


def hazards(root: Path, docs: Path, pages: list[str], rng: random.Random) -> None:
    if rng.random() < 0.3 and (docs / "guide").is_dir():
        alias = docs / rng.choice(["alias", "api/alias"])
        alias.parent.mkdir(exist_ok=True)
        if not alias.exists():
            target = os.path.relpath(docs / "guide", alias.parent)
            alias.symlink_to(target, target_is_directory=True)
    if rng.random() < 0.2:
        shared = root / "shared"
        shared.mkdir(exist_ok=True)
        (shared / "real.md").write_text("# Shared\n\n[x](setup1.md)\n")
        (docs / "shared-page.md").symlink_to("../shared/real.md")
    if rng.random() < 0.15:
        outside = root.parent / f"{root.name}-outside.md"
        outside.write_text("# Outside\n\n[x](cluster2.md)\n")
        (docs / "outside.md").symlink_to(outside)
    if rng.random() < 0.1:
        (docs / "loop").symlink_to(".", target_is_directory=True)
    if rng.random() < 0.05:
        (docs / "everything").symlink_to("/", target_is_directory=True)
    if rng.random() < 0.2:
        page = docs / rng.choice(pages)
        os.link(page, root / f"twin-{rng.randint(0, 99)}.md")
    if rng.random() < 0.05:
        os.mkfifo(docs / "pipe.md")
    if rng.random() < 0.05:
        (docs / "latin.md").write_bytes(b"# Caf\xe9\n")
    if rng.random() < 0.05:
        with open(os.fsencode(docs) + b"/caf\xe9.md", "wb") as handle:
            handle.write(b"# Cafe\n\n[x](nowhere.md)\n")


# --- running and checking ---------------------------------------------------------------------


def run(root: Path, counts: Counts, *args: str) -> subprocess.CompletedProcess[bytes]:
    counts.runs += 1
    env = dict(os.environ, NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "nemo_docs_lint", *args],
            cwd=root,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        raise Failure(f"hang: {' '.join(args)} ran over {TIMEOUT:g} s") from exc
    if b"Traceback" in proc.stderr or proc.returncode not in (0, 1, 2):
        tail = proc.stderr.decode(errors="replace")[-1500:]
        raise Failure(f"crash ({proc.returncode}): {' '.join(args)}\n{tail}")
    return proc


def diagnostics(proc: subprocess.CompletedProcess[bytes]) -> tuple[int, object]:
    if proc.returncode == 2:
        return 2, proc.stderr.decode("utf-8", "replace")
    try:
        document = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Failure(f"JSON output is not valid: {exc}") from exc
    rows = sorted(
        (d["path"], d["code"], d["line"], d["column"], d["end_line"], d["end_column"], d["message"])
        for d in document["diagnostics"]
    )
    return proc.returncode, rows


def corrupt_caches(root: Path, rng: random.Random) -> None:
    for cache in root.rglob(".nemo-docs-lint-cache/*/*.bin"):
        how = rng.choice(["truncate", "flip", "fifo", "folder", "keep"])
        if how == "truncate":
            data = cache.read_bytes()
            cache.write_bytes(data[: rng.randrange(max(1, len(data)))])
        elif how == "flip":
            data = bytearray(cache.read_bytes())
            if data:
                data[rng.randrange(len(data))] ^= 0xFF
            cache.write_bytes(bytes(data))
        elif how == "fifo":
            cache.unlink()
            os.mkfifo(cache)
        elif how == "folder":
            cache.unlink()
            cache.mkdir()


def snapshot(root: Path) -> dict[bytes, tuple]:
    """Every entry under root (not the caches): kind, target or bytes, inode, mode, links."""
    found = {}
    base = os.fsencode(root)
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if d != b".nemo-docs-lint-cache"]
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, base)
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    data = handle.read()
                found[rel] = ("file", data, info.st_ino, info.st_mode, info.st_nlink, info.st_uid)
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", info.st_mode)
            else:
                found[rel] = ("other", stat.S_IFMT(info.st_mode))
    return found


_FIXED = re.compile(r"^nemo-docs-lint: fixed (.+):(\d+):(\d+) [A-Z]+\d+: `(.*)` -> `(.*)`$")
_BREAK = re.compile(rb"\r\n|\r|\n")


def check_fix(root: Path, counts: Counts) -> None:
    before = snapshot(root)
    proc = run(root, counts, "docs", "--fix", "--no-cache", "--format", "json")
    after = snapshot(root)
    edits: dict[int, list[tuple[int, int, str, str]]] = {}  # by inode: hard links share
    for line in proc.stderr.decode("utf-8", "surrogateescape").splitlines():
        match = _FIXED.match(line)
        if match:
            path, number, column, old, new = match.groups()
            named = root / path if path.startswith("docs/") else root / "docs" / path
            real = os.path.relpath(os.path.realpath(named), root)
            inode = before[os.fsencode(real)][2]  # before: an atomic replace makes a new one
            edits.setdefault(inode, []).append((int(number), int(column), old, new))
    if set(before) != set(after):
        raise Failure(f"--fix changed the entries: {sorted(set(before) ^ set(after))[:5]}")
    for rel, old in before.items():
        new = after[rel]
        name = os.fsdecode(rel)
        if old[0] != "file":
            if old != new:
                raise Failure(f"--fix changed {name}: {old} -> {new}")
            continue
        if new[0] != "file" or new[3] != old[3] or new[5] != old[5]:
            raise Failure(f"--fix changed the kind, mode or owner of {name}")
        if old[4] > 1 and (new[2], new[4]) != (old[2], old[4]):
            raise Failure(f"--fix split the hard links of {name}")
        expected = apply(old[1], edits.get(old[2], ()))
        if new[1] != expected:
            raise Failure(f"--fix wrote other bytes than its edits to {name}")
    again = run(root, counts, "docs", "--fix", "--no-cache", "--format", "json")
    if snapshot(root) != after:
        raise Failure("a second --fix changed files:\n" + again.stderr.decode(errors="replace"))


def apply(data: bytes, edits) -> bytes:
    """The reported edits applied to the original bytes, independently of the linter's code."""
    if not edits:
        return data
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    starts = [0] + [m.end() for m in _BREAK.finditer(body)]
    text = body.decode("utf-8")  # a fixed file is UTF-8; offsets below are in characters
    char_starts = [len(body[:s].decode("utf-8")) for s in starts]
    for number, column, old, new in sorted(edits, reverse=True):
        start = char_starts[number - 1] + column - 1
        if text[start : start + len(old)] != old:
            raise Failure(f"reported edit `{old}` does not stand at {number}:{column}")
        text = text[:start] + new + text[start + len(old) :]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def check_tree(root: Path, info: dict, rng: random.Random, counts: Counts) -> None:
    import jsonschema

    fmt = ("--format", "json")
    reference = diagnostics(run(root, counts, "docs", "--no-cache", *fmt))
    cold = diagnostics(run(root, counts, "docs", *fmt))
    warm = diagnostics(run(root, counts, "docs", *fmt))
    corrupt_caches(root, rng)
    corrupted = diagnostics(run(root, counts, "docs", *fmt))
    again = diagnostics(run(root, counts, "docs", *fmt))
    for name, got in (("cold", cold), ("warm", warm), ("corrupted", corrupted), ("after", again)):
        if got != reference:
            raise Failure(f"{name} cache run differs from --no-cache:\n{diff(reference, got)}")
    if reference[0] == 2:
        return  # a usage error: nothing more to compare
    check_stamped(root, counts, reference, "before the move")
    move_page(root, info, rng)  # the warm cache must follow the tree's change
    reference = diagnostics(run(root, counts, "docs", "--no-cache", *fmt))
    moved = diagnostics(run(root, counts, "docs", *fmt))
    if moved != reference:
        raise Failure(f"warm run after a move differs from --no-cache:\n{diff(reference, moved)}")
    check_stamped(root, counts, reference, "after the move")
    named = rng.sample(info["pages"], min(len(info["pages"]), rng.randint(1, 4)))
    existing = [f"docs/{p}" for p in named if os.path.lexists(root / "docs" / p)]
    if existing:
        subset = diagnostics(run(root, counts, *existing, "--no-cache", *fmt))
        rows = reference[1]
        assert isinstance(rows, list)
        expected = [r for r in rows if r[0] in existing]
        got = subset[1] if isinstance(subset[1], list) else None
        # file mode also reports findings elsewhere that are about the named files
        if (
            got is None
            or [r for r in got if r[0] in existing] != expected
            or any(r not in rows for r in got)
        ):
            raise Failure(f"pre-commit mode {existing} differs:\n{diff((0, expected), subset)}")
    sarif = run(root, counts, "docs", "--no-cache", "--format", "sarif")
    try:
        jsonschema.validate(json.loads(sarif.stdout), json.loads(SARIF_SCHEMA.read_text()))
    except (ValueError, jsonschema.ValidationError) as exc:
        raise Failure(f"SARIF does not validate: {str(exc)[:500]}") from exc
    check_fix(root, counts)


PAST_NS = 1_500_000_000 * 10**9


def check_stamped(root: Path, counts: Counts, reference: tuple[int, object], when: str) -> None:
    """Reports to a file, with the repository dated well before now (every entry, symlinks
    not followed, caches left alone, and the page outside it that a symlink leads to): the
    first run stores the report and stamps the tree, the next ones are served by the stamp;
    each equals the `--no-cache` report."""
    for folder, dirs, files in os.walk(os.fsencode(root)):
        dirs[:] = [d for d in dirs if d != b".nemo-docs-lint-cache"]
        for name in [b"", *dirs, *files]:
            os.utime(os.path.join(folder, name), ns=(PAST_NS, PAST_NS), follow_symlinks=False)
    outside = root.parent / f"{root.name}-outside.md"
    if outside.exists():
        os.utime(outside, ns=(PAST_NS, PAST_NS))
    before = _stamps(root)
    out = root / "report.json"
    for n in range(3):
        out.unlink(missing_ok=True)
        proc = run(root, counts, "docs", "--format", "json", "-o", str(out))
        proc.stdout = out.read_bytes() if out.exists() else b""
        got = diagnostics(proc)
        if got != reference:
            raise Failure(f"run {n + 1} to a file {when} differs:\n{diff(reference, got)}")
    after = _stamps(root)
    counts.stamped += bool(after) and after != before  # a stamp taken by these runs


def _stamps(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob(".nemo-docs-lint-cache/stamp/*.bin")}


def move_page(root: Path, info: dict, rng: random.Random) -> None:
    """Move one regular page into another folder (links to it break, maybe with a candidate)."""
    pages = [p for p in info["pages"] if (root / "docs" / p).is_file() and p != "index.md"]
    if not pages:
        return
    page = rng.choice(pages)
    dest = f"{rng.choice(['moved', 'guide/moved', 'about'])}/{os.path.basename(page)}"
    if (root / "docs" / dest).exists():
        return
    (root / "docs" / dest).parent.mkdir(parents=True, exist_ok=True)
    os.replace(root / "docs" / page, root / "docs" / dest)
    info["pages"] = sorted({*info["pages"], dest} - {page})


def diff(a: tuple[int, object], b: tuple[int, object]) -> str:
    if not (isinstance(a[1], list) and isinstance(b[1], list)):
        return f"{a!r:.500}\n{b!r:.500}"
    left, right = set(a[1]), set(b[1])
    return f"exit {a[0]} vs {b[0]}; only first: {sorted(left - right)[:3]}; only second: " + str(
        sorted(right - left)[:3]
    )


def fuzz(seed: int, trees: int | None, minutes: float, keep: Path | None, quiet: bool) -> Counts:
    counts = Counts()
    deadline = time.monotonic() + minutes * 60
    number = 0
    while (trees is None or number < trees) and (trees is not None or time.monotonic() < deadline):
        tree_seed = seed * 1_000_003 + number
        number += 1
        rng = random.Random(tree_seed)
        with tempfile.TemporaryDirectory(prefix="ndl-fuzz-") as tmp:
            root = Path(tmp) / "repo"
            info = make_tree(root, rng)
            counts.trees += 1
            try:
                check_tree(root, info, rng, counts)
            except Failure as exc:
                counts.failures.append(f"seed {tree_seed}: {exc}")
                print(f"FAILURE seed {tree_seed}: {exc}", flush=True)
                if keep is not None:  # the tree as generated (the seed makes it again)
                    make_tree(keep / f"tree-{tree_seed}", random.Random(tree_seed))
            finally:
                for folder, dirs, _ in os.walk(tmp):
                    for name in dirs:
                        os.chmod(os.path.join(folder, name), 0o755)
        if not quiet and counts.trees % 10 == 0:
            print(f"{counts.trees} trees, {counts.runs} runs, {len(counts.failures)} failures")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--trees", type=int, help="stop after this many trees (not the clock)")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--keep", type=Path, help="copy failing trees here")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    counts = fuzz(args.seed, args.trees, args.minutes, args.keep, quiet=False)
    print(
        f"seed {args.seed}: {counts.trees} trees ({counts.stamped} stamped), {counts.runs} runs, "
        f"{len(counts.failures)} failures in {time.monotonic() - start:.0f} s"
    )
    return 1 if counts.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
