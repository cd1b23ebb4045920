"""Fill the blanks of the corpus's contract templates with generated values and emit gold ENT spans.

Source: every template of ``../shared/corpus/contracts_index.tsv`` whose ``doc_kind`` is ``contract`` or
``contract_section_of_tender_doc`` (the contract sections cut out of tender documents); forms, terms of
service and securities documents are skipped. The corpus is read in place and never copied.

:func:`find_blanks` finds the blanks of a template — underline runs (``＿＿``, ``__``), runs of spaces after
a field label (``甲方:　　　　``, ``乙方：        （以下简称…``), date blanks (``＿＿年＿＿月＿＿日``,
``    年  月  日``), 上海政采云 placeholders (``[合同中心-采购单位名称]``), ``${clientName}`` placeholders
and 大写 amount blanks (``（大写）人民币        元``) — and decides which field each one is, from the
placeholder name or from the label to its left on the same line. :func:`fill_template` replaces every
blank whose field is known with a value from :mod:`training.values` (one buyer and one supplier per
document, each person, address, phone and bank reused per side, so every mention of a value agrees) and
returns a :class:`~hetong.schema.Document` whose ENT spans are computed while the text is rebuilt.

See :data:`DATA_CARD_NOTES` for exactly what is and is not labeled in this source.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from random import Random

from hetong.boundaries import check_ent_span
from hetong.schema import Document, Span
from training import values as V

__all__ = [
    "BLANK_KINDS",
    "DATA_CARD_NOTES",
    "Blank",
    "corpus_templates",
    "fill_template",
    "find_blanks",
    "printed_spans",
]

DATA_CARD_NOTES = """\
Source `template_fill` (corpus contract templates with generated values in their blanks).

Labeled (gold, exact offsets computed while filling):
- filled blanks whose field is decided from a placeholder name (`${clientName}`, `[合同中心-合同总价大写]`)
  or from the label left of the blank on the same line: PARTY_A/PARTY_B/PARTY_C (only where the line
  designates 甲/乙/丙, spec A.5 item 1; 出租方/承包人/买方/卖方… lines give PARTY), LEGAL_REP, AUTH_REP,
  CONTACT, ADDRESS, PHONE, BANK_NAME, BANK_ACCT, USCC, CONTRACT_NO, PROJECT_NO, TERM, dates (DATE_SIGN in
  signing lines and signature blocks, DATE_START/DATE_END in 自…至…, else DATE_OTHER), amounts
  (AMT_TOTAL_UPPER/LOWER next to 合同总价/合同金额/总价款…, AMT_DEPOSIT/PERF_BOND/WARRANTY/PENALTY by
  keyword), rates in `＿＿%` blanks (RATE_PENALTY near 违约金/滞纳金, RATE_PAYMENT near 支付/付款,
  RATE_TAX, RATE_BOND, else RATE_OTHER), periods in `＿＿日内` blanks (number + unit + 内, PERIOD or
  PERIOD_WARRANTY), `＿＿仲裁委员会` (ARB_BODY) and `＿＿人民法院` (COURT);
- printed values, by rule: percentages and 千分之/万分之 rates in a sentence that mentions exactly one of
  违约金/滞纳金 (RATE_PENALTY) or 支付/付款 (RATE_PAYMENT) and no bond, tax or cap word; printed
  `N日内`/`N个工作日内`/`N个月内` periods (PERIOD; skipped near 质保/保修); printed party names on a
  `甲方：X` / `乙方（…）：X` header line when X ends in an organisation suffix (局, 处, 中心, 公司 …).

Not labeled (the text may contain such values untagged, so do not treat this source as exhaustive):
- printed values other than the above: printed addresses, people, phones, banks, dates, amounts,
  printed party names not on a 甲/乙/丙 line, contract names and titles, PERF_PLACE, TAX_LOCATION;
- blanks whose field is unknown (left as they are: 国籍, 邮编, 传真, 职务, digit-by-digit amount blanks
  `＿亿＿千＿百…`, free-text blanks), and empty `label：` fields with nothing after the colon;
