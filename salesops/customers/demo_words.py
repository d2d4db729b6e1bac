"""Believable Chinese customer companies for demo and benchmark data (R9 dimensions, R15 keys).

Everything is drawn from a ``random.Random`` the caller seeds. ``company_name`` maps an index to a
unique name (a permutation of every city × brand × trade), so millions of rows never repeat a company,
which would make the duplicate check (R15) flag generated data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from salesops.customers.models import CompanySize, Grade
from salesops.customers.normalise import credit_code_check_char


@dataclass(frozen=True)
class City:
    name: str
    area_code: str  # landline prefix
    region: str  # administrative division code, digits 3-8 of a unified social credit code
    districts: tuple[tuple[str, float, float], ...]  # name, latitude, longitude of its centre
    streets: tuple[str, ...]


CITIES = (
    City("上海", "021", "310115", (("浦东新区", 31.2215, 121.5447), ("闵行区", 31.1129, 121.3816),
                                 ("松江区", 31.0323, 121.2277), ("嘉定区", 31.3747, 121.2655)),
         ("张江路", "金科路", "莘庄工业区申富路", "九亭镇沪松公路", "安亭镇墨玉路", "川沙路")),
    City("苏州", "0512", "320594", (("工业园区", 31.3172, 120.7235), ("吴中区", 31.2627, 120.6318),
                                  ("相城区", 31.3690, 120.6422), ("高新区", 31.2984, 120.5671)),
         ("星湖街", "金鸡湖大道", "苏虹东路", "东吴北路", "阳澄湖大道", "狮山路")),
    City("杭州", "0571", "330108", (("滨江区", 30.2084, 120.2119), ("余杭区", 30.4186, 120.2993),
                                  ("萧山区", 30.1846, 120.2640), ("西湖区", 30.2597, 120.1300)),
         ("江南大道", "文一西路", "网商路", "建设一路", "天目山路", "东方通信路")),
    City("深圳", "0755", "440300", (("南山区", 22.5333, 113.9305), ("宝安区", 22.5553, 113.8831),
                                  ("龙岗区", 22.7204, 114.2466), ("龙华区", 22.6962, 114.0451)),
         ("科技南十二路", "宝安大道", "龙岗大道", "民治大道", "高新中一道", "西乡大道")),
    City("广州", "020", "440101", (("天河区", 23.1247, 113.3612), ("黄埔区", 23.1061, 113.4592),
                                 ("番禺区", 22.9379, 113.3842), ("白云区", 23.1575, 113.2730)),
         ("天河北路", "科学大道", "开创大道", "市桥大北路", "广州大道北", "黄埔东路")),
)
EAST = CITIES[:3]
SOUTH = CITIES[3:]

# Industry → the trade words of a company name in it.
TRADES: dict[str, tuple[str, ...]] = {
    "制造业": ("精密机械", "智能装备", "模具科技", "自动化设备", "五金制品", "机电设备", "包装机械", "数控科技"),
    "医疗器械": ("医疗器械", "生物医疗", "医疗科技", "康复器材"),
    "新能源": ("新能源科技", "光伏科技", "储能技术", "电池材料"),
    "零售": ("商贸", "连锁超市", "百货", "电子商务"),
    "软件": ("软件", "信息技术", "网络科技", "数据科技"),
    "物流": ("物流", "供应链管理", "国际货运"),
    "化工": ("化工", "新材料", "精细化工"),
    "食品": ("食品", "餐饮管理", "农产品"),
    "建筑": ("建筑工程", "建材", "装饰工程"),
}
TRADE_LIST = tuple((trade, industry) for industry, trades in TRADES.items() for trade in trades)
BRAND_CHARS = (
    "恒润华鑫盛泰宏远达博创嘉瑞卓信德丰源凯安明诚汇联通新海天辰星中金永昌隆正佳和美光富聚鼎协力众裕捷晟睿锐拓"
    "亿腾威邦舜祥益晶曜尚悦启"
)
BRANDS = tuple(a + b for a in BRAND_CHARS for b in BRAND_CHARS if a != b)
COMBINATIONS = len(CITIES) * len(TRADE_LIST) * len(BRANDS)
_STEP = 1_000_003  # a prime that divides none of the sizes: index × step walks every combination once

SIZES = (CompanySize.MICRO, CompanySize.SMALL, CompanySize.SMALL, CompanySize.SMALL, CompanySize.LARGE,
         CompanySize.LARGE, CompanySize.GROUP)
ROLES = ("采购经理", "总经理", "技术总监", "生产总监", "财务总监", "IT经理", "运营总监", "董事长")
FOCUSES = ("性价比", "交付周期", "售后服务", "产品质量", "技术实力", "付款方式", "品牌口碑")
BUDGETS_WAN = (5, 8, 10, 15, 20, 30, 50, 50, 80, 100, 150, 200, 300, 500)
GRADE_REASONS = {
    Grade.A: ("预算已批，月内签约", "方案已确认，等待合同审批", "老客户增购，决策链清晰", "已试用满意，本月采购"),
    Grade.B: ("有明确需求，预算待审批", "技术评估中，预计两个月内决策", "决策人已接触，需要再演示",
              "对比两家供应商，倾向我方"),
    Grade.C: ("需求尚早，明年规划", "预算不足，长期培育", "刚建立联系，需求不清晰", "现有供应商合约未到期"),
}
CONTACT_TITLES = ("采购经理", "采购专员", "技术总监", "总经理", "工程部主管", "设备科长", "行政经理", "IT主管")
MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "176", "177",
                   "180", "181", "182", "183", "185", "186", "187", "188", "189", "199")


@dataclass(frozen=True)
class Company:
    """The R9 dimensions and contact facts of one made-up company."""

    name: str
    industry: str
    company_size: str
    decision_maker_role: str
    budget: Decimal
    focus: str
    phone: str
    address: str
    latitude: Decimal
    longitude: Decimal
    credit_code: str


def company_name(index: int, offset: int = 0) -> tuple[str, City, str]:
    """The ``index``-th unique company name, e.g. 苏州恒润精密机械有限公司, with its city and industry."""
    n = (offset + index * _STEP) % COMBINATIONS
    city = CITIES[n % len(CITIES)]
    n //= len(CITIES)
    trade, industry = TRADE_LIST[n % len(TRADE_LIST)]
    brand = BRANDS[n // len(TRADE_LIST)]
    suffix = "股份有限公司" if index % 7 == 3 else "有限公司"
    return f"{city.name}{brand}{trade}{suffix}", city, industry


def mobile(rng: random.Random) -> str:
    """A valid 11-digit mainland mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def landline(rng: random.Random, city: City) -> str:
    """A company switchboard number such as 0512-6825 3390 (eight digits after the area code)."""
    number = f"{rng.randrange(2, 9)}{rng.randrange(10_000_000):07d}"
    return f"{city.area_code}-{number[:4]} {number[4:]}"


