"""Realistic value generators for the synthetic government-contract generator.

Every generator takes a :class:`random.Random` (never the global ``random``), so a seed fixes the output,
and returns a frozen dataclass holding the surface ``text`` (what goes into the contract, exactly as it will
be annotated) together with the structured value (``Decimal``, ``date``, canonical digits, fraction …).
The clause templates built on top of this module compute span offsets from ``text``; the tests check
``text`` against ``value`` through the normalisers of :mod:`hetong.normalize`, which are reused here and
never re-implemented.

Place names follow the spec's own examples (温州市瓯江区, 深圳市福湾区): provinces and prefecture cities
are real, with their real 行政区划代码 prefixes and telephone area codes; districts are drawn from a pool
of plausible but mostly fictional names, each given a stable six-digit code under its city (``CCCC01`` …).
Buyers get a USCC with prefix 11 (机关) or 12 (事业单位) and the code of their level (province ``PP0000``,
city ``PPCC00``, district ``PPCCDD``); suppliers get 91 (企业) or 93 (农民专业合作社).

Layout noise (:func:`mix_fullwidth_digits`, :func:`insert_stray_spaces`) are pure string transforms of a
span's text; the spec (A.5 item 22) keeps such artefacts inside the span, and the normalisers read through
them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from random import Random

import cn2an

from hetong.normalize import USCC_ALPHABET, amount_to_upper, uscc_check_char

__all__ = [
    "AMOUNT_STYLES",
    "DATE_STYLES",
    "PROVINCES",
    "RATE_STYLES",
    "Address",
    "Amount",
    "BankAccount",
    "Buyer",
    "CodeValue",
    "DateValue",
    "Installment",
    "PaymentSchedule",
    "Period",
    "Person",
    "Phone",
    "Rate",
    "Region",
    "Supplier",
    "amount_lower",
    "amount_pair",
    "amount_upper",
    "amount_value",
    "bank_account",
    "buyer",
    "contract_number",
    "date_value",
    "figures",
    "insert_stray_spaces",
    "mix_fullwidth_digits",
    "payment_schedule",
    "period",
    "person_name",
    "phone",
    "postal_address",
    "project_number",
    "rate",
    "rate_text",
    "region",
    "supplier",
    "to_fullwidth",
    "uscc",
]

_CENT = Decimal("0.01")

# ---------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _City:
    name: str  # 温州市
    code: str  # 4 digits, 3303
    area_code: str  # 0577
    abbr: str  # pinyin initials, WZ


@dataclass(frozen=True)
class _Province:
    name: str  # 浙江省
    short: str  # 浙江
    code: str  # 2 digits, 33
    cities: tuple[_City, ...]
    municipality: bool = False


def _prov(
    name: str, short: str, code: str, *cities: tuple[str, str, str, str], muni: bool = False
) -> _Province:
    return _Province(name, short, code, tuple(_City(*c) for c in cities), muni)


PROVINCES: tuple[_Province, ...] = (
    _prov("北京市", "北京", "11", ("北京市", "1101", "010", "BJ"), muni=True),
    _prov("天津市", "天津", "12", ("天津市", "1201", "022", "TJ"), muni=True),
    _prov("河北省", "河北", "13", ("石家庄市", "1301", "0311", "SJZ"), ("唐山市", "1302", "0315", "TS"),
          ("保定市", "1306", "0312", "BD")),
    _prov("山西省", "山西", "14", ("太原市", "1401", "0351", "TY"), ("大同市", "1402", "0352", "DT")),
    _prov("内蒙古自治区", "内蒙古", "15", ("呼和浩特市", "1501", "0471", "HHHT"),
          ("包头市", "1502", "0472", "BT")),
    _prov("辽宁省", "辽宁", "21", ("沈阳市", "2101", "024", "SY"), ("大连市", "2102", "0411", "DL")),
    _prov("吉林省", "吉林", "22", ("长春市", "2201", "0431", "CC"), ("吉林市", "2202", "0432", "JL")),
    _prov("黑龙江省", "黑龙江", "23", ("哈尔滨市", "2301", "0451", "HEB"),
          ("齐齐哈尔市", "2302", "0452", "QQHE")),
    _prov("上海市", "上海", "31", ("上海市", "3101", "021", "SH"), muni=True),
    _prov("江苏省", "江苏", "32", ("南京市", "3201", "025", "NJ"), ("无锡市", "3202", "0510", "WX"),
          ("苏州市", "3205", "0512", "SZ"), ("南通市", "3206", "0513", "NT")),
    _prov("浙江省", "浙江", "33", ("杭州市", "3301", "0571", "HZ"), ("宁波市", "3302", "0574", "NB"),
          ("温州市", "3303", "0577", "WZ"), ("嘉兴市", "3304", "0573", "JX"),
          ("绍兴市", "3306", "0575", "SX"), ("台州市", "3310", "0576", "TZ")),
    _prov("安徽省", "安徽", "34", ("合肥市", "3401", "0551", "HF"), ("芜湖市", "3402", "0553", "WH")),
    _prov("福建省", "福建", "35", ("福州市", "3501", "0591", "FZ"), ("厦门市", "3502", "0592", "XM"),
          ("泉州市", "3505", "0595", "QZ")),
    _prov("江西省", "江西", "36", ("南昌市", "3601", "0791", "NC"), ("赣州市", "3607", "0797", "GZ")),
    _prov("山东省", "山东", "37", ("济南市", "3701", "0531", "JN"), ("青岛市", "3702", "0532", "QD"),
          ("烟台市", "3706", "0535", "YT")),
    _prov("河南省", "河南", "41", ("郑州市", "4101", "0371", "ZZ"), ("洛阳市", "4103", "0379", "LY")),
    _prov("湖北省", "湖北", "42", ("武汉市", "4201", "027", "WH"), ("宜昌市", "4205", "0717", "YC")),
    _prov("湖南省", "湖南", "43", ("长沙市", "4301", "0731", "CS"), ("岳阳市", "4306", "0730", "YY")),
    _prov("广东省", "广东", "44", ("广州市", "4401", "020", "GZ"), ("深圳市", "4403", "0755", "SZ"),
          ("珠海市", "4404", "0756", "ZH"), ("佛山市", "4406", "0757", "FS")),
    _prov("广西壮族自治区", "广西", "45", ("南宁市", "4501", "0771", "NN"), ("桂林市", "4503", "0773", "GL")),
    _prov("海南省", "海南", "46", ("海口市", "4601", "0898", "HK")),
    _prov("重庆市", "重庆", "50", ("重庆市", "5001", "023", "CQ"), muni=True),
    _prov("四川省", "四川", "51", ("成都市", "5101", "028", "CD"), ("绵阳市", "5107", "0816", "MY")),
    _prov("贵州省", "贵州", "52", ("贵阳市", "5201", "0851", "GY")),
    _prov("云南省", "云南", "53", ("昆明市", "5301", "0871", "KM")),
    _prov("陕西省", "陕西", "61", ("西安市", "6101", "029", "XA"), ("宝鸡市", "6103", "0917", "BJ")),
    _prov("甘肃省", "甘肃", "62", ("兰州市", "6201", "0931", "LZ")),
    _prov("青海省", "青海", "63", ("西宁市", "6301", "0971", "XN")),
    _prov("宁夏回族自治区", "宁夏", "64", ("银川市", "6401", "0951", "YC")),
    _prov("新疆维吾尔自治区", "新疆", "65", ("乌鲁木齐市", "6501", "0991", "WLMQ")),
)  # fmt: skip

# District names: (name, pinyin initials). Each city draws a stable subset (hash of its name), so a
# district always gets the same code. Names ending in 县 are counties and take codes 21+.
_DISTRICT_POOL: tuple[tuple[str, str], ...] = (
    ("瓯江区", "OJ"), ("福湾区", "FW"), ("鹿城区", "LC"), ("江滨区", "JB"), ("湖滨区", "HB"),
    ("城东区", "CD"), ("城西区", "CX"), ("城南区", "CN"), ("城北区", "CB"), ("新城区", "XC"),
    ("高新区", "GX"), ("经开区", "JK"), ("滨海区", "BH"), ("临江区", "LJ"), ("青山区", "QS"),
    ("龙湾区", "LW"), ("白云区", "BY"), ("东湖区", "DH"), ("西湖区", "XH"), ("南湖区", "NH"),
    ("金山区", "JS"), ("银湖区", "YH"), ("长乐区", "CL"), ("永安区", "YA"), ("和平区", "HP"),
    ("海港区", "HG"), ("秀水区", "XS"), ("凤凰区", "FH"), ("天河区", "TH"), ("梅岭区", "ML"),
    ("清溪县", "QX"), ("云和县", "YH"), ("平阳县", "PY"), ("泰顺县", "TS"), ("安康县", "AK"),
    ("永宁县", "YN"), ("石桥县", "SQ"), ("丰乐县", "FL"), ("宁远县", "NY"), ("桃源县", "TY"),
)  # fmt: skip
_DISTRICTS_PER_CITY = 7


@dataclass(frozen=True)
class Region:
    """A place at province, city or district level, with its 6-digit 行政区划代码 and area code."""

    province: str
    province_short: str
    city: str | None
    district: str | None
    code: str
    area_code: str
    abbr: str
    municipality: bool

    @property
    def level(self) -> str:
        return "district" if self.district else "city" if self.city else "province"

    @property
    def name(self) -> str:
        """The place as it opens an organisation name: 浙江省 / 温州市 / 温州市瓯江区 / 北京市海淀区."""
        if self.city is None:
            return self.province
        return self.city + (self.district or "")

    @property
    def city_short(self) -> str:
        city = self.city or self.province
        return city[:-1] if city.endswith("市") else city


def _city_districts(province: _Province, city: _City) -> tuple[tuple[str, str, str], ...]:
    """(district name, abbr, 6-digit code) for a city; stable across runs (sha1 of the city name)."""
    seed = int.from_bytes(hashlib.sha1(city.name.encode()).digest()[:8], "big")
    picked = Random(seed).sample(range(len(_DISTRICT_POOL)), _DISTRICTS_PER_CITY)
    out: list[tuple[str, str, str]] = []
    district_no, county_no = 2, 21
    for index in sorted(picked):
        name, abbr = _DISTRICT_POOL[index]
        if name.endswith("县"):
            if province.municipality:
                continue
            number, county_no = county_no, county_no + 1
        else:
            number, district_no = district_no, district_no + 1
        out.append((name, abbr, f"{city.code}{number:02d}"))
    return tuple(out)


def region(rng: Random, level: str | None = None) -> Region:
    """A random place; ``level`` is ``"province"``, ``"city"``, ``"district"`` or ``None`` (weighted)."""
    province = rng.choice(PROVINCES)
    city = rng.choice(province.cities)
    if level is None:
        level = rng.choices(("province", "city", "district"), weights=(1, 3, 6))[0]
    if level == "province":
        return Region(province.name, province.short, None, None, f"{province.code}0000", city.area_code,
                      province.short, province.municipality)  # fmt: skip
    if level == "city":
        code = f"{province.code}0000" if province.municipality else f"{city.code}00"
        return Region(province.name, province.short, city.name, None, code, city.area_code, city.abbr,
                      province.municipality)  # fmt: skip
    name, abbr, code = rng.choice(_city_districts(province, city))
    return Region(province.name, province.short, city.name, name, code, city.area_code, city.abbr + abbr,
                  province.municipality)  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------------------------------------

_ORG_KINDS = {"11": "机关", "12": "事业单位", "91": "企业", "93": "农民专业合作社"}
_ORGCODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 组织机构代码
_ORGCODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _orgcode_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code (X for 10, 0 for 11)."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORGCODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc(rng: Random, prefix: str, region_code: str) -> str:
    """A valid 18-character USCC: ``prefix`` (11, 12, 91, 93), the 6-digit region code, a 9-character
    organisation code (all-digit ``00xxxxxx`` style for 机关/事业单位 and older firms, ``MA…`` for firms
    registered after 2015) and the GB 32100 check character."""
    if len(prefix) != 2 or len(region_code) != 6 or not region_code.isdigit():
        raise ValueError(f"bad USCC parts: {prefix!r}, {region_code!r}")
    if prefix.startswith("1"):
        body = "00" + "".join(rng.choice("0123456789") for _ in range(6))
    elif rng.random() < 0.7:
        body = "MA" + rng.choice("0123456789") + "".join(rng.choice(_ORGCODE_CHARS) for _ in range(5))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = prefix + region_code + body + _orgcode_check(body)
    check = uscc_check_char(first17)
    if check is None:  # pragma: no cover - the alphabet above is the USCC alphabet
        raise AssertionError(first17)
    assert all(c in USCC_ALPHABET for c in first17)
    return first17 + check


# ---------------------------------------------------------------------------------------------------------
# Buyers (government bodies)
# ---------------------------------------------------------------------------------------------------------

# 机关 (USCC 11). Departments that exist at every level; the district variant of 卫生健康委员会 is 卫生健康局.
_AGENCIES: tuple[str, ...] = (
    "教育局", "卫生健康委员会", "城市管理和综合执法局", "综合行政执法局", "机关事务管理局", "财政局",
    "公安局", "民政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游局", "应急管理局", "市场监督管理局",
    "医疗保障局", "退役军人事务局", "统计局", "审计局", "司法局", "人民政府办公室", "发展和改革委员会",
    "经济和信息化局", "科学技术局", "体育局", "林业局", "信访局", "大数据发展管理局", "人民法院",
    "人民检察院", "档案局", "粮食和物资储备局", "供销合作社联合社", "政务服务管理办公室",
)  # fmt: skip
_PROVINCE_AGENCIES: tuple[str, ...] = (
    "教育厅", "卫生健康委员会", "财政厅", "民政厅", "交通运输厅", "水利厅", "机关事务管理局", "司法厅",
    "生态环境厅", "住房和城乡建设厅", "农业农村厅", "商务厅", "审计厅", "公安厅", "高级人民法院",
)  # fmt: skip
# 事业单位 (USCC 12).
_INSTITUTIONS: tuple[str, ...] = (
    "人民医院", "中医院", "妇幼保健院", "疾病预防控制中心", "急救中心", "公共资源交易中心",
    "不动产登记中心", "信息中心", "城市管理服务中心", "市政设施管理处", "园林绿化管理处",
    "环境卫生管理处", "水库管理处", "图书馆", "文化馆", "博物馆", "档案馆", "社会福利院", "体育中心",
    "青少年活动中心", "融媒体中心", "职业技术学校", "中等职业学校", "实验幼儿园", "机关幼儿园",
    "第一中学", "第二中学", "实验中学", "实验小学", "第一实验小学", "特殊教育学校", "公路管理处",
    "农业技术推广中心", "住房公积金管理中心", "政府投资项目评审中心", "河道管理处",
)  # fmt: skip
_CN_ORDINALS = "一二三四五六七八九十"
_SCHOOL_KINDS = ("小学", "中学", "初级中学", "幼儿园")
_STREET_STEMS: tuple[str, ...] = (
    "五马", "南浦", "东湖", "江北", "城关", "滨江", "新桥", "龙华", "福田", "湖贝", "松台", "双屿",
    "莲池", "东门", "西山", "北苑", "南塘", "梅园", "蒲鞋市", "翠微", "望江", "清河", "金桥", "新华",
)  # fmt: skip


@dataclass(frozen=True)
class Buyer:
    """A government buyer: name, USCC (11 机关 / 12 事业单位), the kind read from the prefix, the place."""

    text: str
    uscc: str
    org_kind: str
    level: str  # province | city | district | street
    department: str
    region: Region


def buyer(rng: Random) -> Buyer:
    """A government body at 省/市/区县/街道 level: 局/委/办, 中心, 学校, 医院, 管理处, 街道办事处."""
    level = rng.choices(("province", "city", "district", "street"), weights=(1, 4, 8, 2))[0]
    reg = region(rng, "district" if level == "street" else level)
    if level == "province":
        dept = rng.choice(_AGENCIES if reg.municipality else _PROVINCE_AGENCIES)  # 北京市教育委员会
        prefix = "11"
    elif level == "street":
        dept = rng.choice(_STREET_STEMS) + "街道办事处"
        prefix = "11"
    elif rng.random() < 0.55:
        dept = rng.choice(_AGENCIES)
        if level == "district" and dept == "卫生健康委员会" and rng.random() < 0.5:
            dept = "卫生健康局"
        prefix = "11"
    else:
        prefix = "12"
        roll = rng.random()
        if roll < 0.15:
            dept = f"第{rng.choice(_CN_ORDINALS)}人民医院"
        elif roll < 0.35:
            stem = rng.choice(_STREET_STEMS + _ROAD_STEMS)
            dept = stem + rng.choice(("路", "")) + rng.choice(_SCHOOL_KINDS)
        else:
            dept = rng.choice(_INSTITUTIONS)
    name = reg.name + dept
    code = uscc(rng, prefix, reg.code)
    return Buyer(name, code, _ORG_KINDS[prefix], level, dept, reg)


# ---------------------------------------------------------------------------------------------------------
# Suppliers
# ---------------------------------------------------------------------------------------------------------

_TRADE_CHARS = (
    "信达华瑞泰恒鑫盛安卓智联鹏通博宏远锦嘉诚德源凯晟越启明辰航创优佳利丰协和众合天正中方新科益康润祥腾汇"
    "海银金云星光景峰骏睿宇昊鼎鸿坤隆兴旺昌永福顺捷迅达美雅绿清泽"
)
_INDUSTRIES: tuple[str, ...] = (
    "物业服务", "物业管理", "信息技术", "保洁服务", "餐饮管理", "建设工程", "安防科技", "环境工程",
    "园林绿化工程", "电子科技", "网络科技", "软件", "智能科技", "医疗器械", "教育科技", "文化传媒",
    "建筑装饰工程", "工程监理", "工程造价咨询", "保安服务", "人力资源", "办公设备", "家具", "印务",
    "市政工程", "水务科技", "数据科技", "环保科技", "后勤服务", "消防工程", "电梯工程", "检测技术",
)  # fmt: skip
_FIRM_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
_COOP_PRODUCTS = ("蔬菜", "果蔬", "茶叶", "粮油", "水产养殖", "家禽养殖", "花卉苗木", "食用菌", "杨梅")
_FIRM_OFFICES = ("会计师事务所", "税务师事务所", "资产评估事务所", "工程咨询事务所")


@dataclass(frozen=True)
class Supplier:
    """A supplier: registered name, USCC (91 企业 / 93 农民专业合作社), industry and legal form."""

    text: str
    uscc: str
    org_kind: str
    industry: str
    form: str  # 有限公司 … | 事务所 | 合作社 | 分公司
    region: Region


def _trade_name(rng: Random) -> str:
    return "".join(rng.sample(_TRADE_CHARS, 2))


def supplier(rng: Random, industries: Sequence[str] | None = None) -> Supplier:
    """有限公司/股份有限公司/有限责任公司/事务所/合作社/分公司, sometimes with an inner （城市） (G5).

    ``industries`` restricts the trade to ones that fit what is bought (a 保洁 contract goes to a 保洁服务
    firm, not a 医疗器械 one)."""
    reg = region(rng, rng.choices(("province", "city", "district"), weights=(3, 5, 2))[0])
    trade = _trade_name(rng)
    roll = rng.random() if industries is None else max(rng.random(), 0.13)
    prefix = "91"
    if roll < 0.06:
        industry = rng.choice(_COOP_PRODUCTS)
        form = "合作社"
        name = f"{reg.name}{trade}{industry}专业合作社"
        prefix = "93"
    elif roll < 0.13:
        industry = rng.choice(_FIRM_OFFICES)
        form = "事务所"
        suffix = rng.choice(("（特殊普通合伙）", "有限公司", "（普通合伙）", ""))
        name = f"{reg.name}{trade}{industry}{suffix}"
    else:
        industry = rng.choice(industries or _INDUSTRIES)
        form = rng.choice(_FIRM_FORMS)
        if roll < 0.25:  # 浙江瓯信（温州）科技有限公司
            branch_city = region(rng, "city")
            name = f"{reg.province_short}{trade}（{branch_city.city_short}）{industry}{form}"
        elif roll < 0.40:
            name = f"{trade}{industry}{form}"  # no place word (national-registry style)
        else:
            name = f"{reg.name}{trade}{industry}{form}"
        if roll > 0.93:  # branch of a firm registered elsewhere: code of the branch's own city
            branch = region(rng, "city")
            name += f"{branch.city_short}分公司"
            form, reg = "分公司", branch
    return Supplier(name, uscc(rng, prefix, reg.code), _ORG_KINDS[prefix], industry, form, reg)


# ---------------------------------------------------------------------------------------------------------
# People, addresses, phones, banks
# ---------------------------------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "司徒", "皇甫", "令狐", "端木")
_GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌宇浩凯健俊帆帅旭宁晓婷欣怡子涵梓轩"
    "雨琪思远志国建文海燕佳慧一凡晨曦嘉诚雪梅春林立新建华晓东小龙光辉振宇天佑若曦可馨"
)


@dataclass(frozen=True)
class Person:
    text: str
    surname: str
    given: str


def person_name(rng: Random) -> Person:
    """A Chinese personal name: 2–3 characters, about 3% with a two-character surname."""
    surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(_SURNAMES)
    size = 1 if rng.random() < 0.3 else 2
    given = "".join(rng.choice(_GIVEN_CHARS) for _ in range(size))
    return Person(surname + given, surname, given)


_ROAD_STEMS: tuple[str, ...] = (
    "人民", "解放", "中山", "建设", "江滨", "学院", "车站", "新华", "环城", "滨海", "望江", "南塘", "湖贝",
    "锦绣", "学府", "文化", "体育", "府前", "世纪", "科技", "创业", "兴业", "东风", "和平", "长江", "黄河",
)  # fmt: skip
_ROAD_KINDS = ("路", "路", "大道", "街", "大街", "东路", "西路", "南路", "北路")
_BUILDINGS = ("行政中心", "财富中心", "科技大厦", "国际大厦", "商务中心", "金融广场", "创业园", "产业园")


@dataclass(frozen=True)
class Address:
    text: str
    region: Region


def district_within(rng: Random, reg: Region) -> Region:
    """A district of ``reg``'s city (or of one of its province's cities when ``reg`` is a province)."""
    if reg.district:
        return reg
    province = next(p for p in PROVINCES if p.name == reg.province)
    city = next((c for c in province.cities if c.name == reg.city), None) or rng.choice(province.cities)
    name, abbr, code = rng.choice(_city_districts(province, city))
    return Region(province.name, province.short, city.name, name, code, city.area_code, city.abbr + abbr,
                  province.municipality)  # fmt: skip


def postal_address(rng: Random, reg: Region | None = None) -> Address:
    """省/市/区/路/号 + optional building, floor and room (浙江省温州市瓯江区江滨路88号行政中心3号楼501室).

    The address lies in ``reg`` (a district of it when ``reg`` is a city or province)."""
    reg = district_within(rng, reg) if reg is not None else region(rng, "district")
    head = reg.city or reg.province
    if not reg.municipality and rng.random() < 0.6:
        head = reg.province + head
    road = rng.choice(_ROAD_STEMS) + rng.choice(_ROAD_KINDS)
    text = f"{head}{reg.district or ''}{road}{rng.randint(1, 999)}号"
    roll = rng.random()
    if roll < 0.35:
        text += (
            f"{rng.choice(_BUILDINGS)}{rng.randint(1, 9)}号楼{rng.randint(1, 20)}{rng.randint(1, 30):02d}室"
        )
    elif roll < 0.55:
        text += f"{rng.choice(_BUILDINGS)}{rng.randint(2, 30)}楼"
    elif roll < 0.75:
        text += f"{rng.randint(1, 12)}{rng.choice(('幢', '栋'))}{rng.randint(1, 6)}0{rng.randint(1, 9)}室"
    return Address(text, reg)


@dataclass(frozen=True)
class Phone:
    text: str
    canonical: str
    kind: str  # mobile | landline
    extension: str | None


_MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "158",
                    "159", "166", "177", "180", "181", "186", "187", "188", "189", "199")  # fmt: skip


def phone(rng: Random, area_code: str | None = None, kind: str | None = None) -> Phone:
    """A mobile (13800571234, 139 5770 0123, 139-5770-0123) or landline number with the area code of the
    place (0577-88990011, (0577)88990011, 0577 8899 0011, optionally 转8001 / -8001)."""
    kind = kind or rng.choice(("mobile", "landline"))
    if kind == "mobile":
        digits = rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
        style = rng.randrange(4)
        text = (
            digits,
            f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
            f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}",
        )[style]
        return Phone(text, digits, "mobile", None)
    area = area_code or region(rng, "city").area_code
    local = rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(7))
    style = rng.randrange(5)
    text = (
        f"{area}-{local}",
        f"{area}{local}",
        f"({area}){local}",
        f"（{area}）{local}",
        f"{area} {local[:4]} {local[4:]}",
    )[style]
    extension = None
    if rng.random() < 0.2:
        extension = str(rng.randint(100, 9999))
        text += rng.choice(("转", "-", "转")) if style == 0 else "转"
        text += extension
    return Phone(text, area + local, "landline", extension)


_BANKS = (
    "中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "招商银行", "浙商银行",
    "兴业银行", "中信银行", "上海浦东发展银行", "中国民生银行", "中国光大银行", "平安银行", "华夏银行",
    "中国邮政储蓄银行",
)  # fmt: skip


@dataclass(frozen=True)
class BankAccount:
    bank_name: str
    text: str  # the account number as written
    digits: str


def bank_account(rng: Random, reg: Region | None = None) -> BankAccount:
    """开户银行 (总行 + 分行/支行 of the place) and an account number (16–22 digits, sometimes grouped)."""
    reg = district_within(rng, reg) if reg is not None else region(rng, "district")
    city = reg.city_short
    roll = rng.random()
    if roll < 0.15:
        bank = f"{city}农村商业银行股份有限公司{rng.choice(_ROAD_STEMS)}支行"
    elif roll < 0.25:
        bank = f"{city}银行{(reg.district or '')[:-1]}支行"
    else:
        bank = rng.choice(_BANKS)
        branch = rng.choice((f"{city}{(reg.district or '')[:-1]}支行", f"{city}分行营业部",
                             f"{city}{rng.choice(_ROAD_STEMS)}支行", f"{reg.city}分行"))  # fmt: skip
        bank += ("股份有限公司" if rng.random() < 0.2 else "") + branch
    digits = rng.choice("1234689") + "".join(
        rng.choice("0123456789") for _ in range(rng.choice((15, 18, 19, 21)))
    )
    text = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4)) if rng.random() < 0.3 else digits
    return BankAccount(bank, text, digits)


# ---------------------------------------------------------------------------------------------------------
# Contract and project numbers
# ---------------------------------------------------------------------------------------------------------

_DEPT_SHORT = ("教", "卫健", "城管", "财", "机管", "住建", "交", "水", "民", "文旅", "公", "医保", "执法")
_DEPT_ABBR = ("JY", "WJ", "CG", "CZ", "JG", "ZJ", "JT", "SL", "MZ", "WL", "GA", "YB", "ZF", "FW", "JS")
_KIND_ABBR = ("FW", "HW", "GC")
_BRACKETS = (("〔", "〕"), ("[", "]"), ("（", "）"), ("【", "】"))


@dataclass(frozen=True)
class CodeValue:
    """A contract or project number; ``value`` is the code as written (it is an identifier)."""

    text: str
    shape: str
    year: int

    @property
    def value(self) -> str:
        return self.text


def _seq(rng: Random, width: int) -> str:
    return f"{rng.randint(1, 10 ** (width - 1) * 3):0{width}d}"


def contract_number(rng: Random, reg: Region | None = None, year: int | None = None) -> CodeValue:
    """OJJY-FW-2025-017, 福卫健合〔2025〕第036号, HT-WZ-20250318-02, 温财采〔2025〕118号 …"""
    reg = reg or region(rng, "district")
    year = year or rng.randint(2022, 2026)
    shape = rng.choice(("dash", "bracket", "bracket_no_di", "ht_date", "compact"))
    if shape == "dash":
        text = f"{reg.abbr}{rng.choice(_DEPT_ABBR)}-{rng.choice(_KIND_ABBR)}-{year}-{_seq(rng, 3)}"
    elif shape in ("bracket", "bracket_no_di"):
        left, right = rng.choice(_BRACKETS)
        place = (reg.district or reg.city_short)[0]
        di = "第" if shape == "bracket" else ""
        text = f"{place}{rng.choice(_DEPT_SHORT)}{rng.choice(('合', '采', '服'))}{left}{year}{right}{di}"
        text += f"{_seq(rng, 3)}号"
    elif shape == "ht_date":
        day = _dt.date(year, 1, 1) + _dt.timedelta(days=rng.randrange(365))
        text = f"HT-{reg.abbr}-{day:%Y%m%d}-{_seq(rng, 2)}"
    else:
        text = f"{reg.abbr}HT{year}{_seq(rng, 4)}"
    return CodeValue(text, shape, year)


def project_number(rng: Random, reg: Region | None = None, year: int | None = None) -> CodeValue:
    """WZOJ2025-G-0142, SZFW-ZB-2025-0088, ZFCG-2025-0142, 330302-2025-00123, [2025]-JY-012 …"""
    reg = reg or region(rng, "district")
    year = year or rng.randint(2022, 2026)
    shape = rng.choice(("letter", "zb", "zfcg", "region", "plan"))
    if shape == "letter":
        text = f"{reg.abbr}{year}-{rng.choice('GFHCZ')}-{_seq(rng, 4)}"
    elif shape == "zb":
        text = f"{reg.abbr}-{rng.choice(('ZB', 'CG', 'JZ', 'XJ'))}-{year}-{_seq(rng, 4)}"
    elif shape == "zfcg":
        text = f"ZFCG-{reg.abbr}-{year}-{_seq(rng, 4)}"
    elif shape == "region":
        text = f"{reg.code}-{year}-{_seq(rng, 5)}"
    else:
        text = f"{reg.city_short}政采计〔{year}〕{_seq(rng, 5)}号"
    return CodeValue(text, shape, year)


# ---------------------------------------------------------------------------------------------------------
# Amounts (spec A.4.1)
# ---------------------------------------------------------------------------------------------------------

AMOUNT_STYLES: tuple[str, ...] = (
    "upper", "upper_rmb", "upper_yuan_round",
    "plain", "plain_yuan", "yen", "yen_yuan", "rmb_word", "rmb_latin", "wan", "rmb_wan", "fullwidth",
)  # fmt: skip
_LOWER_STYLES = AMOUNT_STYLES[3:]


@dataclass(frozen=True)
class Amount:
    text: str
    value: Decimal  # yuan, 2 decimal places
    form: str  # upper | lower
    style: str


def amount_value(rng: Random, low: int = 5_000, high: int = 5_000_000) -> Decimal:
    """A realistic contract amount in yuan: mostly round (to 10 000, 1 000 or 100), sometimes with cents."""
    raw = Decimal(rng.randint(low, high))
    roll = rng.random()
    step = Decimal(10_000 if roll < 0.35 else 1_000 if roll < 0.6 else 100 if roll < 0.8 else 1)
    value = max(step, (raw / step).to_integral_value() * step)
    if roll >= 0.9:
        value += Decimal(rng.randint(1, 99)) / 100
    return value.quantize(_CENT)


def to_fullwidth(text: str) -> str:
    """ASCII digits and ``.,%`` -> full-width (１２０．５０); other characters unchanged."""
    return text.translate({cp: cp + 0xFEE0 for cp in b"0123456789.,%"})


def amount_upper(rng: Random, value: Decimal, style: str | None = None) -> Amount:
    """大写 amount via :func:`amount_to_upper`: 壹佰贰拾万元整, 人民币…, or 圆整 instead of 元整."""
    style = style or rng.choice(AMOUNT_STYLES[:3])
    text = amount_to_upper(value)
    if style == "upper_yuan_round":
        if not text.endswith("元整"):
            style = "upper"
        text = text[:-2] + "圆整" if text.endswith("元整") else text
    elif style == "upper_rmb":
        text = "人民币" + text
    return Amount(text, value.quantize(_CENT), "upper", style)


def _grouped(value: Decimal, decimals: bool, thousands: bool) -> str:
    text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    return text if decimals else text[:-3]


def amount_lower(rng: Random, value: Decimal, style: str | None = None) -> Amount:
    """小写 amount: 1200000, 1,200,000.00元, ¥/￥…, 人民币…元, RMB …, 120万元, full-width digits.

    万元 styles are used only when the value is a whole number of hundreds (so ``value / 10000`` has at most
    two decimals, 12.5万元); otherwise the style falls back to ``yen``. Decimals are dropped only for whole
    yuan.
    """
    value = value.quantize(_CENT)
    style = style or rng.choice(_LOWER_STYLES)
    whole = value == value.to_integral_value()
    if style in ("wan", "rmb_wan", "fullwidth") and value % 100 != 0:
        style = "yen"
    decimals = not whole or rng.random() < 0.6
    thousands = rng.random() < 0.7
    number = _grouped(value, decimals, thousands)
    if style == "plain":
        text = number
    elif style == "plain_yuan":
        text = number + rng.choice(("元", "元", "元整"))
    elif style in ("yen", "yen_yuan"):
        text = rng.choice("¥￥") + number + ("元" if style == "yen_yuan" else "")
    elif style == "rmb_word":
        text = "人民币" + number + "元"
    elif style == "rmb_latin":
        text = "RMB" + rng.choice(("", " ")) + number
    else:
        wan = format((value / 10_000).normalize(), "f")
        text = ("人民币" if style == "rmb_wan" else "") + wan + "万元"
        if style == "fullwidth":
            text = to_fullwidth(wan) + "万元" if rng.random() < 0.5 else "￥" + to_fullwidth(number)
    return Amount(text, value, "lower", style)


def amount_pair(rng: Random, value: Decimal | None = None) -> tuple[Amount, Amount]:
    """A matched (大写, 小写) pair for the same value, as in 合同总价 clauses."""
    value = value if value is not None else amount_value(rng)
    return amount_upper(rng, value), amount_lower(rng, value)


# ---------------------------------------------------------------------------------------------------------
# Dates (spec A.4.2)
# ---------------------------------------------------------------------------------------------------------

DATE_STYLES: tuple[str, ...] = ("cn", "cn_padded", "cn_hao", "cn_numeral", "iso", "slash", "dot", "month")
_YEAR_DIGITS = ("〇一二三四五六七八九", "零一二三四五六七八九")


@dataclass(frozen=True)
class DateValue:
    text: str
    value: _dt.date  # first of the month for month precision
    precision: str  # day | month
    style: str

    @property
    def iso(self) -> str:
        return self.value.isoformat() if self.precision == "day" else f"{self.value:%Y-%m}"


def _cn_small(number: int) -> str:
    return str(cn2an.an2cn(number))


def date_value(
    rng: Random,
    start: _dt.date = _dt.date(2023, 1, 1),
    end: _dt.date = _dt.date(2027, 12, 31),
    style: str | None = None,
    day: _dt.date | None = None,
) -> DateValue:
    """A date in ``[start, end]`` (or ``day``) in one of :data:`DATE_STYLES`:
    2025年3月18日, 2025年03月18日, 2025年3月18号, 二〇二五年三月十八日, 2025-03-18, 2025/3/18, 2025.3.18,
    2025年3月 (month precision)."""
    day = day or start + _dt.timedelta(days=rng.randint(0, (end - start).days))
    style = style or rng.choice(DATE_STYLES)
    y, m, d = day.year, day.month, day.day
    pad = rng.random() < 0.5
    if style == "cn":
        text = f"{y}年{m}月{d}日"
    elif style == "cn_padded":
        text = f"{y}年{m:02d}月{d:02d}日"
    elif style == "cn_hao":
        text = f"{y}年{m}月{d}号"
    elif style == "cn_numeral":
        digits = rng.choice(_YEAR_DIGITS)
        text = "".join(digits[int(c)] for c in str(y)) + f"年{_cn_small(m)}月{_cn_small(d)}日"
    elif style == "iso":
        text = day.isoformat()
    elif style in ("slash", "dot"):
        sep = "/" if style == "slash" else "."
        text = f"{y}{sep}{m:02d}{sep}{d:02d}" if pad else f"{y}{sep}{m}{sep}{d}"
    elif style == "month":
        text = f"{y}年{m}月"
        return DateValue(text, day.replace(day=1), "month", style)
    else:
        raise ValueError(f"unknown date style {style!r}")
    return DateValue(text, day, "day", style)


# ---------------------------------------------------------------------------------------------------------
# Periods (spec A.4.3)
# ---------------------------------------------------------------------------------------------------------

_PERIOD_CHOICES: tuple[tuple[str, tuple[int, ...], tuple[str, ...]], ...] = (
    ("day", (3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 365),
     ("日", "天", "日历天", "个日历日", "个自然日")),
    ("workday", (3, 5, 7, 10, 15, 20, 30), ("个工作日", "工作日")),
    ("week", (1, 2, 3, 4), ("周", "个星期")),
    ("month", (1, 2, 3, 6, 12, 18, 24, 36), ("个月",)),
    ("year", (1, 2, 3, 5), ("年",)),
    ("hour", (2, 4, 8, 12, 24, 48, 72), ("小时",)),
)  # fmt: skip
_BOUND_WORDS = {"": "exact", "内": "within", "以内": "within", "之内": "within", "后": "after"}


@dataclass(frozen=True)
class Period:
    text: str
    value: int
    unit: str  # day | workday | week | month | year | hour (as normalize_period reports it)
    bound: str  # within | after | exact


def _count_text(rng: Random, number: int, unit: str) -> str:
    if rng.random() < 0.5:
        return str(number)
    if number == 2 and unit in ("week", "month", "year") and rng.random() < 0.6:
        return "两"
    return _cn_small(number)


_APPROX_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 0}


def _approx_days(number: int, unit: str) -> int:
    """Calendar days as spec A.4.3 approximates them (workday → ceil(n × 7 / 5))."""
    return -(-number * 7 // 5) if unit == "workday" else number * _APPROX_DAYS[unit]


def period(
    rng: Random, unit: str | None = None, bound: str | None = None, max_days: int | None = None
) -> Period:
    """30日内, 十五个工作日内, 三个月, 一年, 两周, 180日历天, 24小时内, 半年 … with value, unit and bound.

    ``bound`` is ``"within"``, ``"after"``, ``"exact"`` or ``None`` (random; 内/以内/之内 most often).
    ``max_days`` keeps only periods of at most that many (approximate) calendar days.
    """
    choices = [
        (name, kept, words)
        for name, numbers, words in _PERIOD_CHOICES
        if (unit is None or name == unit)
        and (kept := tuple(n for n in numbers if max_days is None or _approx_days(n, name) <= max_days))
    ]
    if not choices:
        raise ValueError(f"no period of unit {unit!r} within {max_days} days")
    unit_name, numbers, words = rng.choice(choices)
    if bound is None:
        suffix = rng.choice(("", "内", "内", "以内", "之内", "后"))
    else:
        fixed = {"exact": "", "after": "后"}.get(bound)
        suffix = fixed if fixed is not None else rng.choice(("内", "以内", "之内"))
    if unit_name == "month" and (max_days is None or max_days >= 180) and rng.random() < 0.1:
        return Period("半年" + suffix, 6, "month", _BOUND_WORDS[suffix])
    number = rng.choice(numbers)
    text = _count_text(rng, number, unit_name) + rng.choice(words) + suffix
    return Period(text, number, unit_name, _BOUND_WORDS[suffix])


# ---------------------------------------------------------------------------------------------------------
# Rates (spec A.4.4)
# ---------------------------------------------------------------------------------------------------------

RATE_STYLES: tuple[str, ...] = ("percent", "permille", "cn_percent", "cn_permille", "cn_permyriad")
_RATE_DENOMS = {
    "percent": 100,
    "permille": 1000,
    "cn_percent": 100,
    "cn_permille": 1000,
    "cn_permyriad": 10000,
}


@dataclass(frozen=True)
class Rate:
    text: str
    fraction: Decimal
    style: str


def _decimal_cn(number: Decimal) -> str:
    """Chinese reading of a non-negative decimal: 30 -> 三十, 0.5 -> 零点五, 1.5 -> 一点五."""
    whole, _, frac = format(number.normalize(), "f").partition(".")
    head = _cn_small(int(whole)) if int(whole) else "零"
    return head + ("点" + "".join("零一二三四五六七八九"[int(c)] for c in frac) if frac else "")


def rate_text(rng: Random, fraction: Decimal, style: str | None = None) -> Rate:
    """The surface of a given fraction: 10%, 0.5‰, 百分之三十, 千分之一, 万分之五 …"""
    style = style or rng.choice(RATE_STYLES)
    number = (fraction * _RATE_DENOMS[style]).normalize()
    num = format(number, "f")
    if style == "percent":
        text = num + ("%" if rng.random() < 0.85 else "％")
    elif style == "permille":
        text = num + "‰"
    else:
        text = {"cn_percent": "百", "cn_permille": "千", "cn_permyriad": "万"}[style] + "分之"
        text += _decimal_cn(number)
    return Rate(text, fraction, style)


def rate(rng: Random, kind: str | None = None) -> Rate:
    """A realistic rate: ``penalty`` (万分之五, 0.3%, 千分之一 per day), ``payment`` (30%, 百分之九十五),
    ``bond`` (5%, 3%), ``tax`` (6%, 9%, 13%) or ``cap`` (10%, 20%); ``None`` picks a kind."""
    kind = kind or rng.choice(("penalty", "payment", "bond", "tax", "cap"))
    if kind == "penalty":
        fraction, style = rng.choice(
            (
                (Decimal("0.0005"), rng.choice(("cn_permyriad", "permille", "percent"))),
                (Decimal("0.0003"), rng.choice(("cn_permyriad", "permille"))),
                (Decimal("0.001"), rng.choice(("cn_permille", "permille", "percent"))),
                (Decimal("0.003"), rng.choice(("percent", "cn_permille", "permille"))),
                (Decimal("0.005"), rng.choice(("percent", "permille", "cn_permille"))),
                (Decimal("0.01"), rng.choice(("percent", "cn_percent"))),
            )
        )
    elif kind == "payment":
        fraction = Decimal(rng.choice((10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97))) / 100
        style = rng.choice(("percent", "percent", "cn_percent"))
    elif kind == "bond":
        fraction = Decimal(rng.choice((2, 3, 5, 10))) / 100
        style = rng.choice(("percent", "percent", "cn_percent"))
    elif kind == "tax":
        fraction = Decimal(rng.choice((1, 3, 6, 9, 13))) / 100
        style = "percent"
    elif kind == "cap":
        fraction = Decimal(rng.choice((5, 10, 15, 20, 30))) / 100
        style = rng.choice(("percent", "cn_percent"))
    else:
        raise ValueError(f"unknown rate kind {kind!r}")
    return rate_text(rng, fraction, style)


# ---------------------------------------------------------------------------------------------------------
# Payment schedules
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Installment:
    """One installment. ``ratio`` is its own share; ``cumulative_ratio`` the share paid once it is paid;
    ``rate`` is the ratio as written (the cumulative one in 支付至 form)."""

    name: str
    ratio: Decimal
    cumulative_ratio: Decimal
    amount: Amount
    rate: Rate


@dataclass(frozen=True)
class PaymentSchedule:
    total: Decimal
    installments: tuple[Installment, ...]
    cumulative: bool  # True: ratios written as 支付至合同总价的95%


# (installment names, percentages) templates; the last 质保金 share is drawn separately where marked -1.
_SCHEDULES: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...] = (
    (("预付款", "尾款"), (30, 70)),
    (("预付款", "验收款"), (50, 50)),
    (("验收款", "质保金"), (95, -1)),
    (("预付款", "验收款", "质保金"), (30, 65, -1)),
    (("首付款", "进度款", "尾款"), (40, 30, 30)),
    (("预付款", "中期款", "验收款"), (30, 40, 30)),
    (("预付款", "进度款", "验收款", "质保金"), (30, 30, 35, -1)),
    (("预付款", "进度款", "验收款", "质保金"), (20, 50, 25, -1)),
    (("第一期款", "第二期款", "第三期款", "第四期款"), (25, 25, 25, 25)),
    (("预付款", "第一期进度款", "第二期进度款", "验收款", "质保金"), (20, 20, 30, 25, -1)),
    (("首期款", "第二期款", "第三期款", "第四期款", "尾款"), (30, 20, 20, 20, 10)),
)  # fmt: skip


def payment_schedule(
    rng: Random, total: Decimal | None = None, cumulative: bool | None = None, max_retention: int = 5
) -> PaymentSchedule:
    """2–5 installments whose ratios sum to exactly 1 and whose amounts sum exactly to ``total``.

    Each installment amount is ``total × ratio`` rounded half-up to the cent; the last one takes the
    remainder, so the cent-exact sum always holds. A 质保金 share is 3% or 5%, at most ``max_retention``
    percent (works contracts: 3%, 建质〔2017〕138号); the preceding installment absorbs the difference.
    The cumulative form writes each ratio as the running total (支付至95%).
    """
    total = (total if total is not None else amount_value(rng, 50_000, 5_000_000)).quantize(_CENT)
    names, shares = rng.choice(_SCHEDULES)
    percents = list(shares)
    if percents[-1] == -1:
        warranty = rng.choice(tuple(p for p in (3, 5, 5) if p <= max_retention) or (max_retention,))
        percents[-1] = warranty
        percents[-2] += 5 - warranty
    assert sum(percents) == 100, (names, percents)
    cumulative = cumulative if cumulative is not None else rng.random() < 0.3
    ratios = [Decimal(p) / 100 for p in percents]
    amounts = [(total * r).quantize(_CENT, rounding=ROUND_HALF_UP) for r in ratios[:-1]]
    amounts.append(total - sum(amounts, Decimal(0)))
    style = rng.choice(("percent", "percent", "cn_percent"))
    items: list[Installment] = []
    running = Decimal(0)
    for name, ratio, amount in zip(names, ratios, amounts, strict=True):
        running += ratio
        shown = running if cumulative else ratio
        items.append(
            Installment(name, ratio, running, amount_lower(rng, amount), rate_text(rng, shown, style))
        )
    return PaymentSchedule(total, tuple(items), cumulative)


# ---------------------------------------------------------------------------------------------------------
# Layout noise (spec A.5 item 22): artefacts stay inside the span
# ---------------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------------
# Figures that are not spans


def figures(rng: Random) -> dict[str, str]:
    """Numbers a contract prints that no label covers: hours of service, head counts, areas, quantities,
    standard numbers. Templates use them as plain slots, so the model learns that digits are not by
    themselves an amount or a date (an early model read ``19:00`` as a total price)."""
    start, end = rng.choice(((7, 19), (8, 17), (8, 18), (9, 17), (6, 22), (7, 21), (8, 20)))
    minute_start, minute_end = rng.choice((("00", "00"), ("30", "30"), ("00", "30"), ("30", "00")))
    hours = rng.choice(
        (
            f"{start}:{minute_start}至{end}:{minute_end}",
            f"{start}:{minute_start}-{end}:{minute_end}",
            f"{start}时至{end}时",
            f"上午{start}:{minute_start}至下午{end - 12}:{minute_end}",
            f"{start:02d}:{minute_start}—{end:02d}:{minute_end}",
        )
    )
    standard = rng.choice(
        (
            f"GB/T {rng.randint(2000, 39999)}-{rng.randint(2006, 2024)}",
            f"GB {rng.randint(5000, 55999)}-{rng.randint(2008, 2023)}",
            f"JGJ {rng.randint(10, 400)}-{rng.randint(2010, 2022)}",
            "GB/T 19001-2016",
        )
    )
    area = rng.choice((f"{rng.randint(1, 90)},{rng.randint(0, 999):03d}", str(rng.randint(200, 9999))))
    return {
        "hours": hours,
        "headcount": f"{rng.randint(2, 60)}{rng.choice(('名', '人', '名'))}",
        "area": area + rng.choice(("平方米", "㎡", "平方米")),
        "quantity": f"{rng.randint(2, 800)}{rng.choice(('台', '套', '件', '批', '辆', '个'))}",
        "standard": standard,
        "ordinal": str(rng.randint(2, 30)),
    }


def mix_fullwidth_digits(text: str, rng: Random, probability: float = 0.5) -> str:
    """Turn each ASCII digit into its full-width form with ``probability`` (2０25 → mixed widths)."""
    return "".join(
        to_fullwidth(c) if c.isascii() and c.isdigit() and rng.random() < probability else c for c in text
    )


def insert_stray_spaces(text: str, rng: Random, max_spaces: int = 2) -> str:
    """Insert 1–``max_spaces`` runs of one or more spaces strictly inside ``text`` (never at either end, so
    the span's boundaries do not move): ``15  日 内``, ``千分之    一``. Texts shorter than 2 are returned
    unchanged."""
    if len(text) < 2 or max_spaces < 1:
        return text
    gaps = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(1, max_spaces))))
    out: list[str] = []
    previous = 0
    for gap in gaps:
        out.append(text[previous:gap])
        out.append(" " * rng.choice((1, 1, 2, 4)))
        previous = gap
    out.append(text[previous:])
    return "".join(out)