- CL spans and clause-unit types: `cl` and `units` are empty and `meta["types_labeled"]` is False.
"""

BLANK_KINDS = (
    "underline",
    "fullwidth_spaces",
    "spaces",
    "date_blank",
    "placeholder_bracket",
    "placeholder_dollar",
    "amount_blank",
)


@dataclass(frozen=True, slots=True)
class Blank:
    """A template blank ``[start, end)``; ``field`` is an ENT label (or None when unknown), ``side`` the
    party it belongs to (``A``/``B``/``C`` or None), ``name`` a placeholder's name."""

    start: int
    end: int
    kind: str
    field: str | None
    side: str | None = None
    name: str | None = None


# ---------------------------------------------------------------------------------------------------------
# Blank detection
# ---------------------------------------------------------------------------------------------------------

_DOLLAR = re.compile(r"\$\{(\w+)\}")
_BRACKET = re.compile(r"\[合同中心-([^\]\n]+)\]")
_DIGITS = "0-9０-９〇零一二三四五六七八九十"
_DATE = re.compile(
    rf"(?<![{_DIGITS}＿_])(?P<y>[＿_]{{2,}}|[ 　]{{2,}}|)年(?P<m>[＿_]+|[ 　]+)月(?P<d>[＿_]+|[ 　]+)[日号]"
)
_UNDERLINE = re.compile(r"[＿_]{2,}")
_AMOUNT_SPACES = re.compile(r"大写[）)]?[：:]?(?:人民币)?(?P<b>[ 　]{2,})(?=[元圆])")
_SPACES = re.compile(r"(?<=[：:])(?P<b>[ 　]{2,})(?=\n|$|[（(]|[^\s：:]{1,8}[：:])")

_BUYER_WORDS = ("甲方", "买方", "需方", "采购人", "采购方", "采购单位", "发包人", "发包方", "委托方",
                "委托人", "出租方", "出租人", "定作方", "业主")  # fmt: skip
_SUPPLIER_WORDS = ("乙方", "卖方", "供方", "供应商", "承包人", "承包方", "受托方", "受托人", "承租方",
                   "承租人", "承揽方", "中标人", "成交人")  # fmt: skip
_ROLE = re.compile("|".join(sorted(_BUYER_WORDS + _SUPPLIER_WORDS + ("丙方",), key=len, reverse=True)))
_DESIGNATION = re.compile(r"[甲乙丙]方")
_LABEL_END = re.compile(r"[：:]\s*$")

# (pattern on the label left of the blank, field); first match wins; None = known field we do not tag.
_LABEL_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(p), f)
    for p, f in (
        (r"传真|邮编|邮政编码|信箱|邮箱|E-?mail|国籍|职务|电报|电传|身份证|护照", None),
        (r"联系编码|签.?地点|户名|账户名称|性别", None),
        (r"统一社会信用代码|营业执照", "USCC"),
        (r"开户银行|开户行", "BANK_NAME"),
        (r"账号|帐号|银行账户", "BANK_ACCT"),
        (r"本人", None),
        (r"法定代表|法人代表|负责人|^签字|^签名", "LEGAL_REP"),
        (r"委托代理人|授权代表|代理人", "AUTH_REP"),
        (r"联系人", "CONTACT"),
        (r"电话|手机", "PHONE"),
        (r"地址|住所", "ADDRESS"),
        (r"合同编号|合同统一编号|合同号", "CONTRACT_NO"),
        (r"项目编号|招标编号|采购编号", "PROJECT_NO"),
        (r"签订日期|签订时间|签字时间|签约时间|签署日期|签约日期", "DATE_SIGN"),
    )
)  # fmt: skip

