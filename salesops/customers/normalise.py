"""Keys that make duplicates findable and customers searchable (R15).

``name_keys`` folds a company name so that 華為技術有限公司, 华为技术股份有限公司, ＨＵＡＷＥＩ and
"Huawei Co., Ltd." meet their twins (``exact``), and so that 华为技术（深圳） and 深圳华为技术 meet 华为技术
as near matches (``base``, ``regions``); ``phone_key`` turns any way of writing a mainland number into one
string, without its extension;
``credit_code_clean`` checks a unified social credit code (GB 32100-2015) with its check digit;
``search_words`` gives the words a customer can be found by (every suffix of the key, of its pinyin
initials and of the phones' digits, and the full pinyin), each of them matched by prefix on an indexed
column, so that a prefix search is a search for any part.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from opencc import OpenCC
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.seg.simpleseg import seg

from salesops.customers.regions import ADMIN_SUFFIXES, REGIONS

# Longest first, so 股份有限公司 goes before 有限公司 and 公司.
CHINESE_SUFFIXES = (
    "集团股份有限公司", "集团有限责任公司", "股份有限责任公司", "集团有限公司", "有限责任公司", "股份有限公司",
    "集团公司", "有限公司", "股份公司", "总公司", "分公司", "公司", "集团",
)
SUFFIX_SET = frozenset(CHINESE_SUFFIXES)
SUFFIX_ENDS = frozenset(suffix[-1] for suffix in CHINESE_SUFFIXES)
SUFFIX_LENGTHS = sorted({len(suffix) for suffix in CHINESE_SUFFIXES}, reverse=True)
# Legal forms written in brackets: 星河（集团）有限公司 is 星河.
LEGAL_QUALIFIERS = frozenset({"集团", "股份", "控股", "有限", "有限公司", "有限合伙", "普通合伙", "特殊普通合伙"})
LATIN_SUFFIX_RE = re.compile(
    r"[\s,.&]*\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group)\b[\s,.&]*$"
)
BRACKETS_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|〈[^〈〉]*〉|《[^《》]*》")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-.()/]")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# An extension after the number: 转801, 分机801, ext 801, ext. 801, x801, #801 (folded: lower case).
EXTENSION_RE = re.compile(r"\s*(?:转|分机|ext\.?|extension|x|#)\s*[:：]?\s*\d{1,6}$")
DASH_EXTENSION_RE = re.compile(r"\s*-\s*\d{1,6}$")  # an extension only after a whole number
MAX_KEY = 120
REGION_SET = frozenset(REGIONS)
ADMIN_SUFFIX_SET = frozenset(ADMIN_SUFFIXES)
ADMIN_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in ADMIN_SUFFIXES}, reverse=True)
REGIONS_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _name in REGIONS:  # longest first within each initial, as in REGIONS
    REGIONS_BY_FIRST[_name[0]] = (*REGIONS_BY_FIRST.get(_name[0], ()), _name)
_TO_SIMPLIFIED = OpenCC("t2s")
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))


@cache
def _traditional() -> frozenset[str]:
    """The characters t2s changes, worked out once (one call on all of them, one per line): a name
    without any of them is converted by nothing, so it skips the converter (a few microseconds a name,
    seconds in a 100,000-row import)."""
    chars = [chr(code) for start, end in HAN_RANGES for code in range(start, end + 1)]
    converted = _TO_SIMPLIFIED.convert("\n".join(chars)).split("\n")
    return frozenset(char for char, simple in zip(chars, converted, strict=True) if char != simple)

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the last is a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _fold(text: str) -> str:
    """NFKC (full width → half width), case folding and traditional → simplified characters (OpenCC's
    t2s), repeated until stable so the fold is idempotent."""
    folded = unicodedata.normalize("NFKC", text or "")
    for _round in range(4):
        again = folded.casefold()
        if not _traditional().isdisjoint(again):
            again = _TO_SIMPLIFIED.convert(again)
        again = unicodedata.normalize("NFKC", again)
        if again == folded:
            break
        folded = again
    return folded


def _letters_and_digits(text: str) -> str:
    if text.isalnum():  # every character is a letter or a digit (category L* or N*): nothing to drop
        return text
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _without_suffixes(key: str) -> str:
    """The key without legal-form suffixes (星河科技集团有限公司 → 星河科技); a key that is nothing but a
    suffix keeps it."""
    stripped = True
    while stripped and key[-1:] in SUFFIX_ENDS:
        stripped = False
        for length in SUFFIX_LENGTHS:
            if len(key) > length and key[-length:] in SUFFIX_SET:
                key = key[:-length]
                stripped = True
                break
    return key


def _region(text: str) -> str:
    """The place a whole qualifier names (上海市 → 上海), or ''."""
    if text in REGION_SET:
        return text
    for length in ADMIN_SUFFIX_LENGTHS:
        if len(text) > length and text[-length:] in ADMIN_SUFFIX_SET and text[:-length] in REGION_SET:
            return text[:-length]
    return ""


def _leading_region(text: str) -> tuple[str, int]:
    """The place a name starts with and how many characters it takes (上海市星河科技 → 上海, 3), leaving at
    least two characters of name; ('', 0) when it starts with none."""
    for region in REGIONS_BY_FIRST.get(text[:1], ()):
        if text.startswith(region):
            start = len(region)
            for length in ADMIN_SUFFIX_LENGTHS:
                if text[start : start + length] in ADMIN_SUFFIX_SET and len(text) - start - length >= 2:
                    return region, start + length
            if len(text) - start >= 2:
                return region, start
    return "", 0


class NameKeys(NamedTuple):
    """``exact``: the company itself, whatever the width, case, spaces, script (traditional or simplified)
    and legal form (有限公司, 股份有限公司, Co., Ltd. ...): the same ``exact`` is a duplicate (R15).
    ``base``: the name without the places that qualify it (in brackets or in front); ``regions``: those
    places. Two names with one ``base`` are near matches unless both name places and none in common
    (星河科技（北京） and 星河科技（深圳） are two companies)."""

    exact: str
    base: str
    regions: frozenset[str]

    def near(self, other: NameKeys) -> bool:
        if self.base != other.base or self.exact == other.exact:
            return False
        return not self.regions or not other.regions or bool(self.regions & other.regions)


def name_keys(name: str) -> NameKeys:
    """The keys of a company name: the places in brackets (（上海）, (上海市)) and in front (上海市星河科技)
    are kept in ``exact`` in one spelling (上海) and left out of ``base``; other bracketed words (研发中心)
    stay in ``exact`` only, legal forms in brackets (（集团）) are dropped."""
    text = _fold(name)
    qualifiers: set[str] = set()
    regions: set[str] = set()
    while found := BRACKETS_RE.search(text):
        inner = _letters_and_digits(found.group()[1:-1])
        region = _region(inner)
        if region:
            regions.add(region)
            qualifiers.add(region)
        elif inner and inner not in LEGAL_QUALIFIERS:
            qualifiers.add(inner)
        text = text[: found.start()] + " " + text[found.end() :]
    while text.rstrip(" ,.&")[-1:].isascii() and (shorter := LATIN_SUFFIX_RE.sub("", text)) != text:
        text = shorter
    core = _without_suffixes(_letters_and_digits(text))
    if not core:  # nothing but brackets: the letters of the whole name
        whole = _letters_and_digits(_fold(name))[:MAX_KEY]
        return NameKeys(whole, whole, frozenset())
    spelled, rest = "", core
    while True:
        region, length = _leading_region(rest)
        if not region:
            break
        regions.add(region)
        spelled += region
        rest = rest[length:]
    exact = spelled + rest + "".join(f"({q})" for q in sorted(qualifiers))
    if len(exact) > MAX_KEY:
        exact = (spelled + rest)[:MAX_KEY]
    return NameKeys(exact, rest[:MAX_KEY], frozenset(regions))


def company_key(name: str) -> str:
    """``name_keys(name).exact``: the key that makes two names one company (R15)."""
    return name_keys(name).exact


def _phone_digits(text: str) -> str:
    """``phone_key`` of a number without its extension."""
    text = PHONE_SEPARATORS_RE.sub("", text)
    if not text:
        return ""
    international = False
    if text.startswith("+"):
        text = text[1:]
        international = True
    elif text.startswith("00"):
        text = text[2:]
        international = True
    if not text.isascii() or not text.isdigit():
        raise ValidationError({"phone": _("A phone number has digits only, e.g. 13812345678 or 021-61234567.")})
    if international:
        if not text.startswith("86"):
            return ("+" + text)[:20]
        text = text[2:]
        if not MOBILE_RE.match(text):
            text = "0" + text.lstrip("0")
    elif text.startswith("86") and MOBILE_RE.match(text[2:]):
        text = text[2:]
    if not 5 <= len(text) <= 15:
        raise ValidationError({"phone": _("A phone number has 5 to 15 digits, e.g. 13812345678 or 021-61234567.")})
    return text


def _complete(key: str) -> bool:
    """A whole mainland number: a mobile, or a landline with its area code (010-12345678, 0757-1234567)."""
    return bool(MOBILE_RE.match(key)) or (key.startswith("0") and 11 <= len(key) <= 12)


def phone_key(phone: str) -> str:
    """One form per number: a mainland mobile as 11 digits, a landline as area code + number
    (021-6123 4567, (021)61234567 and +86 21 61234567 all give 02161234567); '' stays ''.
    An extension is left out: 020-83758474转801, 020-83758474 ext 801 and 020-83758474-801 (a dash
    after a whole number) all give 02083758474. Letters or other characters are a field error on ``phone``."""
    text = EXTENSION_RE.sub("", _fold(phone).strip())
    tail = DASH_EXTENSION_RE.search(text)
    if tail is not None:
        try:
            head = _phone_digits(text[: tail.start()])
        except ValidationError:
            head = ""
        if _complete(head):
            return head
    return _phone_digits(text)


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015) from its first 17."""
    pairs = zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * weight for ch, weight in pairs)
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_clean(code: str) -> str:
    """The code in upper case without spaces, checked for length, alphabet and check digit; '' stays ''."""
    text = re.sub(r"[\s\-]", "", _fold(code)).upper()
    if not text:
        return ""
    if len(text) != 18 or any(ch not in CREDIT_CODE_ALPHABET for ch in text):
        raise ValidationError(
            {"credit_code": _("A unified social credit code has 18 digits or capital letters (no I, O, S, V, Z).")}
        )
    if credit_code_check_char(text[:17]) != text[17]:
        raise ValidationError(
            {"credit_code": _("This unified social credit code is not valid: its check character does not match.")}
        )
    return text


