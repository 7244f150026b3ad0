"""Shared by every test folder: makes ``tests/fuzzing.py`` importable as ``fuzzing``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