_DOLLAR_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "clientName": ("PARTY", "A"), "trusteeClient": ("PARTY", "B"), "trusteeAccName": ("PARTY", "B"),
    "clientAddress": ("ADDRESS", "A"), "trusteeAddr": ("ADDRESS", "B"), "contactName": ("CONTACT", "A"),
    "inputUser": ("CONTACT", "B"), "contactPhone": ("PHONE", "A"), "cellphone": ("PHONE", "B"),
    "clientCorporate": ("LEGAL_REP", "A"), "contractNo": ("CONTRACT_NO", None),
    "contractDate": ("DATE_SIGN", None), "nowDate": ("DATE_OTHER", None),
    "contractMoney": ("AMT_TOTAL_LOWER", None), "contractMoneyStr": ("AMT_TOTAL_UPPER", None),
    "trusteeBank": ("BANK_NAME", "B"), "trusteeAccount": ("BANK_ACCT", "B"),
}  # fmt: skip
_BRACKET_FIELDS: dict[str, tuple[str | None, str | None]] = {
    "采购单位名称": ("PARTY", "A"), "供应商名称": ("PARTY", "B"),
    "采购单位联系人电话": ("PHONE", "A"), "供应商联系人电话": ("PHONE", "B"),
    "采购单位联系人": ("CONTACT", "A"), "供应商联系人": ("CONTACT", "B"),
    "采购单位所在地": ("ADDRESS", "A"), "供应商所在地": ("ADDRESS", "B"),
    "供应商法人姓名": ("LEGAL_REP", "B"), "合同编码": ("CONTRACT_NO", None),
    "合同有效期": ("TERM", None), "合同总价大写": ("AMT_TOTAL_UPPER", None),
    "合同总价": ("AMT_TOTAL_LOWER", None), "签订时间": ("DATE_SIGN", None),
}  # fmt: skip
# Placeholders of fields we do not tag get neutral text so that no raw placeholder reaches the data.
_NEUTRAL: dict[str, Callable[[Random], str]] = {
    "clientFax": lambda r: f"0{r.randint(10, 999)}-{r.randint(2000000, 8999999)}",
    "trusteeFax": lambda r: f"0{r.randint(10, 999)}-{r.randint(2000000, 8999999)}",
    "采购人单位传真": lambda r: f"021-{r.randint(20000000, 69999999)}",
    "供应商单位传真": lambda r: f"021-{r.randint(20000000, 69999999)}",
    "clientPostCode": lambda r: f"{r.randint(100000, 850000)}",
    "采购人单位邮编": lambda r: f"{r.randint(200000, 202100)}",
    "供应商单位邮编": lambda r: f"{r.randint(200000, 202100)}",
    "mailbox": lambda r: f"service{r.randint(10, 999)}@example.com",
    "contactEmail": lambda r: f"contact{r.randint(10, 999)}@example.com",
    "contractType": lambda r: r.choice(("环境影响报告书", "环境影响报告表", "技术咨询报告")),
    "contractName": lambda r: r.choice(("新材料建设项目", "污水处理厂提标改造工程", "物流园区二期工程")),
    "项目名称": lambda r: r.choice(("办公楼物业管理服务项目", "食堂劳务派遣服务项目", "辅助服务项目")),
    "合同名称": lambda r: r.choice(("物业管理服务合同", "政府购买服务合同", "劳务派遣服务合同")),
    "支付方式名称": lambda r: r.choice(("按季度支付", "按月支付", "分期支付")),
    "供应商法人性别": lambda r: r.choice("男女"),
    "contractAddress": lambda r: r.choice(("天津市", "北京市", "杭州市")),
    "year": lambda r: str(r.randint(2023, 2026)),
    "补充条款列表": lambda r: "无",
    "trusteeAddr": lambda r: r.choice(("天津市和平区南京路188号", "北京市西城区金融大街9号")),
    "自定义编辑": lambda r: "无",
}  # fmt: skip

_TOTAL = re.compile(r"合同总价|合同金额|总价款|合同价款|总金额|合同价格|合同总金额|总价|合同价|报酬总额|总额")
_AMOUNT_ROLES = (
    (re.compile(r"定金"), "AMT_DEPOSIT"),
    (re.compile(r"履约保证金"), "AMT_PERF_BOND"),
    (re.compile(r"质保金|质量保证金"), "AMT_WARRANTY"),
    (re.compile(r"违约金"), "AMT_PENALTY"),
)
_RATE_FAMILIES = (
    (re.compile(r"违约金|滞纳金|罚金|逾期"), "RATE_PENALTY"),
    (re.compile(r"保证金|质保金"), "RATE_BOND"),
    (re.compile(r"税率|税"), "RATE_TAX"),
    (re.compile(r"支付|付款|预付|付清"), "RATE_PAYMENT"),
)
_PERIOD_AFTER = re.compile(r"(?:个工作日|工作日|个自然日|日历天|天|日|个月|小时)(?:以内|之内|内)")
_SIGN_WORDS = re.compile(r"签订|签约|签字|签署|签章|盖章|订立|日期")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _sentence_before(text: str, pos: int) -> str:
    cut = max(text.rfind(ch, 0, pos) for ch in "。；;\n")
    return text[cut + 1 : pos]


