"""One test per cleaning rule, on snippets taken from the bundled texts."""
from __future__ import annotations

from policyqa.corpus import cleaning as c


def test_pinyin_ruby_removed_after_cjk():
    assert c.remove_pinyin_ruby("新疆生產(chan) 建設兵團工業(ye) 和信息化") == "新疆生產建設兵團工業和信息化"
    assert c.remove_pinyin_ruby("中國證監會(hui)") == "中國證監會"  # at a line end, no trailing space
    assert c.remove_pinyin_ruby("體(ti) ,是") == "體,是"
    assert c.remove_pinyin_ruby("綠(lü) 色") == "綠色"


def test_real_parentheses_survive_pinyin_rule():
    for keep in ("(一)加快先進適用技術", "促進整機(係統)和基礎產品", "首台(套)裝備", "服務指南(試行)》",
                 "貨車方案(2024-2025年)》", "教育廳(委、局)", "state-owned enterprises (SOEs) get", "Xi(xi) "):
        assert c.remove_pinyin_ruby(keep) == keep


def test_fix_cjk_spaces():
    assert c.fix_cjk_spaces("2023年 12月 28日") == "2023年12月28日"
    assert c.fix_cjk_spaces("造业的比重近 80%，是支撑") == "造业的比重近80%，是支撑"
    assert c.fix_cjk_spaces("用水量较 2023年下降 13%左右") == "用水量较2023年下降13%左右"
    assert c.fix_cjk_spaces("云计算、5G、物联网") == "云计算、5G、物联网"
    assert c.fix_cjk_spaces("Industrial Internet + Safety") == "Industrial Internet + Safety"


def test_normalize_whitespace_strips_leading_space_before_clause():
    assert c.normalize_whitespace(" （七）推动产业园区") == "（七）推动产业园区"
    assert c.normalize_whitespace(" （十五）加强组织领导。") == "（十五）加强组织领导。"
    assert c.normalize_whitespace("views: \xa0\xa0\xa0\xa0release time:2017") == "views: release time:2017"


def test_join_wrapped_lines_rejoins_pdf_paragraphs():
    full = "甲" * 33
    lines = [
        "工业和信息化部等八部门关于加快传统", "", "制造业转型升级的指导意见", "",  # centred title: short lines
        "传统制造业是我国制造业的主体，是现代化产业体系的基底。推动传", "",
        full, "", full[:-1] + "。",  # full-width line ending in 。 continues
        "继续这一段并在行中结束。",  # short line ending in 。 ends the paragraph
        "一、发展基础和总体要求", "",
        "加快传统制造业转型升级要以习近平新时代中国特色社会主义思想", "", full, "", "展。",
        " " + ("（七）推动产业园区" + "乙" * 33)[:33], "",
    ] + [full] * 6
    paras = c.join_wrapped_lines([c.normalize_whitespace(l) for l in lines])
    assert paras[0] == "工业和信息化部等八部门关于加快传统"
    assert paras[1] == "制造业转型升级的指导意见"
    assert paras[2] == "传统制造业是我国制造业的主体，是现代化产业体系的基底。推动传" + full + full[:-1] + "。继续这一段并在行中结束。"
    assert paras[3] == "一、发展基础和总体要求"
    assert paras[4] == "加快传统制造业转型升级要以习近平新时代中国特色社会主义思想" + full + "展。"
    assert paras[5] == ("（七）推动产业园区" + "乙" * 33)[:33] + full * 6
    assert " " not in "".join(paras)


def test_fix_marker_space():
    assert c.fix_marker_space("3.Implementation of pilot projects") == "3. Implementation of pilot projects"
    assert c.fix_marker_space("II.Main") == "II. Main"
    assert c.fix_marker_space("3.5 percent rise") == "3.5 percent rise"


def test_fix_punct_glue():
    assert c.fix_punct_glue("were undertaken.Collaboration among") == "were undertaken. Collaboration among"
    assert c.fix_punct_glue("Manufacturing Nation,relevant agencies") == "Manufacturing Nation, relevant agencies"
    for keep in ("the U.S. economy", "Source:en.qstheory.cn", "e.g. steel", "34.1% and 1,000 yuan"):
        assert c.fix_punct_glue(keep) == keep


def test_fix_year_glue():
    assert c.fix_year_glue("“China Manufacturing2025”") == "“China Manufacturing 2025”"
    assert c.fix_year_glue("5G and CO2 and H7N9") == "5G and CO2 and H7N9"


