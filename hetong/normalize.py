"""Value normalisers of the domain spec, section A.4 (amounts, dates, periods, rates, phones, USCCs).

Every normaliser is a pure function from the text of one span to a plain, JSON-serialisable ``dict``:

* success: ``{"ok": True, ...}`` with the fields the spec lists for that kind;
* failure: ``{"ok": False, "raw": <text>, "reason": <short code>, ...}``. Rules that depend on the field then
  return NOT_EVALUABLE (spec A.4).

They never raise on any input: each public normaliser is wrapped so that even an unexpected internal error
turns into ``{"ok": False, "reason": "internal_error: ..."}``. Decimals are returned as strings
(``"1200000.00"``, ``"0.0005"``); all arithmetic uses :class:`decimal.Decimal`, never ``float``.

Chinese integer numerals (三十, 十二, 两, 壹佰贰拾万) are read with ``cn2an`` in strict mode and cross-checked
against the spec's own section-by-section parser (A.4.1 step 5), which also validates the numeral's structure
(``伍伍``, ``佰拾`` and other malformed numerals are rejected rather than silently misread). Digit-by-digit
years (二〇二五), the 元/角/分 split, 百分之X and Chinese decimals (零点五) are parsed here directly.

Where the spec leaves a case open, the reading chosen is stated in the docstring of the function concerned.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

import cn2an

Result = dict[str, Any]

KINDS: tuple[str, ...] = ("amount", "date", "period", "rate", "phone", "uscc")

# ---------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------

# Spec A.4.1 step 5: digits and small units of Chinese numerals, both 大写 and 小写.
_DIG: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "壹": 1, "一": 1,
    "贰": 2, "二": 2, "两": 2, "俩": 2, "貳": 2,
    "叁": 3, "三": 3, "參": 3,
    "肆": 4, "四": 4,
    "伍": 5, "五": 5,
    "陆": 6, "六": 6, "陸": 6,
    "柒": 7, "七": 7,
    "捌": 8, "八": 8,
    "玖": 9, "九": 9,
}  # fmt: skip
_SMALL: dict[str, int] = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_INT_CHARS = frozenset(_DIG) | frozenset(_SMALL) | frozenset(_BIG)
_CN_NUM_CLASS = "".join(sorted(_INT_CHARS))
# cn2an's strict mode knows neither 两/俩 nor 〇: map them to equivalents it accepts.
_CN2AN_MAP = str.maketrans({"两": "二", "俩": "二", "〇": "零", "○": "零", "萬": "万", "億": "亿"})

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, and the ideographic space -> space.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH_MAP = str.maketrans(_FULLWIDTH)
_WS_RE = re.compile(r"\s+")
_PLAIN_DECIMAL_RE = re.compile(r"^[0-9]{1,20}(?:\.[0-9]{1,20})?$")

_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")
_MAX_AMOUNT = Decimal(10) ** 16
"""Amounts are read up to (not including) 10^16 yuan (一万万亿); larger values are treated as malformed."""


def _fail(raw: Any, reason: str, **extra: Any) -> Result:
    out: Result = {"ok": False, "raw": raw if isinstance(raw, str) else None, "reason": reason}
    out.update(extra)
    return out


def _never_raise(func: Callable[..., Result]) -> Callable[..., Result]:
    """Guarantee the spec's "never raise" contract: non-strings and internal errors become failures."""

    @functools.wraps(func)
    def wrapper(text: Any, *args: Any, **kwargs: Any) -> Result:
        if not isinstance(text, str):
            return _fail(text, "not_a_string")
        try:
            return func(text, *args, **kwargs)
        except Exception as exc:  # the contract is "never raise"; report instead
            return _fail(text, f"internal_error: {type(exc).__name__}")

    return wrapper


def half_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space as their half-width characters, one character
    for one, so offsets into the result are offsets into ``text``."""
    return text.translate(_FULLWIDTH_MAP)


def _squeeze(text: str) -> str:
    """Full-width -> half-width, then drop all whitespace (A.5 item 22: odd spacing is part of spans)."""
    return _WS_RE.sub("", half_width(text))


def _dec_str(value: Decimal) -> str:
    """Plain decimal string without exponent or trailing zeros: 0.10 -> "0.1", 1E+2 -> "100"."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _parse_int_cn(text: str) -> int | None:
    """The spec's section-by-section parser (A.4.1 step 5), with structure checks added.

    Returns ``None`` instead of raising. Rejected, because a money reader must not guess: two digits in a
    row (``伍伍``, ``伍零``), small units out of order (``佰仟``), a unit with no digit (``佰``, ``万``),
    ``万万``/``亿万``, and a second ``亿`` (only ``万亿`` may combine). ``拾``/``十`` with no digit before it
    means one ten (``拾万`` = 100000, ``十二`` = 12).
    """
    if not text:
        return None
    total = section = num = 0
    prev = ""  # "" start, "d" non-zero digit, "z" zero, "s" small unit, "w" 万, "y" 亿
    last_small = 10**5
    wan_open = False  # a 万 already closed the current 亿 block
    yi_seen = False
    for ch in text:
        if ch in _DIG:
            if prev == "d":
                return None
            num = _DIG[ch]
            prev = "d" if num else "z"
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small:
                return None
            if prev != "d":
                if ch in "拾十" and prev in ("", "z", "w", "y"):
                    num = 1
                else:
                    return None
            section += num * unit
            num = 0
            last_small = unit
            prev = "s"
        elif ch in "万萬":
            if prev in ("", "z", "w", "y") or wan_open:
                return None
            section += num
            total += section * 10**4
            section = num = 0
            last_small = 10**5
            wan_open = True
            prev = "w"
        elif ch in "亿億":
            if prev in ("", "z", "y") or yi_seen:
                return None
            section += num
            total = (total + section) * 10**8
            section = num = 0
            last_small = 10**5
            wan_open = False
            yi_seen = True
            prev = "y"
        else:
            return None
    return total + section + num