def _sentence_around(text: str, start: int, end: int) -> str:
    left = _sentence_before(text, start)
    stops = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    return left + text[start:end] + text[end : min(stops) if stops else len(text)]


def _party(label: str) -> tuple[str, str] | None:
    """(label, side) when the field label names a party (spec A.5 item 1), else None."""
    des = _DESIGNATION.findall(label)
    if len(set(des)) == 1:
        side = {"甲方": "A", "乙方": "B", "丙方": "C"}[des[0]]
        return f"PARTY_{side}", side
    if des:
        return None
    roles = _ROLE.findall(label)
    if len(roles) != 1 or not _LABEL_END.search(label) or len(label.strip()) > 12:
        return None
    return "PARTY", "A" if roles[0] in _BUYER_WORDS else "B"


def _decide(text: str, start: int, end: int, label: str) -> tuple[str | None, str | None]:
    """The field and side of a blank from the label to its left and the characters around it."""
    after = text[end : end + 8]
    before = _sentence_before(text, start)
    if (
        re.fullmatch(r"[亿万千仟百佰拾十]|.*币[）)]?", label.strip())
        or text[end : end + 1] in "亿万千仟百佰拾币"
    ):
        return None, None  # digit-by-digit amount blanks (＿亿＿千＿百…元) and currency blanks
    if after.startswith(("%", "％")):
        sentence = _sentence_around(text, start, end)
        return next((lab for pat, lab in _RATE_FAMILIES if pat.search(sentence)), "RATE_OTHER"), None
    if _PERIOD_AFTER.match(after) and not re.search(r"第\s*$|每\s*$", label):
        return ("PERIOD_WARRANTY" if re.search(r"质保|保修|质量保证期", before) else "PERIOD"), None
    if re.match(r"[ 　]*仲裁委员会", text[end : end + 40]):
        return "ARB_BODY", None
    if after.startswith("人民法院"):
        return "COURT", None
    if after.startswith(("元", "圆")) or re.search(
        r"(?:大写|小写|[￥¥])[）)]?[：:]?\s*(?:人民币)?\s*$", label
    ):
        upper = "大写" in label[-8:]
        if _TOTAL.search(before):
            return ("AMT_TOTAL_UPPER" if upper else "AMT_TOTAL_LOWER"), None
        return next((lab for pat, lab in _AMOUNT_ROLES if pat.search(before)), None), None
    if not _LABEL_END.search(label):
        return None, None
    party = _party(label)
    if party:
        return party
    for pattern, field in _LABEL_RULES:
        if pattern.search(label):
            return field, None
    return None, None


def _date_field(text: str, start: int, end: int, label: str) -> str:
    after = text[end : end + 3]
    if re.search(r"[自从]\s*$", label) or after.startswith(("起至", "至", "到")):
        return "DATE_START"
    if re.search(r"[至到]\s*$", label):
        return "DATE_END"
    if _SIGN_WORDS.search(label) or (not label.strip() and start > len(text) * 0.75):
        return "DATE_SIGN"
    return "DATE_OTHER"


def find_blanks(text: str) -> list[Blank]:
    """Every blank of ``text`` in order, each with its kind and the field it was decided to be."""
    raw: list[tuple[int, int, str, str | None]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, name: str | None = None) -> None:
        if start < end and not any(s < end and start < e for s, e in taken):
            raw.append((start, end, kind, name))
            taken.append((start, end))

    for m in _DOLLAR.finditer(text):
        add(m.start(), m.end(), "placeholder_dollar", m.group(1))
    for m in _BRACKET.finditer(text):
        add(m.start(), m.end(), "placeholder_bracket", re.sub(r"_\d+$", "", m.group(1)))
    for m in _DATE.finditer(text):
        y = m.group("y")
        add(m.start("y") if y and y[0] in "＿_" else m.end("y"), m.end(), "date_blank")
    for m in _AMOUNT_SPACES.finditer(text):
        add(m.start("b"), m.end("b"), "amount_blank")
    for m in _UNDERLINE.finditer(text):
        add(m.start(), m.end(), "underline")
    for m in _SPACES.finditer(text):
        kind = "fullwidth_spaces" if "　" in m.group("b") else "spaces"
        if kind == "fullwidth_spaces" or len(m.group("b")) >= 3:
            add(m.start("b"), m.end("b"), kind)
    raw.sort()

    blanks: list[Blank] = []
    prev_end = 0
    for start, end, kind, name in raw:
        line_start, _ = _line_bounds(text, start)
        label = text[max(line_start, prev_end) : start]
        prev_end = end
        side: str | None = None
        if kind == "date_blank":
            field: str | None = _date_field(text, start, end, label)
        else:
            field, side = _decide(text, start, end, label)
            if kind in ("placeholder_dollar", "placeholder_bracket") and name is not None:
                table = _DOLLAR_FIELDS if kind == "placeholder_dollar" else _BRACKET_FIELDS
                named = table.get(name)
                if named and (field is None or field.startswith("PARTY") != named[0].startswith("PARTY")):
                    field, side = named  # type: ignore[assignment]
                elif named and side is None:
                    side = named[1]
        blanks.append(Blank(start, end, kind, field, side, name))
    return _resolve_parties(_assign_sides(text, blanks))


