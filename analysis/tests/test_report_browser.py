"""The HTML report in a real browser (headless Chromium, Debian's `chromium`, installed by
scripts/install-deps.sh): no console message, and every image decodes. Skipped where Chromium
is absent; `make test` installs it, so CI runs it."""
import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Added to a copy of the page: on load, records the images that did not decode, then logs one
# console error. A broken image and that error are planted, so the check shows it can see both.
PROBE = """<img alt="planted-broken" src="data:image/png;base64,AAAA"><script>
window.addEventListener("load", () => {
  const imgs = [...document.images];
  const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt);
  document.body.setAttribute("data-images", String(imgs.length));
  document.body.setAttribute("data-broken", broken.join("|"));
  console.error("planted console error");
});
</script>"""


@pytest.mark.sim
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh installs it)")
def test_report_renders_in_chromium_without_errors(sweep_report, tmp_path):
    html = sweep_report.read_text()
    assert "<script" not in html  # the page itself runs nothing
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"))
    r = subprocess.run([CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0",
                        "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    body = re.search(r'<body data-images="(\d+)" data-broken="([^"]*)"', r.stdout)
    assert body, "the probe did not run: " + r.stdout[:500]
    assert int(body.group(1)) == html.count("<img ") + 1
    assert body.group(2) == "planted-broken"  # every image of the report decoded
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
    assert len(console) == 1 and "planted console error" in console[0], console
