"""Which script a text is written in: Simplified or Traditional Chinese.

In: a text. Out: ``zh-Hans`` or ``zh-Hant``, and a warning when the text mixes both.

OpenCC's own tables tell the scripts apart: a character that t2s changes is a Traditional form
(圖, 為, 會), one that s2t changes a Simplified form (图, 为, 会). Characters written the same in
both (人, 工, 的) count for neither. Each distinct character is converted once, alone, so
phrase tables cannot shift the count (and OpenCC sees one short string, not the whole text).
"""

from __future__ import annotations

import re
from collections import Counter

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

MIXED_SHARE = 0.1
"""Share of the other script's characters above which a text is reported as mixed (below it,
they are the odd character OpenCC maps both ways, such as 著 in 著名)."""


SURELY_SIMPLIFIED = 0.01
"""Share of Traditional forms in all Chinese characters up to which a text is Simplified
without further counting."""


def detect(text: str) -> tuple[str, str | None]:
    """``(script, warning)``: the text's script and, when it mixes both, a warning saying so."""
    from paiban.editions import opencc_convert

    counts = Counter(HAN.findall(text))
    if not counts:
        return "zh-Hans", None
    chars = list(counts)
    joined = "\n".join(chars)
    as_simplified = opencc_convert(joined, "t2s").split("\n")
    if len(as_simplified) != len(chars):
        return "zh-Hans", None  # cannot happen with OpenCC's tables; never guess on it
    traditional = sum(counts[c] for c, s in zip(chars, as_simplified) if s != c)
    if traditional <= SURELY_SIMPLIFIED * sum(counts.values()):
        # Plain Simplified copy: no need for s2t, whose tables take ~0.3 s to load (t2s's
        # take 20 ms), in a command such as inspect that may need no Traditional at all.
        return "zh-Hans", None
    as_traditional = opencc_convert(joined, "s2t").split("\n")
    simplified = sum(counts[c] for c, t in zip(chars, as_traditional) if t != c)
    if traditional + simplified == 0:
        return "zh-Hans", None
    script = "zh-Hant" if traditional > simplified else "zh-Hans"
    minority = min(traditional, simplified) / (traditional + simplified)
    if minority > MIXED_SHARE:
        return script, (f"mixed script: {traditional} Traditional-only and {simplified} "
                        f"Simplified-only characters; read as {script}")
    return script, None