_SIDED = frozenset({"ADDRESS", "PHONE", "LEGAL_REP", "AUTH_REP", "CONTACT", "BANK_NAME", "BANK_ACCT", "USCC"})


def _assign_sides(text: str, blanks: list[Blank]) -> list[Blank]:
    """Give per-party fields (address, phone, people, bank) the side of the party block they are in; the
    second same-field blank on one line (two-column layouts) belongs to the other side."""
    out: list[Blank] = []
    side = "A"
    seen_on_line: dict[tuple[int, str], int] = {}
    for blank in blanks:
        line_start, _ = _line_bounds(text, blank.start)
        head = _ROLE.search(text[line_start : blank.start])
        if blank.field and blank.field.startswith("PARTY") and blank.side:
            side = blank.side
        elif head and text[line_start : head.start()].strip() == "":
            designated = _DESIGNATION.search(text[line_start : blank.start])
            if designated:
                side = {"甲方": "A", "乙方": "B", "丙方": "C"}[designated.group()]
            else:
                side = "A" if head.group() in _BUYER_WORDS else "B"
        label = text[max(line_start, out[-1].end if out else 0) : blank.start]
        if blank.field == "ADDRESS" and re.search(r"开户", text[max(0, line_start - 40) : line_start]):
            blank = replace(blank, field=None)  # 开户行地址 gets no span (spec A.5 item 14)
        local = _DESIGNATION.findall(label)
        if blank.field in _SIDED and blank.kind not in ("placeholder_dollar", "placeholder_bracket"):
            key = (line_start, blank.field)
            count = seen_on_line.get(key, 0)
            seen_on_line[key] = count + 1
            own = side if count == 0 else {"A": "B", "B": "A", "C": "A"}[side]
            if local:
                own = {"甲方": "A", "乙方": "B", "丙方": "C"}[local[-1]]
            blank = replace(blank, side=own)
        out.append(blank)
    return out


def _resolve_parties(blanks: list[Blank]) -> list[Blank]:
    """A party placeholder without a local 甲/乙 designation takes PARTY (spec A.5 item 1)."""
    return [
        replace(b, field="PARTY") if b.field and b.field.startswith("PARTY_") and b.side is None else b
        for b in blanks
    ]


# ---------------------------------------------------------------------------------------------------------
# Filling
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fill:
    text: str
    label: str | None
    pre: int = 0  # template characters before the blank that belong to the span (￥, 人民币)
    post: int = 0  # template characters after it (元整, ％, 日内, 仲裁委员会)
    lead: int = 0  # characters of ``text`` before the span (a separating space)
    trail: int = 0  # characters of ``text`` after the span


