"""The student search key without pypinyin's 0.3 s dictionary load (issue 17): the cached
table and our copy of its segmenter give exactly what pypinyin itself gives, for every phrase
and character it knows and for thousands of names."""

from __future__ import annotations

import random

import pytest

from growthdesk.services import pinyin as P


@pytest.fixture(scope="module")
def real():
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin import lazy_pinyin
    return (lambda text: lazy_pinyin(text, errors="ignore")), PHRASES_DICT, PINYIN_DICT


@pytest.fixture()
def tables(monkeypatch, tmp_path):
    """A table built now, in an empty cache folder (what a new PC does on its first name)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))
    monkeypatch.setattr(P, "_tables", None)
    assert P._load_tables()
    assert list((tmp_path / "cache").rglob("pinyin-*.bin"))  # kept for the next process
    built = P._tables
    monkeypatch.setattr(P, "_tables", None)
    monkeypatch.setattr(P, "build_tables", lambda: pytest.fail("the kept table was built again"))
    assert P._load_tables()   # the next process reads it back: not built again
    assert P._tables[2] == built[2] and P._tables[1] == built[1]
    yield
    monkeypatch.setattr(P, "_tables", None)


def test_every_phrase_and_character_reads_as_pypinyin_reads_it(real, tables):
    lazy, phrases, chars = real
    assert [p for p in phrases if P.lazy_pinyin(p) != lazy(p)] == []
    assert [c for c in map(chr, chars) if P.lazy_pinyin(c) != lazy(c)] == []


def test_names_are_cut_and_read_as_pypinyin_does(real, tables):
    """Random names from common name characters and pieces of phrases (where the segmenter
    decides), with characters that have no pinyin or split the text."""
    lazy, phrases, _chars = real
    rng = random.Random(17)
    common = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文" \
             "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰长乐重行朝调单解查曾朴区仇盖翟繁种角率颉" \
             "子涵梓轩浩宇欣怡一诺雨泽思睿俊熙若曦嘉懿佳琪天佑紫萱沐宸可馨梓萱诗涵语桐"
    pieces = [p for p in phrases if 2 <= len(p) <= 3]
    odd = ["䷀", "𠀀", "〇", "\ue815", "々", "丶"]
    names = []
    for _ in range(6000):
        parts = [rng.choice(common) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.6:
            parts.insert(rng.randint(0, len(parts)), rng.choice(pieces))
        if rng.random() < 0.05:
            parts.insert(rng.randint(0, len(parts)), rng.choice(odd))
        names.append("".join(parts))
    wrong = [n for n in names if P.lazy_pinyin(n) != lazy(n)]
    assert wrong == []


def test_search_key_unchanged_and_pypinyin_used_when_no_table_can_be_kept(real, monkeypatch, tmp_path):
    names = ["张三", "曾长江", "单于重阳", "尉迟乐乐", "Anna李", "迪丽热巴·迪力木拉提", "欧阳朝晖"]
    P.name_pinyin.cache_clear()
    fast = [P.name_pinyin(n) for n in names]
    assert fast[:3] == ["zhangsan zs", "zengchangjiang zcj", "chanyuchongyang cycy"]
    ro = tmp_path / "ro"
    ro.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(ro))
    monkeypatch.setenv("LOCALAPPDATA", str(ro))
    monkeypatch.setattr(P, "_tables", None)
    P.name_pinyin.cache_clear()
    try:
        assert [P.name_pinyin(n) for n in names] == fast
        assert P._tables is False   # no table: pypinyin itself answered
    finally:
        P.name_pinyin.cache_clear()
        monkeypatch.setattr(P, "_tables", None)
