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
    # The frame rules (byline, endmatter, notes, credits, clutter) and the surnames:
    "丛": "叢", "严": "嚴", "乔": "喬", "习": "習", "体": "體", "党": "黨", "兰": "蘭", "关": "關", "内": "內",
    "写": "寫", "冯": "馮", "击": "擊", "刘": "劉", "华": "華", "单": "單", "卢": "盧", "卫": "衛衞", "发": "發",
    "叶": "葉", "号": "號", "吕": "呂", "吴": "吳", "备": "備", "复": "復", "娄": "婁", "孙": "孫", "宁": "寧",
    "实": "實", "审": "審", "宫": "宮", "导": "導", "岳": "嶽", "巩": "鞏", "师": "師", "广": "廣", "庄": "莊",
    "应": "應", "庞": "龐", "开": "開", "当": "當", "执": "執", "扫": "掃", "数": "數", "机": "機", "权": "權",
    "杨": "楊", "栏": "欄", "栾": "欒", "毕": "畢", "汤": "湯", "济": "濟", "浏": "瀏", "涂": "塗", "温": "溫",
    "游": "遊", "现": "現", "电": "電", "监": "監", "窦": "竇", "筹": "籌", "简": "簡", "纠": "糾", "终": "終",
    "经": "經", "络": "絡", "统": "統", "缪": "繆", "网": "網", "罗": "羅", "聂": "聶", "腾": "騰", "芦": "蘆",
    "苏": "蘇", "范": "範", "荣": "榮", "蒋": "蔣", "蓝": "藍", "见": "見", "视": "視", "览": "覽", "许": "許",
    "证": "證", "话": "話", "语": "語", "读": "讀", "谢": "謝", "谭": "譚", "责": "責", "费": "費", "贺": "賀",
    "贾": "賈", "赵": "趙", "车": "車", "边": "邊", "连": "連", "迟": "遲", "邓": "鄧", "邝": "鄺", "邬": "鄔",
    "邹": "鄒", "郑": "鄭", "采": "採", "钱": "錢", "错": "錯", "闫": "閆", "闭": "閉", "闵": "閔", "阅": "閱閲",
    "阳": "陽", "陆": "陸", "陈": "陳", "韦": "韋", "韩": "韓", "页": "頁", "顶": "頂", "顾": "顧", "颜": "顏",
    "饶": "饒", "马": "馬", "驻": "駐", "骆": "駱", "鲁": "魯", "鲍": "鮑", "麦": "麥", "黄": "黃", "齐": "齊",
    "龙": "龍", "龚": "龔",
    # Words of the list, interview, heading and measure rules (clean-body).
    "举": "舉", "兹": "茲", "准": "準", "则": "則", "厘": "釐", "双": "雙",
    "强": "強", "忆": "憶", "据": "據", "构": "構", "标": "標", "盏": "盞",
    "确": "確", "称": "稱", "级": "級", "纳": "納", "绍": "紹", "综": "綜",
    "认": "認", "诉": "訴", "词": "詞", "误": "誤", "说": "說説", "调": "調",
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