def _cn2an_int(text: str) -> int | None:
    """cn2an in strict mode; any exception or non-integer answer becomes ``None``."""
    try:
        value = cn2an.cn2an(text.translate(_CN2AN_MAP), "strict")
    except Exception:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _cn_int(text: str) -> int | None:
    """A Chinese integer numeral, or ``None``.

    The spec parser validates the structure; cn2an reads the value. If cn2an cannot read a numeral the
    spec parser accepts (e.g. mixed 大写/小写), the spec parser's value is used; if the two disagree the
    numeral is treated as unreadable rather than guessed.
    """
    if not text or len(text) > 40 or any(ch not in _INT_CHARS for ch in text):
        return None
    ref = _parse_int_cn(text)
    if ref is None:
        return None
    lib = _cn2an_int(text)
    if lib is None or lib == ref:
        return ref
    return None


def _number(text: str) -> Decimal | None:
    """Arabic (``1.5``) or Chinese (``一点五``, ``十二``) non-negative number as a Decimal, else ``None``."""
    if _PLAIN_DECIMAL_RE.match(text):
        return Decimal(text)
    if "点" in text:
        int_part, _, frac_part = text.partition("点")
        whole = _cn_int(int_part)
        if whole is None or not frac_part or len(frac_part) > 20 or any(c not in _DIG for c in frac_part):
            return None
        return Decimal(f"{whole}.{''.join(str(_DIG[c]) for c in frac_part)}")
    whole = _cn_int(text)
    return None if whole is None else Decimal(whole)


# ---------------------------------------------------------------------------------------------------------
# A.4.1 Amounts
# ---------------------------------------------------------------------------------------------------------

_AMOUNT_PREFIX_RE = re.compile(
    r"^(?:人民币|RMB|CNY|[(（]大写[)）]|[(（]小写[)）]|大写|小写|[:：]|[¥￥])", re.I
)
_AMOUNT_LOWER_RE = re.compile(r"^(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?P<unit>千|万|萬|亿|億)?元?$")
_UNIT_PRICE_RE = re.compile(r"^(?P<amount>[^/每]+?元)(?:/|每)(?P<unit>[^0-9/元]{1,8})$")
_UPPER_MARK_RE = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟〇一二三四五六七八九十百千两]")
_UPPER_FRAC_RE = re.compile(rf"^(?:(?P<jiao>[{''.join(_DIG)}])角)?零?(?:(?P<fen>[{''.join(_DIG)}])分)?$")
_LOWER_UNITS: dict[str, tuple[int, str]] = {
    "": (1, "元"),
    "千": (10**3, "千元"),
    "万": (10**4, "万元"),
    "萬": (10**4, "万元"),
    "亿": (10**8, "亿元"),
    "億": (10**8, "亿元"),
}


def _amount_result(value: Decimal, form: str, unit: str, raw: str) -> Result:
    with localcontext() as ctx:
        ctx.prec = 60
        if value >= _MAX_AMOUNT:
            return _fail(raw, "out_of_range")
        quantized = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return {
        "ok": True,
        "value": format(quantized, "f"),
        "currency": "CNY",
        "form": form,
        "unit_in_text": unit,
    }


def _parse_upper_amount(core: str) -> Decimal | None:
    """Upper form (A.4.1 step 5): integer part before 元, 角/分 after it; a 零 after 元 is ignored."""
    if core.count("元") > 1:
        return None
    if "元" in core:
        int_part, _, frac_part = core.partition("元")
    elif core.endswith(("角", "分")):
        int_part, frac_part = "", core  # below one yuan: 伍角, 捌分
    else:
        int_part, frac_part = core, ""
    if not int_part and not frac_part:
        return None
    whole = _cn_int(int_part) if int_part else 0
    if whole is None:
        return None
    frac_part = frac_part.replace("零角", "").replace("零分", "").lstrip("零")
    match = _UPPER_FRAC_RE.match(frac_part)
    if match is None:
        return None
    jiao = _DIG[match["jiao"]] if match["jiao"] else 0
    fen = _DIG[match["fen"]] if match["fen"] else 0
    return Decimal(whole) + Decimal(jiao) / 10 + Decimal(fen) / 100


@_never_raise
def normalize_amount(text: str) -> Result:
    """Amount span -> decimal yuan (spec A.4.1).

    Readings chosen where the spec is open:

    * A 小写 amount with a 千/万/亿 unit (``5千元``, ``12.5万``) is the lower form even though 千 is also an
      upper-form character: the lower-form pattern is tried first.
    * In the upper form 万/亿 are numeral places, so ``unit_in_text`` is ``"元"`` (``贰拾万元`` is 200000 元).
    * The label colon after a form label (``（小写）：``) is stripped with the label; spaces anywhere are
      dropped (A.5 item 22). 圆 (and 圓) read as 元; trailing 整/正 is dropped.
    * Malformed 大写 numerals (``伍伍元``) fail instead of being guessed; amounts >= 10^16 fail.
    """
    core = _squeeze(text).replace("圆", "元").replace("圓", "元")
    while True:
        stripped = _AMOUNT_PREFIX_RE.sub("", core, count=1)
        if stripped == core:
            break
        core = stripped
    core = core.rstrip("整正")
    if not core:
        return _fail(text, "empty")
    unit_price = _UNIT_PRICE_RE.match(core)
    if unit_price is not None:  # 单价 such as 18.5元/平方米·月 (spec A.2 AMT_OTHER example)
        result = normalize_amount(unit_price["amount"])
        return {**result, "per_unit": unit_price["unit"]} if result["ok"] else _fail(text, "unrecognised")
    lower = _AMOUNT_LOWER_RE.match(core.replace(",", ""))
    if lower is not None:
        digits = lower["num"]
        if len(digits) > 30:
            return _fail(text, "out_of_range")
        factor, unit = _LOWER_UNITS[lower["unit"] or ""]
        with localcontext() as ctx:
            ctx.prec = 60
            value = Decimal(digits) * factor
        return _amount_result(value, "lower", unit, text)
    if _UPPER_MARK_RE.search(core):
        value = _parse_upper_amount(core)
        if value is None:
            return _fail(text, "malformed_numeral")
        return _amount_result(value, "upper", "元", text)
    return _fail(text, "unrecognised")