def test_fix_camel_glue_only_in_headings():
    assert c.fix_camel_glue_in_heading("II. MainDifficulties and Problems") == "II. Main Difficulties and Problems"
    running = "Companies such as PetroChina expanded their output over the year and more."
    assert c.fix_camel_glue_in_heading(running) == running


def test_glued_lowercase_words_are_left_as_written():
    # No dictionary: "onmajor" cannot be told from "wastewater", so both stay as the source wrote them.
    cleaned = c.clean_document("focusing onmajor objectives.\n\nIndustrial wastewater recycling and matchmaking.", "en")
    assert cleaned.body == "focusing onmajor objectives.\n\nIndustrial wastewater recycling and matchmaking."


def test_debris_lines():
    for debris in ("Related Downloads", "Related News", "undefined", "views: release time:2017-03-14",
                   "2024-03-21 16:56:00 | Author: CPC Leadership Group | Source:en.qstheory.cn 2024-03-11"):
        assert c.is_debris_line(debris)
    for keep in ("Related parties shall cooperate.", "(1) Accelerate the promotion", "undefined terms remain"):
        assert not c.is_debris_line(keep)


def test_photo_captions():
    assert c.is_photo_caption("Workers calibrate intelligent robots, April 6, 2023. PHOTO BY XINHUA REPORTER LUO XUEFENG")
    assert not c.is_photo_caption("Workers in photovoltaic plants will be trained.")


def test_trailing_link_list():
    paras = ["(十八)擴大人才供給。", "最新政策", "- 交通運輸部辦公廳關於…的通知", "- 中共中央 國務院關於…的意見"]
    assert c.trailing_link_list_start(paras) == 1
    assert c.trailing_link_list_start(paras[:1]) is None
    assert c.trailing_link_list_start(["最新政策", "正文的一段。"]) is None


def test_signature_block_and_dates():
    paras = ["(Eighteen) Expand talent supply. Optimize the settings.", "Ministry of Education", "Ministry of Finance", "December 28, 2023"]
    assert c.signature_block(paras) == (1, ["Ministry of Education", "Ministry of Finance"], "2023-12-28")
    assert c.parse_date_line("2023年12月28日") == "2023-12-28"
    assert c.parse_date_line("(March 11, 2017)") == "2017-03-11"
    assert c.parse_date_line("By 2027, the level will rise.") is None
    assert c.signature_block(["A normal closing paragraph."]) is None


def test_over_converted_characters_are_kept_for_display():
    # 全麵 (for 全面) is how the zh-Hant page is written; display stays faithful, search folds scripts.
    cleaned = c.clean_document("一、加快數字技術賦能,全麵推動智能製造\n(一)推動體(ti) 係建設。", "zh-Hant")
    assert cleaned.body == "一、加快數字技術賦能,全麵推動智能製造\n\n(一)推動體係建設。"


def test_split_paragraphs_modes():
    assert c.split_paragraphs("one line\nsecond line\n", "en") == ["one line", "second line"]
    md = "The first paragraph of this note wraps\nonto two lines.\n\nThe second paragraph of the note\nalso wraps.\n\nThird."
    assert c.split_paragraphs(md, "en") == ["The first paragraph of this note wraps onto two lines.",
                                            "The second paragraph of the note also wraps.", "Third."]
    web = "Ministry of Education\nMinistry of Finance\n\nA sentence.\nAnother sentence."
    assert c.split_paragraphs(web, "en") == ["Ministry of Education", "Ministry of Finance", "A sentence.", "Another sentence."]


def test_metadata_lines_leave_the_body():
    raw = ("A news headline about the opinions\n\nThe ministry issued the opinions today.\n\n"
           "Opinions on Things\n\nMIIT [2023] No. 1\n\nTo all provinces:\n\n(1) Do things.\n\n"
           "Ministry of Finance\n\nDecember 28, 2023\n\nRelated News\n\nundefined")
    cleaned = c.clean_document(raw, "en", title="Opinions on Things", number="MIIT [2023] No. 1")
    assert cleaned.body.split("\n\n") == ["A news headline about the opinions", "The ministry issued the opinions today.",
                                           "To all provinces:", "(1) Do things."]
    assert cleaned.lead_count == 2 and cleaned.date == "2023-12-28" and cleaned.signatories == ("Ministry of Finance",)
    assert ("title", "Opinions on Things") in cleaned.removed and ("web debris", "undefined") in cleaned.removed
    # A date line alone does not make the paragraphs before it a news lead.
    dated = c.clean_document("My own notes\n\nJanuary 5, 2024\n\nBody text here.", "en")
    assert dated.lead_count == 0 and dated.body == "My own notes\n\nBody text here." and dated.date == "2024-01-05"
