"""Traditional forms of the Simplified characters the cleaning and statistics rules' patterns are
written with.

In: a pattern or word list written in Simplified Chinese. Out: the same matching Traditional
copy too (圖爲/圖為 as well as 图为), so the rules work on a Traditional source unchanged.

``TRADITIONAL`` lists, per character, its forms in OpenCC's s2t, s2tw and s2hk tables (plus a
few that the tables map elsewhere by phrase: 簽, 鐘); tests/readers checks it against OpenCC,
so a character added to a rule's pattern without its Traditional forms fails a test. A static
table, not OpenCC at import time: loading three dictionaries would cost every command ~0.5 s.
"""

from __future__ import annotations

TRADITIONAL: dict[str, str] = {
    "员": "員", "图": "圖", "报": "報", "摄": "攝", "约": "約", "编": "編", "讯": "訊", "记": "記",
    "辑": "輯", "万": "萬", "与": "與", "个": "個", "为": "爲為", "于": "於", "亿": "億", "从": "從",
    "余": "餘", "台": "臺", "吨": "噸", "场": "場", "对": "對", "将": "將", "并": "並", "户": "戶",
    "条": "條", "给": "給", "节": "節", "让": "讓", "该": "該", "这": "這", "项": "項", "着": "著",
    "种": "種", "类": "類", "门": "門", "间": "間", "时": "時", "点": "點", "张": "張", "处": "處",
    "头": "頭", "届": "屆", "岁": "歲", "块": "塊", "册": "冊", "辆": "輛", "签": "籤簽", "亲": "親",
    "邻": "鄰", "贴": "貼", "赶": "趕", "违": "違", "预": "預", "过": "過", "里": "裏裡", "钟": "鍾鐘",
    "亩": "畝", "顷": "頃", "纪": "紀", "龄": "齡", "欧": "歐", "湾": "灣", "床": "牀", "业": "業",
    "众": "衆眾", "会": "會", "农": "農", "务": "務", "劳": "勞", "学": "學", "帮": "幫", "总": "總",
    "来": "來", "群": "羣", "职": "職", "计": "計", "训": "訓", "访": "訪", "资": "資", "进": "進",
    "问": "問",
    # Words of the list, interview, heading and measure rules (clean-body).
    "举": "舉", "关": "關", "兹": "茲", "准": "準", "则": "則", "厘": "釐", "双": "雙", "号": "號",
    "备": "備", "强": "強", "忆": "憶", "据": "據", "构": "構", "标": "標", "电": "電", "盏": "盞",
    "确": "確", "称": "稱", "级": "級", "纳": "納", "绍": "紹", "经": "經", "综": "綜", "网": "網",
    "认": "認", "诉": "訴", "词": "詞", "话": "話", "误": "誤", "说": "說説", "调": "調", "车": "車",
    "邮": "郵", "键": "鍵", "题": "題", "验": "驗",
}


def hant(pattern: str) -> str:
    """``pattern`` (a regular expression) matching the Traditional forms too: a character
    outside a class becomes a class of its forms, one inside a class gets its forms added."""
    out: list[str] = []
    in_class = escaped = False
    for c in pattern:
        forms = TRADITIONAL.get(c)
        if escaped:
            out.append(c)
            escaped = False
        elif c == "\\":
            out.append(c)
            escaped = True
        elif c == "[" and not in_class:
            in_class = True
            out.append(c)
        elif c == "]" and in_class:
            in_class = False
            out.append(c)
        elif forms:
            out.append(c + forms if in_class else f"[{c}{forms}]")
        else:
            out.append(c)
    return "".join(out)


def chars(text: str) -> str:
    """A string of characters (a set written as a str) with their Traditional forms added."""
    return text + "".join(TRADITIONAL.get(c, "") for c in text)


def words(*items: str) -> tuple[str, ...]:
    """``items`` and, after each, its Traditional spellings (each character's first form, and
    its last where it has two: 为 → 爲, 為), without repeats."""
    out: list[str] = []
    for word in items:
        for pick in (0, -1):
            out.append(word)
            out.append("".join(TRADITIONAL.get(c, c)[pick] if c in TRADITIONAL else c
                               for c in word))
    return tuple(dict.fromkeys(out))
