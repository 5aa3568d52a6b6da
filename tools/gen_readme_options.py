"""Rewrite the socket-option table in README.md from rawsock.OPTIONS (tests/test_sockopt.py checks it)."""

from __future__ import annotations

import pathlib
import re
import sys

KINDS = {"int": "int", "linger": "`Linger`", "timeval": "`Timeval`", "ucred": "`Ucred`", "tcp_info": "`TcpInfo`",
         "string": "str", "so_timestamping": "`SoTimestamping` or int", "ip_mreq": "`IpMreq`, `IpMreqn`",
         "ip_mreqn": "`IpMreqn`", "ip_mreq_source": "`IpMreqSource`", "ipv6_mreq": "`Ipv6Mreq`",
         "group_req": "`GroupReq`", "group_source_req": "`GroupSourceReq`", "u64": "int (64-bit)",
         "meminfo": "`SkMeminfo`", "cc_info": "`TcpCcInfo`", "repair_window": "`TcpRepairWindow`",
         "tpacket_req": "`TpacketReq`, `TpacketReq3`", "zerocopy_receive": "`TcpZerocopyReceive` (get: `value=`)"}


def render() -> str:
    import rawsock as rs

    levels = {rs.SOL_SOCKET: "SOL_SOCKET", rs.IPPROTO_TCP: "IPPROTO_TCP", rs.IPPROTO_IP: "IPPROTO_IP",
              rs.IPPROTO_IPV6: "IPPROTO_IPV6", rs.SOL_PACKET: "SOL_PACKET"}
    lines = ["| option | level | value | man page | what it does |", "|---|---|---|---|---|"]
    for o in rs.OPTIONS.values():
        lines.append(f"| `{o.name}` | {levels[o.level]} | {KINDS[o.kind]} | {o.man} | {o.doc} |")
    return "\n".join(lines)


def main() -> int:
    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- options-table:[^\n]*-->\n)(.*?)(\n<!-- end options-table -->)",
                 lambda m: m.group(1) + render() + m.group(3), text, flags=re.S)
    readme.write_text(new)
    print(f"wrote {readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
