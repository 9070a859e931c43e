"""The dashboard in a real browser: headless Chromium opens index.html from file://.

Driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3, replies
on fd 4, each a JSON message ending in NUL), with the standard library only. Checks the rendered
DOM, that no script ran (no dialog, no <script> element), that the console stayed free of errors,
and saves screenshots at laptop and phone sizes (to $DASHBOARD_SCREENSHOTS too, when set).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from nemo_docs_lint.dashboard import write_site
from nemo_docs_lint.dashboard.groups import GroupSpec
from nemo_docs_lint.dashboard.numbers import STATUS_LABELS
from nemo_docs_lint.model import LintResult

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; see .ci/install-tools)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]


class Browser:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        reply = self._read_until(lambda m: m.get("id") == self._next_id, timeout)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        return self._read_until(lambda m: m.get("method") == method, timeout)

    def _read_until(self, wanted, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_chrome], [], [], remaining)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the debugging pipe")
            self._buffer += chunk

    def open(self, url: str, width: int, height: int, mobile: bool = False) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params = {"format": "png", "captureBeyondViewport": full_page}
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", params)["data"]))

    def console_errors(self) -> list[str]:
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                errors.append(json.dumps(params["exceptionDetails"])[:300])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(json.dumps(params.get("args"))[:300])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(params["entry"].get("text", ""))
        return errors

    def close(self) -> None:
        try:
            self.session = None
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


@pytest.fixture
def browser(tmp_path: Path):
    instance = Browser(tmp_path / "profile")
    try:
        yield instance
    finally:
        instance.close()


def _keep(shot: Path) -> None:
    target = os.environ.get("DASHBOARD_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)


@pytest.mark.parametrize(
    ("size", "width", "height", "mobile"),
    [("laptop", 1366, 900, False), ("phone", 390, 844, True)],
)
def test_dashboard_in_chromium(
    browser: Browser,
    result: LintResult,
    groups: list[GroupSpec],
    tmp_path: Path,
    size: str,
    width: int,
    height: int,
    mobile: bool,
) -> None:
    board = write_site(result, groups, tmp_path / "site")
    url = (tmp_path / "site" / "index.html").as_uri()
    browser.open(url, width, height, mobile)

    rows = browser.evaluate(
        "[...document.querySelectorAll('table.overview tbody tr')].map("
        "r => [...r.cells].map(c => c.textContent.trim()))"
    )
    assert [r[0] for r in rows] == [g.name for g in board.groups]
    setup = rows[0]
    assert setup[1] == STATUS_LABELS[board.groups[0].status]
    assert setup[3:6] == [
        str(len(board.groups[0].files)),
        str(board.groups[0].files_clean),
        str(board.groups[0].errors),
    ]
    total = browser.evaluate("document.querySelector('table.overview tfoot tr').textContent")
    assert "All files" in total and str(len(board.total.files)) in total

    descriptions = browser.evaluate(
        "[...document.querySelectorAll('.desc')].map(d => d.textContent)"
    )
    assert "<script>alert(1)</script>" in descriptions
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    assert browser.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
    assert not [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]

    details = browser.evaluate("document.querySelectorAll('li.file details').length")
    assert details == sum(1 for g in board.groups for f in g.files if f.problems)
    assert browser.evaluate("document.querySelectorAll('.chart').length") >= 5
    overflow = browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"

    shot = tmp_path / f"dashboard-{size}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    _keep(shot)
    assert browser.console_errors() == []


MIN_LABEL_PX = 11  # chart labels, legends and counts must stay readable on a phone

# Every element that could scroll sideways (or clip) and does, except deliberate ellipsis.
_OVERFLOWING = """
[...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.textOverflow === 'ellipsis') return false;
  return el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
    && ['auto', 'scroll', 'hidden'].includes(style.overflowX);
}).map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + '>'
  + el.clientWidth)
"""

# The rendered size of every piece of text inside a chart, in CSS px (SVG text scales with
# its viewBox, so measure the box the browser drew, not the font-size declared).
_CHART_TEXT_SIZES = """
[...document.querySelectorAll('.chart')].flatMap(chart => {
  const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
  const sizes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const owner = node.parentElement;
    if (!node.textContent.trim() || owner.closest('title')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0) continue;
    const declared = parseFloat(getComputedStyle(owner).fontSize);
    let scale = 1;
    const svg = owner.closest('svg');
    if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    sizes.push([node.textContent.trim(), declared * scale]);
  }
  return sizes;
})
"""


@pytest.mark.parametrize(
    ("width", "height", "mobile"), [(390, 844, True), (1440, 900, False), (1920, 1080, False)]
)
def test_dashboard_layout_fits_and_labels_stay_readable(
    browser: Browser,
    result: LintResult,
    groups: list[GroupSpec],
    tmp_path: Path,
    width: int,
    height: int,
    mobile: bool,
) -> None:
    """No sideways scrolling anywhere (the overview with its baseline columns included) and
    no chart text under MIN_LABEL_PX, on a phone, a laptop and a wide screen."""
    from nemo_docs_lint.baseline import write as write_baseline
    from nemo_docs_lint.dashboard import split_baseline

    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, result.diagnostics[::2], result.config, result.index)
    new, known, fixed = split_baseline(result, baseline)
    write_site(new, groups, tmp_path / "site", known=known, baseline_fixed=fixed)
    browser.open((tmp_path / "site" / "index.html").as_uri(), width, height, mobile)
    browser.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")

    heads = browser.evaluate(
        "[...document.querySelectorAll('table.overview thead th')].map(th => th.textContent)"
    )
    assert heads[-2:] == ["New", "Known"]
    page = browser.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert page <= 0, f"the page scrolls sideways by {page}px at {width}px"
    assert browser.evaluate(_OVERFLOWING) == [], f"elements scroll sideways at {width}px"
    # Every overview cell (New and Known last) is on screen without scrolling.
    right = browser.evaluate(
        "Math.max(...[...document.querySelectorAll('table.overview td, table.overview th')]"
        ".map(c => c.getBoundingClientRect().right))"
    )
    assert right <= width, f"overview cells end at {right}px on a {width}px screen"
    sizes = browser.evaluate(_CHART_TEXT_SIZES)
    assert len(sizes) > 20
    small = [(text, round(px, 1)) for text, px in sizes if px < MIN_LABEL_PX]
    assert small == [], f"chart text under {MIN_LABEL_PX}px at {width}px: {small[:5]}"