def _amount_value(text: str) -> Decimal | None:
    if _PLAIN_DECIMAL_RE.match(text.strip()):
        return Decimal(text.strip())
    result = normalize_amount(text)
    return Decimal(result["value"]) if result["ok"] else None


def amounts_equal(a: str, b: str) -> bool:
    """True when two amounts are equal to the cent (``abs(a - b) < 0.005``, spec A.4.1).

    Each argument may be a normalised value (``"1200000.00"``) or raw amount text (``壹佰贰拾万元整``); the
    raw text is normalised first. Anything that cannot be read gives ``False``; this never raises.
    """
    try:
        if not isinstance(a, str) or not isinstance(b, str):
            return False
        left, right = _amount_value(a), _amount_value(b)
        if left is None or right is None:
            return False
        with localcontext() as ctx:
            ctx.prec = 60
            return abs(left - right) < _HALF_CENT
    except Exception:
        return False


_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _group_to_upper(group: int) -> str:
    """1..9999 -> 仟佰拾 form, with one 零 for each run of inner zeros (1005 -> 壹仟零伍)."""
    out = ""
    pending_zero = False
    for place, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = group // place % 10
        if digit == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += _UPPER_DIGITS[digit] + unit
    return out


def _below_yi_to_upper(n: int) -> str:
    """1..99999999 -> 万-grouped upper form (100500 -> 壹拾万零伍佰)."""
    high, low = divmod(n, 10**4)
    out = _group_to_upper(high) + "万" if high else ""
    if low:
        if high and low < 1000:
            out += "零"
        out += _group_to_upper(low)
    return out


def _int_to_upper(n: int) -> str:
    high, low = divmod(n, 10**8)
    out = _below_yi_to_upper(high) + "亿" if high else ""
    if low:
        if high and low < 10**7:
            out += "零"
        out += _below_yi_to_upper(low)
    return out


def amount_to_upper(value: Decimal | str) -> str:
    """Decimal yuan -> Chinese financial capitals (大写金额), the inverse of :func:`normalize_amount`.

    Follows 会计基础工作规范 第52条 and common bank practice:

    * ``壹拾`` keeps its 壹 (100000 -> 壹拾万元整); one 零 stands for each run of zeros inside the integer
      (100500 -> 壹拾万零伍佰元整, 203000006 -> 贰亿零叁佰万零陆元整);
    * ``整`` follows an amount that ends at 元 or 角 (1000.50 -> 壹仟元伍角整), not one that ends at 分;
    * 零 is written between 元 and 分 when 角 is zero (50000.08 -> 伍万元零捌分); it is not written between a
      zero 元 place and 角 (1000.50 -> 壹仟元伍角整, the optional 零 of the rule is omitted);
    * below one yuan there is no 元 (0.05 -> 伍分); zero is 零元整.

    The value is rounded ROUND_HALF_UP to 0.01 first. Unlike the normalisers this is a generator helper and
    raises ``ValueError`` for a value that is not a finite, non-negative number below 10^16.
    """
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc
    if not dec.is_finite() or dec < 0 or dec >= _MAX_AMOUNT:
        raise ValueError(f"amount out of range: {value!r}")
    with localcontext() as ctx:
        ctx.prec = 60
        cents = int(dec.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)
    whole, frac = divmod(cents, 100)
    jiao, fen = divmod(frac, 10)
    if whole == 0 and frac == 0:
        return "零元整"
    out = _int_to_upper(whole) + "元" if whole else ""
    if jiao:
        out += _UPPER_DIGITS[jiao] + "角"
    if fen:
        if whole and not jiao:
            out += "零"
        out += _UPPER_DIGITS[fen] + "分"
    else:
        out += "整"
    return out


# ---------------------------------------------------------------------------------------------------------
# A.4.2 Dates
# ---------------------------------------------------------------------------------------------------------

_YEAR_DIGITS = "0123456789〇○零一二三四五六七八九壹贰叁肆伍陆柒捌玖OoＯ"
_DATE_NUM = rf"[0-9]{{1,2}}|[{_CN_NUM_CLASS}廿卅]{{1,4}}"
_DATE_CN_RE = re.compile(
    rf"^(?P<y>[{_YEAR_DIGITS}]{{4}}|[{_YEAR_DIGITS}]{{2}})年(?P<m>{_DATE_NUM})月(?:(?P<d>{_DATE_NUM})[日号]?)?$"
)
_DATE_NUM_RE = re.compile(r"^(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<d>[0-9]{1,2}))?$")
_DATE_TEMPLATE_RE = re.compile(r"^(?P<y>[^年]*)年(?P<m>[^月]*)月(?:(?P<d>[^日号]*)[日号])?$")
_PLACEHOLDER_CHARS = " _＿‗—–－-·•.。×xX*＊?？□/"
_PLACEHOLDER_RE = re.compile(rf"[\s{re.escape(_PLACEHOLDER_CHARS)}]+")
_BLANK_WORDS = frozenset({"", "无", "空", "空白"})
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
_DATE_SEP_MAP = str.maketrans({"．": ".", "／": "/", "－": "-", "—": "-", "–": "-"})


def _year_value(text: str) -> int | None:
    """Years are read digit by digit (spec A.4.2): 二〇二五 -> 2025; O/o are common typos for 〇."""
    digits = []
    for ch in text:
        if ch.isascii() and ch.isdigit():
            digits.append(ch)
        elif ch in "OoＯ":
            digits.append("0")
        elif ch in _DIG:
            digits.append(str(_DIG[ch]))
        else:
            return None
    return int("".join(digits)) if digits else None