HAN_RUN_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_CONVERTER = UltimateConverter()


@lru_cache(maxsize=65536)
def _segment_pinyin(segment: str) -> tuple[str, ...]:
    readings = _CONVERTER.convert(segment, Style.NORMAL, False, "default", strict=True)
    return tuple(syllable for choices in readings for syllable in choices)


def han_pinyin(run: str) -> list[str]:
    """``pypinyin.lazy_pinyin(run)``, one syllable per character, in a fraction of its time: the run is cut
    into words exactly as lazy_pinyin cuts it, and each word's reading is remembered, so an import of
    100,000 names converts each city, brand or trade word once."""
    return [syllable for segment in seg(run) for syllable in _segment_pinyin(segment)]


def _pinyin_words(key: str) -> tuple[str, str]:
    """Full pinyin without tones and the initials; runs of other letters or digits stay whole in both."""
    full: list[str] = []
    initials: list[str] = []
    for run in HAN_RUN_RE.split(key):
        if not run:
            continue
        if HAN_RUN_RE.fullmatch(run):
            syllables = han_pinyin(run)
            full.extend(syllables)
            initials.extend(s[:1] for s in syllables)
        else:
            full.append(run)
            initials.append(run)
    return _letters_and_digits(_fold("".join(full))), _letters_and_digits(_fold("".join(initials)))


