import sys
from pathlib import Path

# The helpers next to the tests (stats_seedtext, stats_scoring) import as plain modules.
sys.path.insert(0, str(Path(__file__).parent))
