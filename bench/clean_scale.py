"""Cleaning time and memory against the number of paragraphs (issue 15 §2).

Usage: ``.venv/bin/python bench/clean_scale.py [N ...]`` (default 10000 100000). Each N is run in
a fresh process so peak memory is its own; prints N, seconds, peak RSS and blocks.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, random, resource, sys, time
from paiban import clean
n = int(sys.argv[1]); random.seed(2)
han = "工会职工服务全市建设发展帮扶活动技能创新劳动企业单位组织开展推进龙岩三明的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
def w(a, b): return "".join(random.choice(han) for _ in range(random.randint(a, b)))
lines, prev = ["标题"], []
for i in range(n):
    r = random.random()
    s = (w(3, 8) if r < .15 else w(5, 15) if r < .3 else random.choice(prev[-50:]) if r < .4 and prev
         else "图为" + w(5, 12) + "。" if r < .45 else "——" + w(4, 8) if r < .5 else w(10, 40) + "。")
    prev.append(s); lines.append(s)
text = "\n\n".join(lines)
started = time.perf_counter()
article = clean.clean(text)
print(json.dumps({"paragraphs": n, "bytes": len(text.encode()), "seconds": round(time.perf_counter() - started, 2),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "blocks": len(article.blocks)}))
"""


def main(argv: list[str]) -> int:
    for n in argv or ["10000", "100000"]:
        out = subprocess.run([sys.executable, "-c", CHILD, n], capture_output=True, text=True, check=True)
        print(json.loads(out.stdout))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
