"""Write docs/lessons/: one page per lesson with the real output of a run on this machine, and an index.

    python tools/gen_lesson_docs.py
"""

from __future__ import annotations

import io
import pathlib
import platform
import sys


def main() -> int:
    from rawsock import demos

    root = pathlib.Path(__file__).resolve().parent.parent / "docs" / "lessons"
    root.mkdir(parents=True, exist_ok=True)
    index = ["# Lessons", "", "Each lesson is one of the seed documents' scenarios, run against the kernel and traced.",
             f"The outputs below were recorded on Linux {platform.release()}, CPython {platform.python_version()}.",
             "Run one with `python -m rawsock demo NAME`; `tests/test_demo.py` checks each one's outcome sequence.",
             "", "| lesson | seed | what it shows |", "|---|---|---|"]
    for name in demos.LESSONS:
        lesson = demos.load(name)
        out = io.StringIO()
        outcomes = demos.run(name, out)
        status = "" if outcomes == lesson.EXPECTED else "\n**This run did not produce the expected outcomes.**\n"
        page = [f"# {name}", "", lesson.TITLE + ".", "", f"Seed document: `{lesson.SEED}`. Run it: "
                f"`python -m rawsock demo {name}`.", status, "```", out.getvalue().rstrip(), "```", ""]
        (root / f"{name}.md").write_text("\n".join(page))
        index.append(f"| [{name}]({name}.md) | `{lesson.SEED}` | {lesson.TITLE} |")
    index += ["", "Pictures of full-send-buffer: [the send queue against time](full-send-buffer.png) (`--plot`) and",
              "[its trace as a sequence diagram](full-send-buffer.svg) (`--diagram`); regenerate them with",
              "`python -m rawsock demo full-send-buffer --plot docs/lessons/full-send-buffer.png --diagram "
              "docs/lessons/full-send-buffer.svg`."]
    (root / "README.md").write_text("\n".join(index) + "\n")
    print(f"wrote {root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
