"""``layout.PlainText`` lays out exactly as the CJK-wrapped Paragraph it replaces."""

from __future__ import annotations

import random

import pytest
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.platypus import Paragraph

from growthdesk.reports.fonts import markup, register_reportlab_font
from growthdesk.reports.layout import PlainText, Styles, para

register_reportlab_font()
ST = Styles()
COMMENT = ST.body.clone("comment", leading=17, firstLineIndent=19, leftIndent=10, rightIndent=10)

TEXTS = [
    "该生本学期表现积极，学习认真，能主动参与课堂讨论。",
    "热依拉·艾克拜尔江·吐尔逊托合提 Anna Smith-Jones 参加了 2025 年全国青少年科技创新大赛（省级一等奖），"
    "作品《基于 Arduino 的校园垃圾分类装置》获得专家好评！",
    "第一行\n第二行\n\n第四行，后面还有很多很多很多很多很多很多很多很多很多很多很多很多很多很多很多很多字。",
    "  前后有空格   中间  也有  \n  下一行  ",
    "SuperLongLatinWordWithoutAnySpacesThatMustBreakSomewhereBecauseItIsLongerThanTheLine 中文",
    "标点，。！？；：不能在行首。」』）】》" * 6,
    "",
    "a",
]


def _random_text(rng: random.Random) -> str:
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严 ，。！？（）《》ABCxyz0123 "
    return "".join(rng.choice(pool) for _ in range(rng.randint(1, 400)))


def _para_lines(p: Paragraph) -> list[tuple[str, float]]:
    """(text, unused width) of each line. Trailing spaces are left out: ReportLab's split adds
    one to each line of the part it keeps (``_split_blParaHard``), invisible, placed nowhere."""
    out = []
    for line in p.blPara.lines:
        if isinstance(line, (tuple, list)):  # one fragment: textsplit.dumbSplit's (extra space, [text])
            out.append(("".join(line[1]).rstrip(" "), round(line[0], 6)))
        else:
            out.append(("".join(w.text for w in line.words).rstrip(" "), round(line.extraSpace, 6)))
    return out


def _plain_lines(p: PlainText) -> list[tuple[str, float]]:
    return [("".join({"\n": "", "\r": " "}.get(ch, ch) for ch, f in p._chars[a:b]).rstrip(" "), round(extra, 6))
            for a, b, extra in p._lines]


CASES = [(t, s, w) for t in TEXTS for s, w in ((ST.body, 30), (ST.cell_c, 95), (ST.right, 160.5), (COMMENT, 420),
                                             (ST.title, 160.5), (COMMENT, 95))]
rng = random.Random(17)
CASES += [(_random_text(rng), rng.choice([ST.body, ST.cell, COMMENT, ST.small]), rng.choice([40, 133.3, 300, 480]))
          for _ in range(30)]


@pytest.mark.parametrize("text,style,width", CASES)
def test_same_lines_heights_and_splits_as_paragraph(text, style, width):
    ref, mine = Paragraph(markup(text), style), PlainText(text, style)
    assert mine.wrap(width, 1000) == ref.wrap(width, 1000)
    assert _plain_lines(mine) == _para_lines(ref)
    for avail in (style.leading * 0.5, style.leading * 1.5, style.leading * 3.2, 10_000):
        a, b = Paragraph(markup(text), style), PlainText(text, style)
        a.wrap(width, avail), b.wrap(width, avail)
        ra, rb = a.split(width, avail), b.split(width, avail)
        assert len(ra) == len(rb)
        for x, y in zip(ra, rb):
            assert y.wrap(width, 1000) == x.wrap(width, 1000)
            assert _plain_lines(y) == _para_lines(x)


def test_styles_plaintext_does_not_handle_stay_paragraphs():
    from reportlab.lib.enums import TA_JUSTIFY
    assert isinstance(para("文字", ST.body.clone("j", alignment=TA_JUSTIFY)), Paragraph)
    assert isinstance(para("文字", ST.body.clone("c", alignment=TA_CENTER)), PlainText)
    assert isinstance(para("文字", ST.body.clone("r", alignment=TA_RIGHT)), PlainText)
