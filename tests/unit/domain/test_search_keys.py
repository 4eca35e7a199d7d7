from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.search_keys import NO_MATCH, SearchKeys, matches, normalize_query, rank, search_keys

NAME = "老年证办理"
KEYS = search_keys(NAME)


def test_keys_of_the_example():
    assert SearchKeys("laonianzhengbanli", "lnzbl") == KEYS
    assert KEYS.full == "laonianzhengbanli" and KEYS.initials == "lnzbl"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("居住证签注", "juzhuzhengqianzhu", "jzzqz"),
        ("C1驾照（换证）", "c1jiazhaohuanzheng", "c1jzhz"),
        ("绿色通道", "lvsetongdao", "lstd"),
        ("居住证·签注 ", "juzhuzhengqianzhu", "jzzqz"),
        ("ABC def", "abcdef", "abcdef"),
        ("Ｃ１ 驾照", "c1jiazhao", "c1jz"),
        ("", "", ""),
        ("、。！", "", ""),
    ],
)
def test_keys(name, full, initials):
    assert search_keys(name) == SearchKeys(full, initials)


def test_normalize_query():
    assert normalize_query("  LNZ ") == "lnz"
    assert normalize_query("lao nian") == "laonian"
    assert normalize_query("xi'an") == "xian"
    assert normalize_query("ＬＮＺ") == "lnz"
    assert normalize_query("老年 证") == "老年证"
    assert normalize_query("") == ""
    assert normalize_query(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query",
    [
        "老年证",
        "年证",
        "老年证办理",
        "lnz",
        "LNZ",
        "lnzbl",
        "nzb",
        "laonian",
        "laonianzhengbanli",
        "zhengban",
        "lao nian",
    ],
)
def test_matches(query):
    assert matches(query, NAME, KEYS)


@pytest.mark.parametrize("query", ["lnx", "居住", "laonx", "zz", "bll"])
def test_does_not_match(query):
    assert not matches(query, NAME, KEYS)


def test_keys_computed_when_not_given():
    assert matches("lnz", NAME)
    assert rank("lnz", NAME) == 2


def test_rank_order():
    assert rank("老年", NAME, KEYS) == 0  # name prefix
    assert rank("老年证办理", NAME, KEYS) == 0  # exact
    assert rank("证办", NAME, KEYS) == 1  # name substring
    assert rank("lnz", NAME, KEYS) == 2  # initials prefix
    assert rank("laonian", NAME, KEYS) == 3  # full pinyin prefix
    assert rank("nzb", NAME, KEYS) == 4  # initials substring
    assert rank("zhengban", NAME, KEYS) == 5  # full pinyin substring
    assert rank("xyz", NAME, KEYS) == NO_MATCH
    assert rank("", NAME, KEYS) == 0


def test_sorting_a_small_catalog():
    catalog = ["居住证签注", "老年证办理", "老年人优待证补办", "护照办理", "流动人口登记"]
    keyed = [(name, search_keys(name)) for name in catalog]
    hits = sorted((rank("lnz", n, k), i, n) for i, (n, k) in enumerate(keyed) if matches("lnz", n, k))
    assert [n for _, _, n in hits] == ["老年证办理"]
    hits = sorted((rank("ln", n, k), i, n) for i, (n, k) in enumerate(keyed) if matches("ln", n, k))
    assert [n for _, _, n in hits] == ["老年证办理", "老年人优待证补办"]
    hits = sorted((rank("banli", n, k), i, n) for i, (n, k) in enumerate(keyed) if matches("banli", n, k))
    assert [n for _, _, n in hits] == ["老年证办理", "护照办理"]


names = st.text(
    alphabet=st.sampled_from(list("老年证办理居住签注护照补流动人口登记优待换驾") + list("abcXYZ019 -（）·")),
    max_size=12,
)


@given(names)
def test_keys_are_lowercase_ascii_alnum_for_chinese_names(name):
    keys = search_keys(name)
    for key in keys:
        assert key == key.lower()
        assert key.isalnum() or key == ""
        assert key.isascii()
    assert len(keys.initials) <= len(keys.full)


@given(names, st.data())
def test_every_piece_of_a_key_matches(name, data):
    keys = search_keys(name)
    for key in (keys.full, keys.initials, normalize_query(name)):
        if not key:
            continue
        start = data.draw(st.integers(0, len(key) - 1))
        end = data.draw(st.integers(start + 1, len(key)))
        assert matches(key[start:end], name, keys)
        assert rank(key[start:end], name, keys) <= 5


@given(names, st.text(alphabet=st.sampled_from(list("老年证办理居住abcdefghijklmnopqrstuvwxyzXYZ019 '-")), max_size=8))
def test_matches_agrees_with_rank(name, query):
    keys = search_keys(name)
    assert matches(query, name, keys) == (rank(query, name, keys) < NO_MATCH)
    # spacing and case of the query never change the result
    assert rank(query, name, keys) == rank(f" {query.upper()} ", name, keys)
