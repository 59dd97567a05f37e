"""What the bench scripts share: where the generated data lives and how to reach it.

Not a module of the product: the scripts run as ``python bench/NAME.py`` and
import this file from their own directory.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_HOME = BENCH / "data" / "home"  # bench/data/ is git-ignored


def data_env() -> dict[str, str]:
    """The environment of the generated data set: RESTONS_HOME (default bench/data/home) and the database URL."""
    env = dict(os.environ)
    env.setdefault("RESTONS_HOME", str(DEFAULT_HOME))
    if not env["RESTONS_HOME"].strip():
        env["RESTONS_HOME"] = str(DEFAULT_HOME)
    return env


def uses_default_home() -> bool:
    return not os.environ.get("RESTONS_HOME", "").strip()


def venv_bin(name: str) -> str:
    """A console script of the interpreter running this file (the project venv when run with .venv/bin/python)."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return str(ROOT / ".venv" / "bin" / name)


def summary(samples: list[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(samples), min(samples), max(samples)
