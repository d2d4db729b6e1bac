"""Normalised keys for duplicates and search (R15): company names, phones, credit codes, search words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from salesops.customers.normalise import (
    company_key,
    credit_code_clean,
    han_pinyin,
    name_keys,
    name_word,
    phone_key,
    query_prefix,
    search_words,
)

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
LATIN = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789")
NAME_CORE = st.text(st.one_of(HAN, LATIN), min_size=1, max_size=12).filter(
    lambda s: company_key(s) == s  # a core that is itself a key (no suffix of its own)
)
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def to_full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(ch, ch) for ch in text)


# A valid code computed independently of the code under test (GB 32100-2015): 31 characters, the digits
# and the capitals without I, O, S, V, Z; weights 3^i mod 31; the check makes the sum a multiple of 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def with_check(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return first17 + CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


CODE_BODY = st.text(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=17, max_size=17)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("华为技术有限公司", "华为技术"),
        ("华为技术(深圳)有限公司", "华为技术(深圳)"),
        ("华为技术（上海市）有限公司", "华为技术(上海)"),
        ("上海市华为技术有限公司", "上海华为技术"),
        ("華為技術有限公司", "华为技术"),
        ("华为技术（集团）有限公司", "华为技术"),
        ("华为技术集团", "华为技术"),
        ("华为技术股份有限公司", "华为技术"),
        ("华为技术有限责任公司", "华为技术"),
        ("华为技术集团有限公司", "华为技术"),
        ("华为 技术 公司", "华为技术"),
        ("ＨＵＡＷＥＩ Co., Ltd.", "huawei"),
        ("Huawei Technologies Co.,Ltd", "huaweitechnologies"),
        ("Acme Inc.", "acme"),
        ("Disco", "disco"),
        ("公司", "公司"),
    ],
)
def test_company_key_examples(name: str, key: str) -> None:
    assert company_key(name) == key


@given(st.text(max_size=60))
def test_company_key_is_idempotent(name: str) -> None:
    key = company_key(name)
    assert company_key(key) == key


@given(NAME_CORE, st.sampled_from(["有限公司", "股份有限公司", "有限责任公司", " Co., Ltd.", "公司", "集团", ""]))
def test_width_space_case_and_suffix_variants_share_a_key(core: str, suffix: str) -> None:
    variants = [
        core + suffix,
        to_full_width(core.upper()) + suffix,
        " ".join(core) + suffix,
        core.upper() + "  " + suffix,
    ]
    assert {company_key(v) for v in variants} == {core}


@given(NAME_CORE, st.sampled_from(["（北京）有限公司", "(北京市)", "（北京）", " (北京) Co., Ltd."]))
def test_a_region_in_brackets_stays_in_the_key_in_one_spelling(core: str, qualifier: str) -> None:
    """R15: 星河科技（北京） is not 星河科技 (a near match at most), whatever the brackets' width."""
    assert company_key(core + qualifier) == core + "(北京)"
    assert company_key(to_full_width(core.upper()) + qualifier) == core + "(北京)"


@pytest.mark.parametrize(
    "phone",
    ["021-6123 4567", "(021)61234567", "+86 21 61234567", "0086-21-6123-4567", "０２１－６１２３４５６７"],
)
def test_landline_forms_share_a_key(phone: str) -> None:
    assert phone_key(phone) == "02161234567"


@pytest.mark.parametrize("phone", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678",
                                   "8613812345678", "１３８１２３４５６７８"])
def test_mobile_forms_share_a_key(phone: str) -> None:
    assert phone_key(phone) == "13812345678"


@pytest.mark.parametrize("phone", ["138abc45678", "call me", "电话13812345678", "1234"])
def test_bad_phones_are_a_field_error(phone: str) -> None:
    with pytest.raises(ValidationError) as error:
        phone_key(phone)
    assert list(error.value.message_dict) == ["phone"]


