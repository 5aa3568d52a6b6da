"""Runnable lessons: the seed documents' scenarios, each a module with ``TITLE``, ``SEED`` and ``run``.

``python -m rawsock demo`` lists them; ``python -m rawsock demo NAME`` runs one.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: lesson name -> module name in this package, in the order they are taught
LESSONS: dict[str, str] = {
    "full-send-buffer": "full_send_buffer",
}


def load(name: str) -> ModuleType:
    """The lesson's module (KeyError for an unknown name)."""
    return importlib.import_module(f"{__name__}.{LESSONS[name]}")
