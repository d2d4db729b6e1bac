"""Keys that make duplicates findable and customers searchable (R15).

``company_key`` folds a company name so that 华为技术（深圳）有限公司, ＨＵＡＷＥＩ and "Huawei Co., Ltd."
meet their twins; ``phone_key`` turns any way of writing a mainland number into one string;
``credit_code_clean`` checks a unified social credit code (GB 32100-2015) with its check digit;
``search_key`` lists the words a customer can be found by (key, full pinyin, pinyin initials, phones),
each of them matched by prefix on an indexed column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style
from pypinyin.converter import UltimateConverter
from pypinyin.seg.simpleseg import seg

# Longest first, so 股份有限公司 goes before 有限公司 and 公司.
CHINESE_SUFFIXES = (
    "集团股份有限公司", "集团有限责任公司", "股份有限责任公司", "集团有限公司", "有限责任公司", "股份有限公司",
    "集团公司", "有限公司", "股份公司", "总公司", "分公司", "公司",
)
LATIN_SUFFIX_RE = re.compile(
    r"[\s,.&]*\b(?:co|company|corp|corporation|inc|incorporated|ltd|limited|llc|plc|gmbh|group)\b[\s,.&]*$"
)
BRACKETS_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|〈[^〈〉]*〉|《[^《》]*》")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-.()/]")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_KEY = 120

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the last is a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _fold(text: str) -> str:
    """NFKC (full width → half width) and case folding, repeated until stable so the fold is idempotent."""
    folded = unicodedata.normalize("NFKC", text or "")
    for _round in range(4):
        again = unicodedata.normalize("NFKC", folded.casefold())
        if again == folded:
            break
        folded = again
    return folded


def _letters_and_digits(text: str) -> str:
    if text.isalnum():  # every character is a letter or a digit (category L* or N*): nothing to drop
        return text
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def company_key(name: str) -> str:
    """The company name without width, case, spaces, punctuation, bracketed parts (regions such as （深圳））
    and legal-form suffixes (有限公司, Co., Ltd. ...). A name that is nothing but a suffix keeps it."""
    folded = _fold(name)
    while True:
        unbracketed = BRACKETS_RE.sub(" ", folded)
        if unbracketed == folded:
            break
        folded = unbracketed
    stripped = folded
    while (shorter := LATIN_SUFFIX_RE.sub("", stripped)) != stripped:
        stripped = shorter
    key = _letters_and_digits(stripped)
    changed = True
    while changed:
        changed = False
        for suffix in CHINESE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
                break
    if not key:
        key = _letters_and_digits(folded)
    return key[:MAX_KEY]


def phone_key(phone: str) -> str:
    """One form per number: a mainland mobile as 11 digits, a landline as area code + number
    (021-6123 4567, (021)61234567 and +86 21 61234567 all give 02161234567); '' stays ''.
    Letters or other characters are a field error on ``phone``."""
    text = PHONE_SEPARATORS_RE.sub("", _fold(phone))
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


def search_key(name: str, phones: Iterable[str], *, name_key: str | None = None) -> str:
    """The words a customer is found by, space-separated: 华为科技 → "华为科技 huaweikeji hwkj" plus the
    phone keys. Phones that do not normalise are left out (they were refused where they were entered).
    ``name_key``: ``company_key(name)`` when the caller has it already."""
    words: list[str] = []
    key = company_key(name) if name_key is None else name_key
    if key:
        words.append(key)
        full, initials = _pinyin_words(key)
        words.extend(w for w in (full, initials) if w)
    for phone in phones:
        try:
            normal = phone_key(phone)
        except ValidationError:
            continue
        if normal:
            words.append(normal.lstrip("+"))
    unique = list(dict.fromkeys(w[:MAX_KEY] for w in words))
    return " ".join(unique)[:400]


def query_prefix(text: str) -> str:
    """What a search box's text is matched against by prefix: the digits of a (partial) phone number in
    the form of ``phone_key`` (+86 dropped, the trunk 0 of a landline kept), else a company key."""
    stripped = PHONE_SEPARATORS_RE.sub("", _fold(text))
    digits = stripped.lstrip("+")
    if not (digits.isascii() and digits.isdigit()):
        return company_key(text)
    for prefix in ("+86", "0086"):
        if stripped.startswith(prefix):
            rest = stripped[len(prefix) :]
            return rest if rest.startswith("1") else "0" + rest.lstrip("0")
    if digits.startswith("861") and len(digits) == 13:
        return digits[2:]
    return digits
