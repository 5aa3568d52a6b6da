"""Pictures of a lesson: the send queue over time (``--plot``, with matplotlib) and any trace as a two-column
sequence diagram (``--diagram``, plain SVG, no dependency)."""

from __future__ import annotations

import re
from html import escape

__all__ = ["diagram_svg", "plot_send_queue", "roles"]

_CALL = re.compile(r"^(?:\[pid +\d+\] )?(\w+)\((-?\d+)")
_RESULT = re.compile(r"= (-?\d+)")


def roles(lines: list[str]) -> dict[int, str]:
    """fd -> "client" or "server", from what each fd did: listen and accept make a server, connect a client."""
    role: dict[int, str] = {}
    for line in lines:
        m = _CALL.match(line)
        if not m:
            continue
        call, fd = m.group(1), int(m.group(2))
        if call in ("listen", "bind") and role.get(fd) != "client":
            role[fd] = "server"
        elif call == "connect":
            role[fd] = "client"
        elif call in ("accept", "accept4"):
            result = _RESULT.search(line.rsplit(")", 1)[-1])
            if result and int(result.group(1)) >= 0:
                role[int(result.group(1))] = "server"
    return role


def diagram_svg(lines: list[str], title: str) -> str:
    """A sequence diagram: client syscalls in the left column, server ones in the right, in trace order; an
    arrow for data that crosses (a successful send on one side)."""
    role = roles(lines)
    width, row, top = 1100, 22, 70
    left, right = 40, width // 2 + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + row * (len(lines) + 1)}" '
             'font-family="monospace" font-size="11">',
             f'<text x="{width // 2}" y="24" text-anchor="middle" font-size="14">{escape(title)}</text>',
             f'<text x="{left}" y="50" font-weight="bold">client</text>',
             f'<text x="{right}" y="50" font-weight="bold">server</text>',
             f'<line x1="{width // 2}" y1="56" x2="{width // 2}" y2="{top + row * len(lines)}" stroke="#888"/>']
    for i, line in enumerate(lines):
        y = top + row * i + 14
        m = _CALL.match(line)
        side = role.get(int(m.group(2)), "client") if m else "client"
        x = left if side == "client" else right
        failed = " = -1 " in line
        color = "#b00" if failed else "#000"
        text = line if len(line) <= 78 else line[:75] + "..."
        parts.append(f'<text x="{x}" y="{y}" fill="{color}">{escape(text)}</text>')
        if m and m.group(1) in ("sendto", "sendmsg", "sendmmsg") and not failed:
            x1, x2 = (width // 2 - 10, width // 2 + 10) if side == "client" else (width // 2 + 10, width // 2 - 10)
            parts.append(f'<line x1="{x1}" y1="{y - 4}" x2="{x2}" y2="{y - 4}" stroke="#06c" stroke-width="2" '
                         'marker-end="url(#arrow)"/>')
    parts.insert(1, '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="6" refY="3" orient="auto">'
                    '<path d="M0,0 L6,3 L0,6 z" fill="#06c"/></marker></defs>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def plot_send_queue(timeline: list[tuple[float, str, int, int]], path: str) -> None:
    """The send queue's fill (SIOCOUTQ) and each send's result against time, saved to ``path`` (.png or .svg).
    ``timeline`` holds (seconds, outcome, bytes sent, bytes queued).  Needs matplotlib."""
    import matplotlib  # type: ignore[import-not-found,unused-ignore]

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # type: ignore[import-not-found,unused-ignore]

    fig, (queue, sends) = plt.subplots(2, 1, sharex=True, figsize=(9, 6))
    t = [entry[0] * 1000 for entry in timeline]
    queue.plot(t, [entry[3] for entry in timeline], marker="o", color="#06c")
    queue.set_ylabel("bytes queued (SIOCOUTQ)")
    queue.set_title("full-send-buffer: non-blocking sends to a peer that never reads")
    colors = {"ok": "#2a2", "EAGAIN": "#e90", "ECONNRESET": "#c00", "EPIPE": "#700"}
    for ms, entry in zip(t, timeline):
        outcome = entry[1] or "ok"
        color = colors.get(outcome, "#555")
        sends.vlines(ms, 0, entry[2], color=color, linewidth=3)
        sends.plot([ms], [entry[2]], marker="o", color=color)
        if outcome != "ok":
            sends.annotate(outcome, (ms, 0), xytext=(0, 6), textcoords="offset points", rotation=90, fontsize=8,
                           ha="center", va="bottom", color=color)
    sends.set_ylabel("bytes taken by send(2)")
    sends.set_xlabel("milliseconds since the first send")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
