"""Small built-in character tables for name noise: homophones and traditional forms.

Only the characters the synthetic population actually uses in names are covered; this is
noise for a simulator, not a conversion library.
"""

from __future__ import annotations

# Given-name characters and a character with the same (or, for a few, nearly the same)
# pinyin that a clerk typing by ear might pick instead.
_HOMOPHONE_PAIRS = (
    "伟玮 明铭 军君 丽莉 静婧 娟鹃 芳方 红虹 玲铃 燕艳 霞侠 敏闽 涛滔 斌彬 杰洁 勇永 辉晖 "
    "鹏朋 飞菲 宁凝 浩皓 俊骏 宇雨 林琳 成诚 建健 志智 文雯 东冬 龙隆 峰锋 洋阳 晨辰 轩萱 "
    "睿瑞 豪毫 婷亭 梅玫 兰岚 萍平 倩茜 慧惠 佳家 欣馨 悦月 怡仪 琪琦 晶菁 璐露 蕾磊 英瑛 "
    "晓小 涵寒 琴芹 云芸 华桦 强蔷 秀绣 凤锋 春椿 思丝 诗师 梓子 新欣 金今 安桉"
)
HOMOPHONES: dict[str, str] = {pair[0]: pair[1] for pair in _HOMOPHONE_PAIRS.split()}

# Simplified -> traditional for common surname and given-name characters. Characters that
# are the same in both scripts (王, 李, 周 …) are simply absent.
_TRADITIONAL_PAIRS = (
    "张張 刘劉 陈陳 杨楊 黄黃 赵趙 吴吳 孙孫 马馬 罗羅 郑鄭 谢謝 许許 韩韓 冯馮 邓鄧 蒋蔣 "
    "叶葉 苏蘇 吕呂 卢盧 钟鍾 谭譚 陆陸 贾賈 韦韋 邹鄒 闫閆 龙龍 贺賀 顾顧 龚龔 万萬 钱錢 "
    "严嚴 汤湯 鲁魯 聂聶 欧歐 阳陽 司司 马馬 诸諸 东東 "
    "伟偉 强強 军軍 杰傑 涛濤 刚剛 辉輝 鹏鵬 华華 飞飛 宁寧 凯凱 帅帥 国國 龙龍 轩軒 泽澤 "
    "锋鋒 静靜 丽麗 艳艷 红紅 兰蘭 颖穎 悦悅 凤鳳 晓曉 瑶瑤 诗詩 云雲 卫衛 爱愛 鸣鳴 梦夢 "
    "诺諾 长長 荣榮 贞貞 宝寶 庆慶 义義 运運 杨楊 胜勝 乔喬 丰豐 岚嵐 琼瓊 馨馨 紫紫 环環 "
    "玮瑋 铭銘 鹃鵑 闽閩 彬彬 晖暉 骏駿 诚誠 隆隆 萱萱 毫毫 亭亭 惠惠 菁菁 露露 芹芹"
)
TRADITIONAL: dict[str, str] = {
    pair[0]: pair[1] for pair in _TRADITIONAL_PAIRS.split() if pair[0] != pair[1]
}


COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "皇甫", "东方", "令狐"})


def homophone_variant(name: str) -> str | None:
    """The name with its first replaceable given-name character swapped, or None."""
    start = 2 if name[:2] in COMPOUND_SURNAMES else 1
    for index in range(start, len(name)):
        replacement = HOMOPHONES.get(name[index])
        if replacement is not None:
            return name[:index] + replacement + name[index + 1 :]
    return None


def to_traditional(text: str) -> str:
    """Text with every character the table knows written in its traditional form."""
    return "".join(TRADITIONAL.get(char, char) for char in text)