def _small_value(text: str) -> int | None:
    """Month/day: Arabic digits, or a Chinese numeral (十 = 10, 二十一 = 21, 廿一 = 21)."""
    if text.isascii() and text.isdigit():
        return int(text)
    return _cn_int(text.replace("廿", "二十").replace("卅", "三十"))


def _date_ok(year: int, month: int, day: int | None, inferred: bool) -> Result | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    if day is None:
        iso, precision = f"{year:04d}-{month:02d}", "month"
    else:
        try:
            iso = _dt.date(year, month, day).isoformat()
        except ValueError:
            return None
        precision = "day"
    return {"ok": True, "iso": iso, "precision": precision, "blank": False, "year_inferred": inferred}


def _date_blank(squeezed: str) -> Result | None:
    """Template blanks (G3, A.4.2): ``____年__月__日``, ``  年  月  日``, ``20  年  月  日``, ``——``."""
    if _PLACEHOLDER_RE.sub("", squeezed) in _BLANK_WORDS and squeezed:
        return {"ok": True, "iso": None, "precision": None, "blank": True, "year_inferred": False}
    match = _DATE_TEMPLATE_RE.match(squeezed)
    if match is None:
        return None
    month = _PLACEHOLDER_RE.sub("", match["m"])
    day = _PLACEHOLDER_RE.sub("", match["d"] or "")
    if not month:
        return {"ok": True, "iso": None, "precision": None, "blank": True, "year_inferred": False}
    if match["d"] is not None and not day:
        # Year and month filled in, day left blank: keep the month, flag the blank.
        year_text = _PLACEHOLDER_RE.sub("", match["y"])
        year = _year_value(year_text) if len(year_text) in (2, 4) else None
        month_value = _small_value(month)
        if year is not None and month_value is not None:
            inferred = len(year_text) == 2
            result = _date_ok(2000 + year if inferred else year, month_value, None, inferred)
            if result is not None:
                result["blank"] = True
                return result
    return None


@_never_raise
def normalize_date(text: str) -> Result:
    """Calendar date span -> ISO date (spec A.4.2).

    Output ``{"ok", "iso", "precision", "blank", "year_inferred"}``; ``year_inferred`` is always present
    (``True`` only for a two-digit year, 25年 -> 2025). Readings chosen where the spec is open:

    * Blanks give ``{"ok": True, "iso": None, "precision": None, "blank": True}``: a 年/月/日 template whose
      month is empty (``____年__月__日``, ``20  年  月  日`` with a printed century), or a span made only of
      placeholders (``____``, ``——``, ``/``, ``无``). The empty string itself is a failure (no span).
    * A template with year and month filled but the day blank (``2025年3月__日``) gives the month
      (``iso="2025-03"``, precision month) with ``blank=True``.
    * ``2025-03``, ``2025/3`` and ``2025.3`` are month precision; a numeric date needs one separator kind.
    * Two-digit years are accepted only with 年 (``25/3/18`` is ambiguous and fails).
    * Spaces anywhere are ignored; full-width digits and separators are accepted; 〇, ○, 零 and the typo O
      all read 0 in a year.
    """
    squeezed = _squeeze(text).translate(_DATE_SEP_MAP)
    if not squeezed:
        return _fail(text, "empty")
    blank = _date_blank(squeezed)
    if blank is not None:
        return blank
    match = _DATE_NUM_RE.match(squeezed)
    if match is not None:
        day = int(match["d"]) if match["d"] else None
        result = _date_ok(int(match["y"]), int(match["m"]), day, False)
        return result if result is not None else _fail(text, "invalid_date")
    match = _DATE_CN_RE.match(squeezed)
    if match is None:
        return _fail(text, "unrecognised")
    year = _year_value(match["y"])
    month = _small_value(match["m"])
    day = _small_value(match["d"]) if match["d"] else None
    if year is None or month is None or (match["d"] and day is None):
        return _fail(text, "invalid_date")
    inferred = len(match["y"]) == 2
    if inferred:
        year += 2000
    result = _date_ok(year, month, day, inferred)
    return result if result is not None else _fail(text, "invalid_date")