def credit_code(serial: int, city: City) -> str:
    """A unified social credit code (GB 32100-2015) with valid check characters: 91 (company), the
    region, an organisation code whose 9th character is its GB 11714 check, then the check character."""
    body = f"{(serial * 48_271 + 10_000_019) % 100_000_000:08d}"  # 48271 is prime to 10^8: no repeats
    total = sum(int(digit) * weight for digit, weight in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    first17 = f"91{city.region}{body}{'X' if check == 10 else '0' if check == 11 else check}"
    return first17 + credit_code_check_char(first17)


def company(rng: random.Random, index: int, *, offset: int = 0) -> Company:
    """One company with every R9 dimension, a phone, an address with coordinates and a credit code."""
    name, city, industry = company_name(index, offset)
    district, lat, lon = rng.choice(city.districts)
    size = rng.choice(SIZES)
    return Company(
        name=name,
        industry=industry,
        company_size=size,
        decision_maker_role=rng.choice(ROLES),
        budget=Decimal(rng.choice(BUDGETS_WAN) * 10_000),
        focus=rng.choice(FOCUSES),
        phone=landline(rng, city) if rng.random() < 0.6 else mobile(rng),
        address=f"{city.name}市{district}{rng.choice(city.streets)}{rng.randrange(1, 3000)}号",
        latitude=Decimal(f"{lat + rng.uniform(-0.04, 0.04):.6f}"),
        longitude=Decimal(f"{lon + rng.uniform(-0.04, 0.04):.6f}"),
        credit_code=credit_code(offset + index, city) if rng.random() < 0.8 else "",
    )


def grade_and_reason(rng: random.Random) -> tuple[str | None, str]:
    """R8: about 15 % A, 35 % B, 35 % C and 15 % not graded yet, with a reason for the grade."""
    draw = rng.random()
    grade = Grade.A if draw < 0.15 else Grade.B if draw < 0.5 else Grade.C if draw < 0.85 else None
    return (grade, rng.choice(GRADE_REASONS[grade])) if grade else (None, "")