class _Values:
    """One set of values per document: parties, and per-side people, addresses, phones, banks."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.buyer = V.buyer(rng)
        self.supplier = V.supplier(rng)
        self.third = V.supplier(rng)
        self.total = V.amount_value(rng, 50_000, 3_000_000).to_integral_value()
        self.cache: dict[tuple[str, str | None], str] = {}

    def party(self, side: str | None) -> str:
        return {"A": self.buyer.text, "B": self.supplier.text, "C": self.third.text}[side or "A"]

    def region(self, side: str | None) -> V.Region:
        return {"A": self.buyer.region, "B": self.supplier.region, "C": self.third.region}[side or "A"]

    def get(self, field: str, side: str | None) -> str:
        key = (field, side)
        if key not in self.cache:
            self.cache[key] = self._make(field, side)
        return self.cache[key]

    def _make(self, field: str, side: str | None) -> str:
        rng, reg = self.rng, self.region(side)
        if field in ("LEGAL_REP", "AUTH_REP", "CONTACT"):
            return V.person_name(rng).text
        if field == "ADDRESS":
            return V.postal_address(rng, reg).text
        if field == "PHONE":
            return V.phone(rng, reg.area_code).text
        if field in ("BANK_NAME", "BANK_ACCT"):
            account = V.bank_account(rng, reg)
            self.cache[("BANK_NAME", side)] = account.bank_name
            self.cache[("BANK_ACCT", side)] = account.text
            return self.cache[(field, side)]
        if field == "USCC":
            return {"A": self.buyer.uscc, "B": self.supplier.uscc, "C": self.third.uscc}[side or "A"]
        if field == "CONTRACT_NO":
            return V.contract_number(rng, self.buyer.region).text
        if field == "PROJECT_NO":
            return V.project_number(rng, self.buyer.region).text
        if field == "DATE_SIGN":
            return self.date()
        raise KeyError(field)

    def date(self) -> str:
        return V.date_value(self.rng, style=self.rng.choice(V.DATE_STYLES[:-1])).text


def _upper_bare(value: Decimal) -> str:
    """The 大写 numerals without the final 元整 (``value`` is whole yuan)."""
    text = V.amount_upper(Random(0), value, "upper").text
    return text[:-2] if text.endswith("元整") else text


def _amount_value(values: _Values, label: str) -> Decimal:
    if label.startswith("AMT_TOTAL"):
        return values.total
    share = {"AMT_DEPOSIT": 20, "AMT_PERF_BOND": 5, "AMT_WARRANTY": 3, "AMT_PENALTY": 10}.get(label, 10)
    return (values.total * share / 100).to_integral_value()


def _fill_for(blank: Blank, text: str, values: _Values) -> _Fill | None:
    """The fill of one blank, or None to leave the blank as it is."""
    rng, label = values.rng, blank.field
    before, after = text[max(0, blank.start - 3) : blank.start], text[blank.end : blank.end + 12]
    if label is None:
        if blank.name in _NEUTRAL:
            return _Fill(_NEUTRAL[blank.name](rng), None)
        return None
    if blank.kind in ("spaces", "fullwidth_spaces", "amount_blank", "underline") and label.startswith(
        ("PARTY", "ADDRESS", "PHONE", "LEGAL", "AUTH", "CONTACT", "BANK", "USCC", "CONTRACT", "PROJECT")
    ):
        value = values.party(blank.side) if label.startswith("PARTY") else values.get(label, blank.side)
        gap = "" if after[:1] in ("\n", "", "（", "(", "，", "。", "；") else "　"
        return _Fill(value + gap, label, trail=len(gap))
    if label.startswith("PARTY"):
        return _Fill(values.party(blank.side), label)
    if label in ("ADDRESS", "PHONE", "LEGAL_REP", "AUTH_REP", "CONTACT", "BANK_NAME", "BANK_ACCT", "USCC",
                 "CONTRACT_NO", "PROJECT_NO"):  # fmt: skip
        return _Fill(values.get(label, blank.side), label)
    if label.startswith("DATE"):
        value = values.get("DATE_SIGN", None) if label == "DATE_SIGN" else values.date()
        return _Fill(value, label)
    if label == "TERM":
        return _Fill(V.period(rng, unit=rng.choice(("month", "year")), bound="exact").text, label)
    if label.startswith("RATE"):
        kind = {"RATE_PENALTY": "penalty", "RATE_PAYMENT": "payment", "RATE_BOND": "bond", "RATE_TAX": "tax"}
        fraction = V.rate(rng, kind.get(label, "cap")).fraction
        number = format((fraction * 100).normalize(), "f")
        return _Fill(number, label, post=1)
    if label.startswith("PERIOD"):
        unit = _PERIOD_AFTER.match(after)
        assert unit is not None
        months = "个月" in unit.group()
        number = rng.choice((1, 2, 3, 6) if months else (3, 5, 7, 10, 15, 20, 30))
        return _Fill(str(number), label, post=len(unit.group()))
    if label in ("ARB_BODY", "COURT"):
        reg = values.buyer.region
        place = reg.city or reg.province
        if label == "COURT" and reg.district and rng.random() < 0.6:
            place += reg.district
        tail = re.match(r"[ 　]*仲裁委员会|人民法院", text[blank.end : blank.end + 40])
        return _Fill(place, label, post=len(tail.group()) if tail else 0)
    if label.startswith("AMT"):
        value = _amount_value(values, label)
        unit = re.match(r"元整|圆整|元|圆", after)
        pre = next((len(c) for c in ("人民币", "￥", "¥") if before.endswith(c)), 0)
        upper = label == "AMT_TOTAL_UPPER" or (label != "AMT_TOTAL_LOWER" and "大写" in before + after[:0])
        if unit:
            number = _upper_bare(value) if upper else V.amount_lower(rng, value, "plain").text
            return _Fill(number, label, pre=pre, post=len(unit.group()))
        if upper:
            return _Fill(V.amount_upper(rng, value, "upper" if pre else None).text, label, pre=pre)
        if pre:
            return _Fill(V.amount_lower(rng, value, "plain").text, label, pre=pre)
        return _Fill(V.amount_lower(rng, value).text, label)
    return None


def _build(
    doc_id: str, text: str, blanks: list[Blank], fills: dict[int, _Fill], printed: list[Span], meta: dict
) -> tuple[Document, dict[int, int]]:
    pieces: list[str] = []
    spans: list[Span] = []
    owner: dict[int, int] = {}  # span index -> blank index, or -1 - index into ``printed``
    pos = new = 0
    shifts: list[tuple[int, int]] = []  # (template offset, cumulative delta after it)
    delta = 0
    for i, blank in enumerate(blanks):
        fill = fills.get(i)
        if fill is None:
            continue
        pieces.append(text[pos : blank.start])
        new += blank.start - pos
        if fill.label:
            start = new - fill.pre + fill.lead
            end = new + len(fill.text) - fill.trail + fill.post
            owner[len(spans)] = i
            spans.append(Span(start, end, fill.label))
        pieces.append(fill.text)
        new += len(fill.text)
        pos = blank.end
        delta += len(fill.text) - (blank.end - blank.start)
        shifts.append((blank.end, delta))
    pieces.append(text[pos:])
    out_text = "".join(pieces)

    def moved(offset: int) -> int:
        shift = 0
        for end, cumulative in shifts:
            if end <= offset:
                shift = cumulative
        return offset + shift

    filled = [(b.start - f.pre, b.end + f.post) for i, b in enumerate(blanks) if (f := fills.get(i))]
    for j, span in enumerate(printed):
        if not any(s < span.end + 1 and span.start - 1 < e for s, e in filled):
            owner[len(spans)] = -1 - j
            spans.append(Span(moved(span.start), moved(span.end), span.label))
    order = sorted(range(len(spans)), key=lambda k: (spans[k].start, spans[k].end))
    kept: list[Span] = []
    kept_owner: dict[int, int] = {}
    for k in order:
        if kept and kept[-1].end > spans[k].start:
            continue
        kept_owner[len(kept)] = owner[k]
        kept.append(spans[k])
    return Document(doc_id, out_text, ent=kept, cl=[], units=[], meta=meta), kept_owner


# ---------------------------------------------------------------------------------------------------------
# Printed values labelled by rule
# ---------------------------------------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d+)?|[０-９]+(?:．[０-９]+)?)"
_PRINTED_RATE = re.compile(rf"{_NUM}\s*[%％‰]|[百千万]分之[零一二三四五六七八九十点]+")
_PRINTED_PERIOD = re.compile(
    r"(?<![\d０-９月第.])(?:\d+|[０-９]+|[一二三四五六七八九十两]{1,3})"
    r"(?:个工作日|个自然日|日历天|天|日|个月|小时)(?:以内|之内|内)"
)
_RATE_OTHER_WORDS = re.compile(
    r"保证金|质保金|税|利率|下浮|上浮|折扣|上限|不超过|不低于|不少于|合格率|以上|以下"
)
_PARTY_LINE = re.compile(
    r"^[ 　\t]*(?P<role>[^\s：:]{0,6}?[甲乙丙]方(?:[（(][^）)\n]{1,10}[）)])?)[：:][ 　]*"
    r"(?P<name>[^\s：:＿_，。；（(“”×…xX]{2,40}?(?:局|处|中心|公司|学校|大学|学院|医院|委员会|办公室|办事处|政府"
    r"|集团|分行|支行|研究院|研究所|事务所|站|馆|厅)(?:[（(](?![^）)]*(?:盖章|公章|签))[^）)\s]{2,20}[）)])?)"
    r"(?=[ 　]*(?:（以下简称|\(以下简称|（盖章|（公章|$))",
    re.M,
)


def printed_spans(text: str) -> list[Span]:
    """Spans of values already printed in the template that a rule labels reliably (see DATA_CARD_NOTES)."""
    spans: list[Span] = []
    for m in _PRINTED_RATE.finditer(text):
        sentence = _sentence_around(text, m.start(), m.end())
        near = _sentence_before(text, m.start())[-20:]
        if _RATE_OTHER_WORDS.search(sentence):
            continue
        if re.search(r"违约金|滞纳金|罚金|罚款", sentence) or re.search(r"逾期|延期|违约", near):
            spans.append(Span(m.start(), m.end(), "RATE_PENALTY"))
        elif re.search(r"支付|付款|预付|付清", near) and not re.search(r"[%％]\s*$", near):
            spans.append(Span(m.start(), m.end(), "RATE_PAYMENT"))
    for m in _PRINTED_PERIOD.finditer(text):
        if not re.search(r"质保|保修|质量保证期|年", _sentence_before(text, m.start())[-12:]):
            spans.append(Span(m.start(), m.end(), "PERIOD"))
    for m in _PARTY_LINE.finditer(text):
        designations = set(_DESIGNATION.findall(m.group("role")))
        if len(designations) == 1:
            side = {"甲方": "A", "乙方": "B", "丙方": "C"}[designations.pop()]
            spans.append(Span(m.start("name"), m.end("name"), f"PARTY_{side}"))
    return [s for s in spans if not check_ent_span(text, s)]


# ---------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------


def fill_template(text: str, seed: int, doc_id: str) -> Document:
    """Fill every blank of known field in ``text`` and return the document with its gold ENT spans.

    Deterministic for ``(text, seed)``. Text outside the filled blanks is unchanged. A fill whose span would
    break a boundary rule is reverted (the blank stays as it was), so ``check_document`` is always clean.
    """
    rng = Random(f"{seed}:{len(text)}:{text[:200]}")
    values = _Values(rng)
    blanks = find_blanks(text)
    fills: dict[int, _Fill] = {}
    for i, blank in enumerate(blanks):
        fill = _fill_for(blank, text, values)
        if fill is not None:
            fills[i] = fill
    printed = printed_spans(text)
    meta = {"source": "template_fill", "seed": seed, "types_labeled": False, "cl_labeled": False}
    for _ in range(5):
        doc, owner = _build(doc_id, text, blanks, fills, printed, meta)
        bad = [k for k, span in enumerate(doc.ent) if check_ent_span(doc.text, span)]
        if not bad:
            break
        drop = {-1 - owner[k] for k in bad if owner[k] < 0}
        for k in bad:
            fills.pop(owner[k], None)
        printed = [p for j, p in enumerate(printed) if j not in drop]
    doc.meta.update(
        blanks=len(blanks),
        filled=sum(1 for f in fills.values() if f.label),
        printed_labeled=sum(1 for k in range(len(doc.ent)) if owner[k] < 0),
    )
    return doc


TEMPLATE_KINDS = ("contract", "contract_section_of_tender_doc")
"""The ``doc_kind`` values of ``contracts_index.tsv`` whose documents are filled."""


def corpus_templates(corpus_dir: Path, kinds: tuple[str, ...] = TEMPLATE_KINDS) -> list[Path]:
    """The contract templates listed in ``contracts_index.tsv`` (``doc_kind`` in ``kinds``) that exist."""
    out: list[Path] = []
    with (corpus_dir / "contracts_index.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path = corpus_dir / row["path"]
            if row.get("doc_kind") in kinds and path.is_file():
                out.append(path)
    return out