def month_bound(iso_month: str, as_deadline: bool) -> str | None:
    """Resolve a month-precision date (``"2025-03"``) to a day (spec A.4.2, last bullet).

    Deadlines resolve to the month's last day (``"2025-03-31"``), start dates to its first day. A full ISO
    date is returned unchanged; anything else gives ``None``.
    """
    if not isinstance(iso_month, str):
        return None
    match = _ISO_RE.fullmatch(iso_month.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1:
        return None
    if match[3] is not None:
        try:
            return _dt.date(year, month, int(match[3])).isoformat()
        except ValueError:
            return None
    day = calendar.monthrange(year, month)[1] if as_deadline else 1
    return f"{year:04d}-{month:02d}-{day:02d}"


# ---------------------------------------------------------------------------------------------------------
# A.4.3 Relative periods
# ---------------------------------------------------------------------------------------------------------

_PERIOD_UNITS: dict[str, str] = {
    "日历天": "day", "日历日": "day", "自然日": "day", "自然天": "day",
    "工作日": "workday", "工作天": "workday",
    "小时": "hour", "钟头": "hour",
    "季度": "quarter",
    "星期": "week", "礼拜": "week", "周": "week",
    "周年": "year", "年": "year",
    "月": "month",
    "日": "day", "天": "day",
}  # fmt: skip
_PERIOD_UNIT_ALT = "|".join(sorted(_PERIOD_UNITS, key=len, reverse=True))
_PERIOD_RE = re.compile(
    r"^(?P<pre>提前|不超过|不得超过|不超出|最迟|最长|最多|满|超过|在|于)?"
    rf"(?P<num>[0-9]{{1,6}}|[{_CN_NUM_CLASS}]{{1,12}})?"
    r"(?P<ge1>个)?(?P<half1>半)?(?P<ge2>个)?"
    rf"(?P<unit>{_PERIOD_UNIT_ALT})"
    r"(?P<half2>半)?"
    r"(?P<post>以内|之内|内|以后|之后|后|以上)?$"
)
_VAGUE_RE = re.compile(
    r"及时|尽快|尽早|尽速|合理期限|合理期间|合理时间|另行协商|协商确定|视情况|视具体情况|按甲方要求|"
    r"根据甲方要求|按采购人要求|数日|数天|若干"
)
_WITHIN_PRE = frozenset({"不超过", "不得超过", "不超出", "最迟", "最长", "最多"})
_AFTER_PRE = frozenset({"满", "超过"})


def _month_days(months: int) -> int:
    """Approximate days for a month count: 30 per month, but 365 per whole year (12个月 = 一年 = 365)."""
    years, rest = divmod(months, 12)
    return 365 * years + 30 * rest


@_never_raise
def normalize_period(text: str) -> Result:
    """Relative period span -> days (spec A.4.3), without an anchor date.

    Output ``{"ok", "value", "unit", "days", "exact", "bound"}`` (+ ``"hours"`` for hour units); ``value`` is
    an int. ``exact`` is ``True`` only when ``days`` is an exact count (days, calendar days, weeks; hours that
    are whole days). Readings chosen where the spec is open:

    * Months count 30 days, but whole years inside a month count 365 (so ``12个月`` = 365, as in the spec
      table, ``24个月`` = 730, ``18个月`` = 545); 季度 is 3 months (``value`` in months); 半年 is 6 months;
      ``N年半`` is ``12N+6`` months; ``半个月``/``N个半月`` become 15/``30N+15`` days (unit day, inexact);
      ``半天``/``N天半`` become hours.
    * Hours: ``days`` is whole days, ``hours // 24`` (so 2小时 -> 0 as in the spec table, 72小时 -> 3).
    * ``N月`` without 个 is a period only with a bound word (``3月内``); ``3月`` alone names a month.
    * Bound: 内/以内/之内 or a prefix 不超过/最迟/最长 -> ``within``; 后/以后/之后/以上 or a prefix 满/超过 ->
      ``after``; no bound word (``提前30天``, ``12小时``, A.5 item 5) -> ``exact``.
    * Vague words (spec list plus the near-synonyms 尽早, 合理时间, 数日, 若干 …) give
      ``{"ok": False, "vague": True}``; they are only consulted when no number can be read.
    * Not supported (fail): minutes, decimals (1.5个月), compound periods (1年6个月).
    """
    squeezed = _squeeze(text)
    if not squeezed:
        return _fail(text, "empty")
    match = _PERIOD_RE.match(squeezed)
    result = _period_from_match(match) if match is not None else None
    if result is not None:
        return result
    if _VAGUE_RE.search(squeezed):
        return _fail(text, "vague", vague=True)
    return _fail(text, "unrecognised")


def _period_from_match(match: re.Match[str]) -> Result | None:
    unit_word = match["unit"]
    unit = _PERIOD_UNITS[unit_word]
    has_ge = bool(match["ge1"] or match["ge2"])
    half_before, half_after = bool(match["half1"]), bool(match["half2"])
    if half_before and half_after:
        return None
    number: int | None
    if match["num"]:
        number = int(match["num"]) if match["num"].isdigit() else _cn_int(match["num"])
        if number is None:
            return None
    else:
        number = None
    if number is None and not half_before:
        return None
    if number is not None and half_before and not match["ge1"]:
        return None  # "三半年" is not a period; "一个半月" is
    halves = (number or 0) * 2 + (1 if half_before or half_after else 0)  # quantity in half units

    post, pre = match["post"], match["pre"]
    if post in ("内", "以内", "之内") or (post is None and pre in _WITHIN_PRE):
        bound = "within"
    elif post in ("后", "以后", "之后", "以上") or (post is None and pre in _AFTER_PRE):
        bound = "after"
    else:
        bound = "exact"
    if unit_word == "月" and not has_ge and bound != "within" and number is not None:
        return None  # "3月" names a month

    def result(value: int, unit_name: str, days: int, exact: bool, **extra: Any) -> Result:
        out: Result = {"ok": True, "value": value, "unit": unit_name, "days": days, "exact": exact}
        out["bound"] = bound
        out.update(extra)
        return out

    whole, odd = divmod(halves, 2)
    if unit == "year":
        if odd:
            months = 6 * halves
            return result(months, "month", _month_days(months), False)
        return result(whole, "year", 365 * whole, False)
    if unit == "quarter":
        if odd:
            return None
        return result(3 * whole, "month", _month_days(3 * whole), False)
    if unit == "month":
        if odd:
            return result(15 * halves, "day", 15 * halves, False)
        return result(whole, "month", _month_days(whole), False)
    if unit == "week":
        return None if odd else result(whole, "week", 7 * whole, True)
    if unit == "workday":
        return None if odd else result(whole, "workday", -(-whole * 7 // 5), False)
    if unit == "day":
        if odd:
            hours = 12 * halves
            return result(hours, "hour", hours // 24, hours % 24 == 0, hours=hours)
        return result(whole, "day", whole, True)
    # hours
    if odd:
        return None
    return result(whole, "hour", whole // 24, whole % 24 == 0, hours=whole)


# ---------------------------------------------------------------------------------------------------------
# A.4.4 Rates
# ---------------------------------------------------------------------------------------------------------

_RATE_NUM = rf"[0-9]{{1,12}}(?:\.[0-9]{{1,12}})?|[{_CN_NUM_CLASS}]{{1,12}}(?:点[{''.join(_DIG)}]{{1,12}})?"
_RATE_SYMBOL_RE = re.compile(r"^(?P<pm>±|\+-|\+/-)?(?P<n>[0-9]{1,12}(?:\.[0-9]{1,12})?)(?P<sym>%|‰|‱)$")
_RATE_CN_RE = re.compile(rf"^(?P<pm>正负)?(?P<base>百|千|万)分之(?P<n>{_RATE_NUM})$")
_RATE_POINT_RE = re.compile(rf"^(?P<n>{_RATE_NUM})个?百分点$")
_RATE_TENTH_RE = re.compile(rf"^(?P<n>{_RATE_NUM})成$")
_LPR_WORD = r"(?:LPR|贷款市场报价利率(?:\(LPR\))?)"
_LPR_AFTER_RE = re.compile(rf"^(?:.{{0,40}}?){_LPR_WORD}的?(?P<n>{_RATE_NUM})倍$")
_LPR_BEFORE_RE = re.compile(rf"^(?P<n>{_RATE_NUM})倍的?(?:.{{0,40}}?){_LPR_WORD}$")
_LPR_PLAIN_RE = re.compile(rf"^(?:按)?(?:一年期|1年期|同期|当期)?(?:的)?{_LPR_WORD}$")
_LPR_UP_RE = re.compile(
    rf"^(?:.{{0,40}}?){_LPR_WORD}(?:的基础上|基础上)?上浮(?P<n>[0-9]{{1,6}}(?:\.[0-9]{{1,6}})?)%$"
)
_RATE_PER_PREFIX_RE = re.compile(
    r"^(?P<per>每日|每天|按日|按天|日|每周|每月|按月|月|年利率|年化|每年|按年|年)(?=.)"
)
_RATE_PER_SUFFIX_RE = re.compile(r"(?<=.)(?P<per>/日|/天|/周|/月|/年|每日|每天|每周|每月|每年)$")
_RATE_DENOM = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000)}
_RATE_SYMBOL_DENOM = {"%": Decimal(100), "‰": Decimal(1000), "‱": Decimal(10000)}

_DELAY = r"(?:逾期|延期|迟延|延迟|拖延|超期|推迟|误期)?(?:一|1)?个?"
_PER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(rf"每{_DELAY}(?:日|天)|按日|按天|逐日|日利率|日息|/日|/天")),
    ("week", re.compile(rf"每{_DELAY}(?:周|星期)|按周|/周")),
    ("month", re.compile(rf"每{_DELAY}月|按月|月利率|月息|/月")),
    ("year", re.compile(rf"每{_DELAY}年|按年|年利率|年化|年息|/年")),
    # A bare 日/月/年 counts only right next to the rate ("日万分之五"), never "2025年…30日前支付…的".
    ("day", re.compile(r"[日天]$")),
    ("month", re.compile(r"月$")),
    ("year", re.compile(r"年$")),
)
_ANNUAL_FACTOR = {"day": 365, "week": 52, "month": 12, "year": 1}

_BASE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "TOTAL",
        ("合同总价", "合同总额", "合同金额", "合同价款", "合同总金额", "签约合同价", "合同价", "中标价",
         "中标金额", "成交价", "成交金额", "合同总价款"),
    ),
    ("UNPAID", ("未付款", "逾期未付款项", "应付未付", "未付", "未支付", "欠付", "拖欠")),
    (
        "UNDELIVERED",
        ("未交付部分", "逾期交货部分", "未交货", "未交付", "逾期交付部分", "未履行部分", "未完成部分",
         "迟延交付部分", "迟交"),
    ),
    ("OVERDUE_AMOUNT", ("逾期金额", "逾期款项", "逾期部分", "逾期付款金额", "逾期支付的款项", "逾期应付款")),
    ("SETTLEMENT", ("结算价", "结算金额", "结算总价", "结算款", "审定价", "审定金额")),
)  # fmt: skip
_BASE_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (base, re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True))))
    for base, words in _BASE_WORDS
)
_SENTENCE_STOP_RE = re.compile(r"[。；;！!？?\n]")
_CLAUSE_STOP_RE = re.compile(r"[，,。；;！!？?\n]")