@pytest.mark.parametrize("phone", [
    "020-83758474转801", "020-83758474 转 801", "020-83758474-801", "020-83758474 ext 801", "020-83758474 EXT. 801",
    "020 8375 8474 x801", "020-83758474分机801", "+86 20 83758474-801", "０２０－８３７５８４７４转８０１",
])
def test_an_extension_is_left_out(phone: str) -> None:
    """R15: a number with an extension is accepted and compared without it."""
    assert phone_key(phone) == "02083758474"


@pytest.mark.parametrize(("phone", "key"), [
    ("0755-8375-8474", "075583758474"),  # a dash inside the number is no extension
    ("138-1234-5678", "13812345678"),
    ("13812345678-12", "13812345678"),
])
def test_a_dash_is_an_extension_only_after_a_whole_number(phone: str, key: str) -> None:
    assert phone_key(phone) == key


def test_empty_phone_stays_empty() -> None:
    assert phone_key("  ") == ""


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "0086", "+86 "]))
def test_phone_key_is_idempotent(mobile: str, prefix: str) -> None:
    key = phone_key(prefix + mobile)
    assert key == mobile
    assert phone_key(key) == key


def test_known_credit_code_passes() -> None:
    # A published code (a Fujian company), in lower case with a space: cleaned to its 18 capitals.
    assert credit_code_clean("91350100m000100y 43") == "91350100M000100Y43"


@given(CODE_BODY)
def test_generated_valid_codes_pass(body: str) -> None:
    code = with_check(body)
    assert credit_code_clean(code) == code
    assert credit_code_clean(code.lower()) == code


