"""--plot and --diagram: real files from real runs."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import xml.dom.minidom

from rawsock._pictures import diagram_svg, roles


def _demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rawsock", "demo", *args], capture_output=True, text=True)


def test_plot_png_and_svg(tmp_path: pathlib.Path) -> None:
    png, svg = tmp_path / "queue.png", tmp_path / "queue.svg"
    assert _demo("full-send-buffer", "--plot", str(png)).returncode == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert _demo("full-send-buffer", "--plot", str(svg)).returncode == 0
    assert xml.dom.minidom.parse(str(svg)).documentElement.tagName == "svg"


def test_plot_without_matplotlib_says_how_to_install(tmp_path: pathlib.Path) -> None:
    code = ("import sys; sys.modules['matplotlib'] = None; from rawsock.__main__ import main; "
            f"sys.exit(main(['demo', 'full-send-buffer', '--plot', '{tmp_path / 'x.png'}']))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 2 and "pip install 'rawsock-cffi[plot]'" in run.stderr
    assert not (tmp_path / "x.png").exists()
    assert _demo("timeouts", "--plot", str(tmp_path / "y.png")).returncode == 2


def test_diagram_puts_each_side_in_its_column(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "seq.svg"
    run = _demo("reset-vs-broken-pipe", "--diagram", str(path))
    assert run.returncode == 0
    doc = xml.dom.minidom.parse(str(path))
    texts = [t for t in doc.getElementsByTagName("text") if t.getAttribute("y") not in ("24", "50")]
    trace = run.stdout.split("as the kernel saw them:", 1)[1].split("\nOutcomes:", 1)[0].strip().splitlines()
    assert len(texts) == len(trace)
    server = {t.firstChild.data for t in texts if t.getAttribute("x") != "40"}  # type: ignore[union-attr]
    assert any(line.startswith("listen(") for line in server)
    assert any(line.startswith(("accept(", "accept4(")) for line in server)  # accept4 where there is no accept
    assert not any(line.startswith("connect(") for line in server)
    assert doc.getElementsByTagName("line").length > 1  # the lifeline divider and at least one data arrow


def test_roles_from_a_trace() -> None:
    lines = ["socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3", "listen(3, 1) = 0",
             "connect(4, {sa_family=AF_INET}, 16) = 0", "accept(3, {sa_family=AF_INET}, [128 => 16]) = 5",
             'sendto(4, "x", 1, 0, NULL, 0) = 1']
    assert roles(lines) == {3: "server", 4: "client", 5: "server"}
    assert "<svg" in diagram_svg(lines, "t") and diagram_svg(lines, "t").count("marker-end") == 1