def name_word(key: str) -> str:
    """A company key as a search word: its letters and digits (星河科技(上海) → 星河科技上海), so that the
    name with or without the brackets finds it by prefix."""
    return _letters_and_digits(key)


class SearchWords(NamedTuple):
    """What a customer is found by (R15 search): ``shown``, the words in one line (key, full pinyin,
    initials, phones), kept on the customer for display; ``terms``, the rows of the search-words table."""

    shown: str
    terms: tuple[str, ...]


#: A phone is found by any run of this many digits or more: its suffixes shorter than that are not kept.
PHONE_RUN_MIN = 4


def _suffixes(word: str, shortest: int = 1) -> list[str]:
    """Every suffix of ``word`` at least ``shortest`` long, the word itself first: a prefix search over
    them is a substring search (禾木 is a prefix of 禾木新材料, a suffix of 杭州禾木新材料)."""
    return [word[start:] for start in range(max(1, len(word) - shortest + 1))]


def search_words(name: str, phones: Iterable[str], *, name_key: str | None = None) -> SearchWords:
    """The one source of every customer's search words, for every path that writes customers (entry,
    edit, merge, import, demo, generator). The terms are every suffix of the company key (any part of
    the name: 字号 禾木 in 杭州禾木新材料), of its pinyin initials (hm) and of each phone's digits down
    to ``PHONE_RUN_MIN`` (any run of four or more digits, the last four above all), and the full pinyin
    whole (huawei). Phones that do not normalise are left out (they were refused where they were
    entered). ``name_key``: ``company_key(name)`` when the caller has it already."""
    key = name_word(company_key(name) if name_key is None else name_key)
    full, initials = _pinyin_words(key) if key else ("", "")
    numbers: list[str] = []
    for phone in phones:
        try:
            normal = phone_key(phone)
        except ValidationError:
            continue
        if normal:
            numbers.append(normal.lstrip("+"))
    shown = list(dict.fromkeys(w[:MAX_KEY] for w in (key, full, initials, *numbers) if w))
    terms: list[str] = []
    for word in (key, initials):
        terms.extend(_suffixes(word[:MAX_KEY]) if word else ())
    if full:
        terms.append(full[:MAX_KEY])
    for number in numbers:
        terms.extend(_suffixes(number, PHONE_RUN_MIN))
    return SearchWords(" ".join(shown)[:400], tuple(dict.fromkeys(terms)))


def query_prefix(text: str) -> str:
    """What a search box's text is matched against by prefix: the digits of a (partial) phone number in
    the form of ``phone_key`` (+86 dropped, the trunk 0 of a landline kept), else a company key."""
    stripped = PHONE_SEPARATORS_RE.sub("", _fold(text))
    digits = stripped.lstrip("+")
    if not (digits.isascii() and digits.isdigit()):
        return name_word(company_key(text))
    for prefix in ("+86", "0086"):
        if stripped.startswith(prefix):
            rest = stripped[len(prefix) :]
            return rest if rest.startswith("1") else "0" + rest.lstrip("0")
    if digits.startswith("861") and len(digits) == 13:
        return digits[2:]
    return digits
