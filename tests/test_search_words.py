"""The words the search index holds (generator/search_words.py): a phrase is in a text exactly when its pair
words are there one after another, whatever a dictionary would make of it; quotes do not break a phrase."""
from generator.search import passage
from generator.search_words import index_words, lone_words, segment_words, segments


def holds(text: str, query: str) -> bool:
    """What Pagefind's exact search answers: the query's pair words consecutive among the text's."""
    words = index_words(text).split()
    wanted = [w for s in segments(query) for w in segment_words(s)]
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def test_a_phrase_is_found_exactly_where_it_is_written():
    text = "西河乡上坝村生态养鸡扩建项目；康源公司生猪养殖场。城市低保标准提高到每人每月850元，PM2.5浓度下降。"
    for query in ("养鸡", "生态养鸡扩建", "低保标准", "城市低保", "PM2.5", "PM2.5浓度", "每月850元", "850元"):
        assert holds(text, query), query
    for query in ("养猪", "鸡养", "低保项目", "不存在", "标准城市", "PM10"):
        assert not holds(text, query), query


def test_quotes_join_and_punctuation_separates():
    assert holds("“三公”经费比上年减少", "三公经费")
    assert holds("《示例办法》解读", "办法解读")
    assert not holds("城乡低保，标准调整", "低保标准")
    assert holds("ＰＭ２．５月均浓度", "pm2.5")      # full-width and case are read as the reader sees them


def test_pairs_are_ascii_words_and_only_characters_that_begin_no_pair_are_listed_alone():
    words = index_words("低保低保").split()
    assert words == ["x04f4e04fdd", "x04fdd04f4e", "x04f4e04fdd"] and all(w.isascii() for w in words)
    assert lone_words("低保低保") == ""                   # both begin a pair
    assert lone_words("保低，城乡低保。省") == "x07701"     # 保 begins 保低, 省 stands alone
    assert lone_words("城乡低保，保。省") == "x04fdd x07701"             # here 保 only ends segments


TEXTS = ("西河乡上坝村生态养鸡扩建项目；康源公司生猪养殖场。城市低保标准提高到每人每月850元，PM2.5浓度下降。",
         "《示例办法》解读：省、市、县。GB 3095-2012 x光 gkt 元", "甲", "a乙 b丙丁 x0 g 05")


def one_character_search(words: list[str], c: str) -> bool:
    """What Pagefind's prefix search for one character answers (gk-search.js: "x" + its code point)."""
    term = "x" + f"{ord(c):05x}"
    return any(w.startswith(term) for w in words)


def test_a_one_character_search_finds_every_character_of_a_text_and_no_other():
    for text in TEXTS:
        words = (index_words(text) + " " + lone_words(text)).split()
        held = {c for s in segments(text) for e in s if not e.isascii() for c in e}
        for c in held:
            assert one_character_search(words, c), (text, c)
        for c in "氪氙氡钋不" + "".join(chr(ord(c) + 1) for c in held):
            assert c in held or not one_character_search(words, c), (text, c)


def test_no_word_is_a_prefix_pagefind_could_fall_back_to_from_a_one_character_search():
    """Pagefind answers a prefix search for a word it lacks with the longest word that is a prefix of it: no
    index word may be a prefix of x04fdd, or 保 would find records without it."""
    for text in TEXTS:
        words = (index_words(text) + " " + lone_words(text)).split()
        for term in ("x04fdd", "x0770f"):
            assert not [w for w in words if term.startswith(w) and w != term], (text, term)


def test_snippet_passage_is_joined_with_chinese_punctuation():
    text = passage(["内容概述", "第一行\n接着写完。\n\n另起一段", "办事依据：某办法"])
    assert text.replace("\n", "") == "内容概述。第一行接着写完。另起一段。办事依据：某办法"
    assert ". " not in text


def test_the_quick_path_for_han_segments_writes_what_the_elements_say():
    """index_words and lone_words take Han-only segments by a quicker path: they must write what the segments'
    elements say, for any text (random mixes of Han, letters, digits, dots, full-width forms and separators)."""
    import random
    rnd = random.Random(7)
    alphabet = "低保标准城乡a1b2x0g.5 ，。《》“”ＰＭ２．５\U00020001乂\n-"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(5000)] + list(TEXTS)
    for text in texts:
        runs = segments(text)
        assert index_words(text) == "\n".join(" ".join(segment_words(s))
                                               for s in runs if len(s) > 1 or s[0].isascii()), text
        found = {e for s in runs for e in s if not e.isascii()}
        starting = {e for s in runs for e in s[:-1]}
        assert lone_words(text) == " ".join(sorted("x" + f"{ord(c):05x}" for c in found - starting))