def _left_window(left: str) -> str:
    """Last 20 characters of left context, cut at the last sentence stop (a base never crosses 。/；)."""
    window = _squeeze(left)[-20:]
    stops = list(_SENTENCE_STOP_RE.finditer(window))
    return window[stops[-1].end() :] if stops else window


def _right_window(right: str) -> str:
    window = _squeeze(right)[:6]
    stop = _CLAUSE_STOP_RE.search(window)
    return window[: stop.start()] if stop else window


def _detect_per(left: str, right: str) -> str:
    """The periodicity marker nearest to the rate wins; left beats right on a tie."""
    best: tuple[int, int, str] | None = None  # (distance, side, per)
    for per, pattern in _PER_PATTERNS:
        for m in pattern.finditer(left):
            candidate = (len(left) - m.end(), 0, per)
            best = candidate if best is None or candidate < best else best
        if pattern.pattern.endswith("$"):
            continue
        m = pattern.search(right)
        if m is not None:
            candidate = (m.start(), 1, per)
            best = candidate if best is None or candidate < best else best
    return best[2] if best else "once"


def _detect_base(left: str) -> str:
    """The base word nearest to the rate (then the longest) wins; a bare "…的" base is OTHER."""
    best: tuple[int, int, str] | None = None  # (-end, -length, base)
    for base, pattern in _BASE_RES:
        for m in pattern.finditer(left):
            candidate = (-m.end(), -(m.end() - m.start()), base)
            best = candidate if best is None or candidate < best else best
    if best is not None:
        return best[2]
    return "OTHER" if left.endswith("的") and len(left) > 1 else "UNKNOWN"