@settings(max_examples=200)
@given(CODE_BODY, st.integers(min_value=0, max_value=17), st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ-"))
def test_any_single_character_change_fails(body: str, position: int, replacement: str) -> None:
    code = with_check(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    with pytest.raises(ValidationError) as error:
        credit_code_clean(changed)
    assert list(error.value.message_dict) == ["credit_code"]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y431", "91350100M000100Y44"])
def test_bad_credit_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        credit_code_clean(code)


def test_shown_search_key_has_key_pinyin_initials_and_phones() -> None:
    assert search_words("华为科技有限公司", ["138-1234-5678", "not a phone"]).shown == (
        "华为科技 huaweikeji hwkj 13812345678"
    )
    assert search_words("IBM中国", []).shown == "ibm中国 ibmzhongguo ibmzg"


def test_search_terms_are_every_suffix_of_key_and_initials_and_phone_runs_of_four() -> None:
    """R15 search: 杭州禾木新材料 is found by 禾木 and hm because both start a kept suffix."""
    terms = search_words("杭州禾木新材料有限公司", ["0571-8888 1234", "bad"]).terms
    key, initials, digits = "杭州禾木新材料", "hzhmxcl", "057188881234"
    assert sorted(terms) == sorted(
        {key[i:] for i in range(len(key))} | {initials[i:] for i in range(len(initials))}
        | {"hangzhouhemuxincailiao"} | {digits[i:] for i in range(len(digits) - 3)}
    )
    assert len(terms) == len(set(terms))
    assert "234" not in terms and "1234" in terms  # a run of four digits or more, the last four above all


@given(st.text(HAN, min_size=1, max_size=12).filter(lambda s: company_key(s) == s),
       st.text("0123456789", min_size=7, max_size=7), st.data())
def test_any_part_of_the_key_initials_or_a_phone_run_starts_a_term(core: str, tail: str, data: st.DataObject) -> None:
    from pypinyin import lazy_pinyin

    phone = "1380" + tail
    initials = "".join(syllable[0] for syllable in lazy_pinyin(core))
    terms = search_words(core, [phone]).terms
    for word, shortest in ((core, 1), (initials, 1), (phone, 4)):
        start = data.draw(st.integers(0, len(word) - shortest))
        part = word[start : data.draw(st.integers(start + shortest, len(word)))]
        assert any(term.startswith(part) for term in terms), (word, part)


@given(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=3))
def test_search_words_never_fail_and_have_no_empty_words(name: str, phones: list[str]) -> None:
    words = search_words(name, phones)
    assert "" not in words.shown.split(" ") or words.shown == ""
    assert len(words.shown) <= 400
    assert "" not in words.terms and all(len(term) <= 120 for term in words.terms)


def test_query_prefix_folds_like_the_keys() -> None:
    assert query_prefix("ＨＷ") == "hw"
    assert query_prefix("华为 技术（深圳）有限公司") == "华为技术深圳"
    assert query_prefix("华为 技术") == "华为技术"
    assert query_prefix("+86 138-1234") == "1381234"
    assert query_prefix("021-6123") == "0216123"


@pytest.mark.parametrize("word", ["重庆银行长沙分行", "行长", "朝阳区朝夕", "还有还款", "长安汽车长沙银行"])
def test_remembered_pinyin_reads_heteronyms_like_pypinyin(word: str) -> None:
    """R15 search words: the per-word memo gives what lazy_pinyin gives, phrase readings included."""
    from pypinyin import lazy_pinyin

    assert han_pinyin(word) == lazy_pinyin(word) == han_pinyin(word)


@settings(max_examples=300)
@given(st.text(HAN, min_size=1, max_size=12))
def test_remembered_pinyin_matches_pypinyin(run: str) -> None:
    from pypinyin import lazy_pinyin

    assert han_pinyin(run) == lazy_pinyin(run)


@given(st.text(max_size=30))
def test_company_key_keeps_only_letters_and_digits(name: str) -> None:
    """Letters and digits, and the brackets around the places or words that qualify the name."""
    import unicodedata

    keys = name_keys(name)
    assert all(unicodedata.category(ch)[0] in "LN" for ch in keys.exact.replace("(", "").replace(")", ""))
    assert all(unicodedata.category(ch)[0] in "LN" for ch in keys.base)
    assert all(unicodedata.category(ch)[0] in "LN" for ch in name_word(keys.exact))


PLACES = st.sampled_from(["北京", "深圳", "上海", "广州", "杭州", "台北"])
PLAIN_CORE = NAME_CORE.filter(lambda s: len(s) >= 2 and not name_keys(s).regions)


@given(PLAIN_CORE, PLACES, st.sampled_from(["（{}）", "({}市)", "（{}）有限公司"]), st.sampled_from(["", "市"]))
def test_a_place_added_or_moved_is_a_near_match(core: str, place: str, bracket: str, admin: str) -> None:
    """R15: 星河科技 ~ 星河科技（上海） ~ 上海星河科技 ~ 上海市星河科技: near, not the same company."""
    plain, bracketed, prefixed = (name_keys(n) for n in (core, core + bracket.format(place), place + admin + core))
    for one, other in ((plain, bracketed), (bracketed, plain), (bracketed, prefixed), (prefixed, plain)):
        assert one.exact != other.exact
        assert one.near(other) and other.near(one)


@given(PLAIN_CORE, PLACES, PLACES, st.booleans())
def test_two_places_are_two_companies(core: str, first: str, second: str, in_front: bool) -> None:
    """R15: 星河科技（北京） and 星河科技（深圳） (or 北京星河科技) are different companies: no warning."""
    one = name_keys(first + core if in_front else f"{core}（{first}）")
    other = name_keys(f"{core}（{second}）")
    assert one.near(other) is (first == second and in_front)
    assert (one.exact == other.exact) is (first == second and not in_front)


@settings(max_examples=500)
@given(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12))
def test_traditional_characters_fold_as_the_converter_converts_them(run: str) -> None:
    """R15: 華為技術 is 华为技术. Names without a character the converter changes skip it: that shortcut
    must give what the converter gives."""
    from opencc import OpenCC

    assert company_key(run) == company_key(OpenCC("t2s").convert(run))
