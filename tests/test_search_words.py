"""The words the search index holds (generator/search_words.py): a phrase is in a text exactly when its pair
words are there one after another, whatever a dictionary would make of it; quotes do not break a phrase."""
from generator.search import passage
from generator.search_words import TITLE_MARK, character_words, index_words, segment_words, segments


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


def test_pairs_are_ascii_words_and_characters_are_listed_once():
    words = index_words("低保低保").split()
    assert words == ["x04f4e04fdd", "x04fdd04f4e", "x04f4e04fdd"] and all(w.isascii() for w in words)
    assert character_words("低保低保", TITLE_MARK) == "gktu04f4e gktu04fdd"


def test_snippet_passage_is_joined_with_chinese_punctuation():
    text = passage(["内容概述", "第一行\n接着写完。\n\n另起一段", "办事依据：某办法"])
    assert text.replace("\n", "") == "内容概述。第一行接着写完。另起一段。办事依据：某办法"
    assert ". " not in text