@_never_raise
def normalize_rate(text: str, left_context: str = "", right_context: str = "") -> Result:
    """Rate span -> fraction, periodicity and base (spec A.4.4).

    Output ``{"ok", "fraction", "per", "base", "kind", "annualized"}``; decimals are plain strings without
    trailing zeros (10% -> ``"0.1"``). For LPR multiples ``kind="LPR_multiple"``, ``fraction=None`` and
    ``"multiple"`` holds the factor. Readings chosen where the spec is open:

    * ``per``: the window is the last 20 characters of left context plus the first 6 of right context, cut
      at a sentence stop (left) or a comma (right). The marker nearest to the rate wins. A bare 日/月/年
      counts only when it touches the rate (``日万分之五``); ``30日内支付合同总价的30%`` is ``once``.
      A per word written inside the span itself (``0.3%/日``, ``日万分之五``) is honoured too.
    * ``base``: same left window; the nearest keyword wins (the spec's keywords plus close synonyms such as
      合同价款, 逾期款项 -> OVERDUE_AMOUNT); a window ending in ``的`` with no keyword (``按当月服务费的``) is
      ``OTHER``; otherwise ``UNKNOWN``.
    * LPR multiples are annual by definition, so ``per="year"``; ``annualized`` stays ``None`` (it needs
      the LPR table). A bare ``一年期LPR`` is multiple 1; ``LPR上浮50%`` is multiple 1.5.
    * ``±5%`` reads 0.05 with ``"plus_minus": True``; X成 is X/10. Any other non-fraction
      (``十倍于本次餐费``, ``按人民银行同期存款基准利率``, garbage) fails with ``reason="not_a_fraction"``
      (A.5 item 7); the empty string fails with ``reason="empty"``.
    """
    core = _squeeze(text).upper().replace("％", "%")
    if not core:
        return _fail(text, "empty")
    left = _left_window(left_context if isinstance(left_context, str) else "")
    right = _right_window(right_context if isinstance(right_context, str) else "")
    prefix = _RATE_PER_PREFIX_RE.match(core)
    if prefix is not None and _rate_value(core[prefix.end() :]) is not None:
        left += prefix["per"]
        core = core[prefix.end() :]
    suffix = _RATE_PER_SUFFIX_RE.search(core)
    if suffix is not None and _rate_value(core[: suffix.start()]) is not None:
        right = suffix["per"] + right
        core = core[: suffix.start()]
    parsed = _rate_value(core)
    if parsed is None:
        return _fail(text, "not_a_fraction")
    kind, value, plus_minus = parsed
    base = _detect_base(left)
    if kind == "LPR_multiple":
        return {
            "ok": True, "fraction": None, "per": "year", "base": base, "kind": kind,
            "annualized": None, "multiple": _dec_str(value),
        }  # fmt: skip
    per = _detect_per(left, right)
    annualized = _dec_str(value * _ANNUAL_FACTOR[per]) if per in _ANNUAL_FACTOR else None
    out: Result = {
        "ok": True, "fraction": _dec_str(value), "per": per, "base": base, "kind": "fixed",
        "annualized": annualized,
    }  # fmt: skip
    if plus_minus:
        out["plus_minus"] = True
    return out


def _rate_value(core: str) -> tuple[str, Decimal, bool] | None:
    """``(kind, value, plus_minus)``: the fraction for fixed rates, the multiple for LPR; else ``None``."""
    with localcontext() as ctx:
        ctx.prec = 60
        if m := _RATE_SYMBOL_RE.match(core):
            return "fixed", Decimal(m["n"]) / _RATE_SYMBOL_DENOM[m["sym"]], bool(m["pm"])
        if m := _RATE_CN_RE.match(core):
            number = _number(m["n"])
            return None if number is None else ("fixed", number / _RATE_DENOM[m["base"]], bool(m["pm"]))
        if m := _RATE_POINT_RE.match(core):
            number = _number(m["n"])
            return None if number is None else ("fixed", number / 100, False)
        if m := _RATE_TENTH_RE.match(core):
            number = _number(m["n"])
            return None if number is None else ("fixed", number / 10, False)
        if (m := _LPR_AFTER_RE.match(core)) or (m := _LPR_BEFORE_RE.match(core)):
            number = _number(m["n"])
            return None if number is None else ("LPR_multiple", number, False)
        if m := _LPR_UP_RE.match(core):
            return "LPR_multiple", 1 + Decimal(m["n"]) / 100, False
        if _LPR_PLAIN_RE.match(core):
            return "LPR_multiple", Decimal(1), False
    return None


# ---------------------------------------------------------------------------------------------------------
# A.4.5 Phones
# ---------------------------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE_RE = re.compile(r"^0[0-9]{2,3}[0-9]{7,8}$")
_EXTENSION_RE = re.compile(r"(?:转|EXT\.?|分机号?|X)\s*[:：]?\s*(?P<ext>[0-9]{1,6})$")
_PHONE_STRIP_RE = re.compile(r"[\s\-－—–()（）]")
_PHONE_SHAPE_RE = re.compile(r"^\+?[0-9\s\-－—–()（）]*[0-9][0-9\s\-－—–()（）]*$")
_PHONE_GROUP_SPLIT_RE = re.compile(r"[\s\-－—–]+")


def _classify_phone(digits: str) -> str | None:
    if _MOBILE_RE.match(digits):
        return "mobile"
    if _LANDLINE_RE.match(digits):
        return "landline"
    return None


def _drop_country_code(digits: str) -> str:
    """+86/0086: mobiles keep their 1; a landline gets its trunk 0 back (+86 577 … -> 0577 …)."""
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            rest = digits[len(prefix) :]
            return rest if rest.startswith(("1", "0")) else "0" + rest
    return digits


