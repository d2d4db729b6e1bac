"""Believable Chinese people, phone numbers and team names for demo and benchmark data.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same names.
"""

from __future__ import annotations

import random

# The most common surnames of mainland China, most frequent first.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
    "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Characters often used in given names (one or two of them make a given name).
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬辉鹏浩宇轩然晨博文俊凯佳怡欣雨婷琳雪颖思睿泽昊子涵"
    "航宁海波健立志斌峰亮建新春晓丹阳天晶露飞宏雯晗瑶梦琪嘉铭楠倩慧"
)
# Number segments of the three mainland carriers (each a valid start of an 11-digit mobile number).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187",
    "188", "189", "191", "198", "199",
)
CITIES = (
    "上海", "北京", "广州", "深圳", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安", "天津", "长沙", "郑州",
    "青岛", "宁波", "厦门", "福州", "合肥", "济南", "沈阳", "大连", "昆明", "南宁", "贵阳", "南昌", "太原",
    "石家庄", "无锡", "东莞", "佛山", "珠海", "温州", "常州", "哈尔滨", "长春",
)
TEAM_KINDS = ("大客户组", "渠道组", "行业组", "直销组", "电销组", "新客开拓组")


def chinese_name(rng: random.Random) -> str:
    """A surname and a one- or two-character given name (two characters about two times in three)."""
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.66 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    """A valid 11-digit mainland mobile number (accepted by ``accounts.services.normalise_mobile``)."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def team_names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct team names such as 杭州渠道组; a number is added once the pairs run out."""
    pairs = [city + kind for city in CITIES for kind in TEAM_KINDS]
    rng.shuffle(pairs)
    names = pairs[:count]
    round_number = 2
    while len(names) < count:
        names.extend(f"{name}{round_number}" for name in pairs[: count - len(names)])
        round_number += 1
    return names