@_never_raise
def normalize_phone(text: str) -> Result:
    """Phone span -> canonical digits (spec A.4.5).

    Output ``{"ok", "canonical", "kind", "extension"}``. Spaces, hyphens and parentheses around an area code
    are removed; the extension is read after 转, ext, x or 分机 (``0577-86001234转8001``,
    ``0577-86001234-分机8001``). Readings chosen where the spec is open:

    * A last hyphen group of 1–6 digits is an extension when the number only fits without it
      (``0577-86001234-8001``); ``139-5770-0123`` stays a mobile.
    * A +86/0086 country code is dropped (with the trunk 0 restored for landlines).
    * Service numbers (400…, 95…, 12345) are neither mobile nor landline, so they fail, as the spec says.
    """
    core = half_width(text).strip().upper()
    if not core:
        return _fail(text, "empty")
    extension: str | None = None
    ext_match = _EXTENSION_RE.search(core)
    if ext_match is not None:
        extension = ext_match["ext"]
        core = core[: ext_match.start()].rstrip(" -－—–:：")
    if not _PHONE_SHAPE_RE.match(core):
        return _fail(text, "unrecognised")
    digits = _drop_country_code(_PHONE_STRIP_RE.sub("", core))
    kind = _classify_phone(digits)
    if kind is None and extension is None:
        groups = [g for g in _PHONE_GROUP_SPLIT_RE.split(core) if g]
        if len(groups) >= 3 and len(groups[-1]) <= 6:
            head = _drop_country_code(_PHONE_STRIP_RE.sub("", "".join(groups[:-1])))
            if _classify_phone(head) == "landline":
                digits, kind, extension = head, "landline", groups[-1]
    if kind is None:
        return _fail(text, "not_a_phone_number")
    return {"ok": True, "canonical": digits, "kind": kind, "extension": extension}


# ---------------------------------------------------------------------------------------------------------
# A.4.6 统一社会信用代码 (USCC)
# ---------------------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
_USCC_INDEX = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

# GB 32100-2015 附录 (registrar = digit 1, org_kind = digits 1–2) [U]. The spec lists 1, 5 and 9; the other
# registrars are from the standard as commonly published and are informative only.
_USCC_REGISTRARS: dict[str, str] = {
    "1": "机构编制", "2": "外交", "3": "司法行政", "4": "文化", "5": "民政", "6": "旅游", "7": "宗教",
    "8": "工会", "9": "工商", "A": "中央军委改革和编制办公室", "N": "农业", "Y": "其他",
}  # fmt: skip
_USCC_KINDS: dict[str, str] = {
    "11": "机关", "12": "事业单位", "13": "群团", "19": "其他",
    "21": "外国常驻新闻机构", "29": "其他",
    "31": "律师执业机构", "32": "公证处", "33": "基层法律服务所", "34": "司法鉴定机构", "35": "仲裁委员会",
    "39": "其他",
    "41": "外国在华文化中心", "49": "其他",
    "51": "社会团体", "52": "民办非企业", "53": "基金会", "59": "其他",
    "61": "外国旅游部门常驻代表机构", "62": "港澳台地区旅游部门常驻内地（大陆）代表机构", "69": "其他",
    "71": "宗教活动场所", "72": "宗教院校", "79": "其他",
    "81": "基层工会", "89": "其他",
    "91": "企业", "92": "个体工商户", "93": "农民专业合作社",
    "A1": "军队事业单位", "A9": "其他",
    "N1": "组级集体经济组织", "N2": "村级集体经济组织", "N3": "乡镇级集体经济组织", "N9": "其他",
    "Y1": "其他",
}  # fmt: skip
_USCC_STRIP_RE = re.compile(r"[\s\-－]")


def uscc_check_char(first17: str) -> str | None:
    """The GB 32100 check character for the first 17 characters, or ``None`` if they are not 17 alphabet
    characters (upper case exactly as in the alphabet; no normalisation here)."""
    if not isinstance(first17, str) or len(first17) != 17 or any(c not in _USCC_INDEX for c in first17):
        return None
    remainder = 31 - sum(_USCC_INDEX[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True)) % 31
    return USCC_ALPHABET[0 if remainder == 31 else remainder]


@_never_raise
def normalize_uscc(text: str) -> Result:
    """USCC span -> canonical code, checksum validity and prefix semantics (spec A.4.6).

    Canonical form: full-width -> half-width, upper case, spaces (and hyphens, a common typing artefact)
    removed. The shape must be 18 characters over ``0123456789ABCDEFGHJKLMNPQRTUWXY``, otherwise
    ``ok=False`` (``reason`` "bad_length" or "bad_alphabet"). A right shape with a wrong check character is
    ``ok=True, valid=False`` (R-GEN-005 fires on it). ``registrar``/``org_kind`` are ``None`` for codes
    outside the GB 32100 table; ``region`` (digits 3–8) is ``None`` unless those six are digits.
    """
    canonical = _USCC_STRIP_RE.sub("", half_width(text)).upper()
    if not canonical:
        return _fail(text, "empty")
    if len(canonical) != 18:
        return _fail(text, "bad_length")
    if any(c not in _USCC_INDEX for c in canonical):
        return _fail(text, "bad_alphabet")
    region = canonical[2:8]
    return {
        "ok": True,
        "canonical": canonical,
        "valid": uscc_check_char(canonical[:17]) == canonical[17],
        "registrar": _USCC_REGISTRARS.get(canonical[0]),
        "org_kind": _USCC_KINDS.get(canonical[:2]),
        "region": region if region.isdigit() else None,
    }


# ---------------------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------------------

_DISPATCH: dict[str, Callable[[str], Result]] = {
    "amount": normalize_amount,
    "date": normalize_date,
    "period": normalize_period,
    "rate": normalize_rate,
    "phone": normalize_phone,
    "uscc": normalize_uscc,
}


def normalize(kind: str, text: str) -> Result:
    """Dispatch ``kind`` (one of :data:`KINDS`) to its normaliser; used by ``hetong normalize KIND TEXT``."""
    func = _DISPATCH.get(kind) if isinstance(kind, str) else None
    if func is None:
        return _fail(text, f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return func(text)
