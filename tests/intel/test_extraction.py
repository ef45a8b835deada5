"""Turning uploaded files and pasted text into a source's archived text: decoding (the GBK / Big5
guess above all), HTML main-text extraction, and the refusals an analyst sees. No database."""

import hashlib
import io
import random
import tracemalloc
import zipfile

import pytest

from intel import extraction
from intel.extraction import ENCODINGS, ExtractionError, extract_paste, extract_upload, format_size

LIMIT = 1_000_000

ENGLISH = "Aurora Chips said on Tuesday that its A9 accelerator is now shipping.\nVolumes stay small until March."
SIMPLIFIED = "星辰半导体发布了第三代人工智能芯片，性能提升一倍。\n分析师预计，明年服务器内存价格将上涨两成。"
TRADITIONAL = "星辰半導體發布了第三代人工智慧晶片，效能提升一倍。\n據報導，龍芯微電子計劃在明年第二季度量產七奈米製程。"
MIXED_SIMPLIFIED = "Nvidia的Blackwell GPU供货紧张，客户需要等待六个月。"
MIXED_TRADITIONAL = "Nvidia的Blackwell GPU供貨緊張，客戶需要等待六個月。"
# 䶮 (CJK extension A), 𠮷 (extension B) and the emoji are outside GBK: only GB18030 encodes them.
BEYOND_GBK = "极光科技创始人刘䶮在𠮷野家宣布，新芯片将于下月量产🚀。"
WESTERN = "Café Über-Chips: the “A9” costs 5 € – naïve buyers wait."

# A sentence or less: where GBK and Big5 bytes most often both decode, to different characters.
SHORT_SIMPLIFIED = [
    "芯片",
    "价格上涨",
    "台积电",
    "星辰半导体今年推出了新的处理器。",
    "我们认为该公司的市场份额将继续下降。",
    "极光科技CEO在发布会上说，A9芯片已经开始向云服务商出货。",
    "报告称，HBM供应短缺可能持续到2026年。",
]
SHORT_TRADITIONAL = [
    "晶片",
    "價格上漲",
    "台積電",
    "星辰半導體今年推出了新的處理器。",
    "我們認為該公司的市場佔有率將繼續下降。",
    "極光科技CEO在發表會上說，A9晶片已經開始向雲端服務商出貨。",
    "報告稱，HBM供應短缺可能持續到2026年。",
]

# Japanese and Korean news sentences: their legacy encodings decode as GB18030 (or Big5) too,
# to a jumble of rare Chinese characters.
JAPANESE = [
    "インテルは、次世代のプロセッサーを発表した。2026年に量産を開始する予定です。",
    "東京エレクトロンは2025年3月期の連結営業利益が前期比で大幅に増加する見通しだと発表した。",
    "経済産業省は半導体の国内生産を支援するため、追加の補助金を決めた。",
]
KOREAN = [
    "삼성전자는 2026년에 새로운 메모리 칩을 양산할 계획이라고 밝혔다.",
    "SK하이닉스는 엔비디아에 HBM3E 12단 제품을 공급하기 시작했다.",
    "정부는 반도체 산업 경쟁력 강화를 위해 용인 클러스터에 대한 전력과 용수 공급을 지원하기로 했다.",
    "한국은행은 기준금리를 동결했다.",
]

# Not UTF-8, GB18030, Big5 or Windows-1252: 0x81 0x20 is no double-byte character, and 0x81 is
# unassigned in Windows-1252.
UNDECIDABLE = b"Revenue \x81\x20 rose"

ARTICLE_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="{charset}">
<title>{title}</title>
<style>body {{ color: #333 }}</style>
<script>var tracker = "SCRIPT TEXT";</script>
</head>
<body>
<header><a href="/">Chip Weekly masthead</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">NAV TEXT news</a></li></ul></nav>
<article>
<h1>{title}</h1>
<p>{first}</p>
<p>{second}</p>
</article>
<aside>Related stories: ASIDE TEXT</aside>
<footer><p>FOOTER TEXT. Copyright 2025 Chip Weekly.</p></footer>
</body>
</html>
"""


def article_page(*, charset="utf-8", title="Aurora Chips ships the A9", first="", second=""):
    return ARTICLE_PAGE.format(
        charset=charset,
        title=title,
        first=first or "Aurora Chips said on Tuesday that its A9 accelerator is now shipping to cloud customers.",
        second=second or "The company expects the part to bring in a third of its revenue next year.",
    )


def refusal(data, **options):
    options.setdefault("max_bytes", LIMIT)
    with pytest.raises(ExtractionError) as raised:
        extract_upload(data, **options)
    return raised.value


# --- Decoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        pytest.param(ENGLISH, ENGLISH.encode("utf-8"), "utf-8", id="english-utf-8"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8", id="simplified-utf-8"),
        pytest.param(TRADITIONAL, b"\xef\xbb\xbf" + TRADITIONAL.encode("utf-8"), "utf-8-sig", id="utf-8-with-bom"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030", id="simplified-gbk"),
        pytest.param(BEYOND_GBK, BEYOND_GBK.encode("gb18030"), "gb18030", id="simplified-gb18030-beyond-gbk"),
        pytest.param(TRADITIONAL, TRADITIONAL.encode("big5"), "cp950", id="traditional-big5"),
        pytest.param(TRADITIONAL, TRADITIONAL.encode("gb18030"), "gb18030", id="traditional-gb18030"),
        pytest.param(MIXED_SIMPLIFIED, MIXED_SIMPLIFIED.encode("gbk"), "gb18030", id="mixed-english-gbk"),
        pytest.param(MIXED_TRADITIONAL, MIXED_TRADITIONAL.encode("big5"), "cp950", id="mixed-english-big5"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-16"), "utf-16", id="utf-16-with-bom"),
        pytest.param(WESTERN, WESTERN.encode("windows-1252"), "windows-1252", id="western-windows-1252"),
    ],
)
def test_encoding_is_detected_and_the_exact_text_comes_back(text, data, encoding):
    extracted = extract_upload(data, filename="source.txt", max_bytes=LIMIT)

    assert extracted.text == text
    assert extracted.encoding == encoding
    assert extracted.encoding_detected is True
    assert extracted.format == "text"
    assert extracted.size == len(data)


def test_the_gb18030_sample_really_has_characters_gbk_lacks():
    with pytest.raises(UnicodeEncodeError):
        BEYOND_GBK.encode("gbk")


@pytest.mark.parametrize("text", SHORT_SIMPLIFIED)
def test_short_simplified_chinese_in_gbk_is_not_taken_for_big5(text):
    extracted = extract_upload(text.encode("gbk"), max_bytes=LIMIT)

    assert (extracted.text, extracted.encoding) == (text, "gb18030")


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_traditional_chinese_in_big5_is_decoded_without_being_told(text):
    extracted = extract_upload(text.encode("big5"), max_bytes=LIMIT)

    assert (extracted.text, extracted.encoding) == (text, "cp950")


@pytest.mark.parametrize("text", SHORT_TRADITIONAL)
def test_short_traditional_chinese_in_gb18030_is_not_taken_for_big5(text):
    extracted = extract_upload(text.encode("gb18030"), max_bytes=LIMIT)

    assert (extracted.text, extracted.encoding) == (text, "gb18030")


@pytest.mark.parametrize("text", [*SHORT_SIMPLIFIED, *SHORT_TRADITIONAL])
def test_short_chinese_in_utf_8_stays_utf_8(text):
    extracted = extract_upload(text.encode("utf-8"), max_bytes=LIMIT)

    assert (extracted.text, extracted.encoding) == (text, "utf-8")


def test_big5_with_windows_extensions_is_decoded():
    text = "碁石科技的新晶片售價€100。"  # 碁 and € are in Windows' Big5 (cp950), not in plain Big5

    extracted = extract_upload(text.encode("cp950"), max_bytes=LIMIT)

    assert (extracted.text, extracted.encoding) == (text, "cp950")


def test_chosen_encoding_is_used_and_reported_as_chosen():
    extracted = extract_upload(TRADITIONAL.encode("big5"), encoding="cp950", max_bytes=LIMIT)

    assert extracted.text == TRADITIONAL
    assert extracted.encoding == "cp950"
    assert extracted.encoding_detected is False


def test_chosen_encoding_overrides_what_detection_would_pick():
    data = "價格上漲".encode("big5")  # also decodes, to other characters, as GB18030

    extracted = extract_upload(data, encoding="gb18030", max_bytes=LIMIT)

    assert extracted.encoding == "gb18030"
    assert extracted.text == data.decode("gb18030") != "價格上漲"


def test_chosen_encoding_is_reported_under_its_name_in_the_list():
    extracted = extract_upload(WESTERN.encode("cp1252"), encoding="CP1252", max_bytes=LIMIT)

    assert extracted.encoding == "windows-1252"
    assert extracted.text == WESTERN


def test_chosen_utf_16_without_byte_order_mark_is_not_taken_for_binary():
    extracted = extract_upload(ENGLISH.encode("utf-16-le"), encoding="utf-16-le", max_bytes=LIMIT)

    assert extracted.text == ENGLISH


def test_wrong_chosen_encoding_names_the_encoding_and_the_byte():
    error = refusal(UNDECIDABLE, encoding="cp950")

    assert error.code == "encoding_mismatch"
    assert str(error) == (
        "The file is not valid Big5: byte 0x81 at position 8 cannot be decoded. "
        "Choose another encoding or let it be detected."
    )


def test_gbk_file_declared_utf_8_is_refused_naming_utf_8():
    error = refusal(SIMPLIFIED.encode("gbk"), encoding="utf-8")

    assert error.code == "encoding_mismatch"
    assert str(error).startswith("The file is not valid UTF-8: byte 0x")


@pytest.mark.parametrize("encoding", ["no-such-encoding", "base64"])
def test_unknown_or_non_text_encoding_is_refused(encoding):
    error = refusal(ENGLISH.encode(), encoding=encoding)

    assert error.code == "encoding_unknown"
    assert encoding in str(error)


@pytest.mark.parametrize(
    "encoding",
    # Python codecs that are no text encodings, or none a browser reads: they would store something
    # else than the file says ("\\u4e2d" as 中), or fail with an error that is no decoding error.
    ["rot13", "zlib", "hex", "unicode_escape", "raw_unicode_escape", "idna", "punycode", "utf-7", "undefined", "cp037"],
)
def test_only_text_encodings_can_be_chosen(encoding):
    error = refusal(b"Aurora \\u4e2d Chips", encoding=encoding)

    assert error.code == "encoding_unknown"
    assert str(error) == f"“{encoding}” is not an encoding this site knows; choose one from the list."


@pytest.mark.parametrize(
    ("encoding", "codec"),
    [
        ("Shift_JIS", "cp932"),
        ("windows-31j", "cp932"),
        ("EUC-KR", "cp949"),
        ("x-gbk", "gb18030"),
        ("GB2312", "gb18030"),
        ("Big5", "cp950"),
        ("latin1", "windows-1252"),
        ("windows-1251", "cp1251"),
        ("KOI8-R", "koi8-r"),
        ("utf-16-le", "utf-16-le"),
        ("UTF8", "utf-8"),
    ],
)
def test_text_encodings_can_be_chosen_by_their_web_or_python_names(encoding, codec):
    assert extract_upload(b"Aurora Chips", encoding=encoding, max_bytes=LIMIT).encoding == codec


def test_undecidable_bytes_ask_for_the_encoding():
    error = refusal(UNDECIDABLE)

    assert error.code == "encoding_unknown"
    assert str(error) == "Could not tell this file's encoding; choose it from the list."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        *[
            pytest.param(text, codec, id=f"japanese-{codec}-{index}")
            for codec in ("cp932", "euc_jp")
            for index, text in enumerate(JAPANESE)
        ],
        *[pytest.param(text, "cp949", id=f"korean-euc-kr-{index}") for index, text in enumerate(KOREAN)],
    ],
)
def test_japanese_or_korean_bytes_are_not_stored_as_chinese_gibberish(text, encoding):
    data = text.encode(encoding)
    assert data.decode("gb18030") != text  # it does decode, wrongly

    error = refusal(data, filename="news.txt")

    assert error.code == "encoding_unknown"
    assert str(error) == "Could not tell this file's encoding; choose it from the list."


@pytest.mark.parametrize(
    ("texts", "codec"), [(JAPANESE, "cp932"), (JAPANESE, "euc_jp"), (KOREAN, "cp949")], ids=["sjis", "euc-jp", "euc-kr"]
)
def test_japanese_and_korean_encodings_can_be_chosen_from_the_list(texts, codec):
    assert codec in [value for value, _label in ENCODINGS]
    for text in texts:
        extracted = extract_upload(text.encode(codec), encoding=codec, max_bytes=LIMIT)
        assert (extracted.text, extracted.encoding, extracted.encoding_detected) == (text, codec, False)


@pytest.mark.parametrize(("charset", "codec"), [("shift_jis", "cp932"), ("euc-jp", "euc_jp"), ("euc-kr", "cp949")])
def test_a_page_declaring_a_japanese_or_korean_encoding_is_read_in_it(charset, codec):
    text = JAPANESE[0] if codec != "cp949" else KOREAN[0]
    page = article_page(charset=charset, first=text)

    extracted = extract_upload(page.encode(codec), filename="news.html", max_bytes=LIMIT)

    assert extracted.encoding == codec
    assert text in extracted.text


def test_encoding_choices_start_with_detection_and_decode_as_listed():
    assert ENCODINGS[0] == ("", "Detect automatically")
    values = [value for value, _label in ENCODINGS[1:]]
    assert {"utf-8", "utf-8-sig", "gb18030", "cp950", "utf-16", "windows-1252"} <= set(values)
    for value in values:
        assert "A9".encode(value).decode(value) == "A9"


# --- What is kept of the text ---------------------------------------------------------------------


def test_sha256_and_size_are_of_the_original_bytes():
    data = "星辰半导体\r\n发布了新芯片。\r\n\r\n".encode("gbk")

    extracted = extract_upload(data, max_bytes=LIMIT)

    assert extracted.sha256 == hashlib.sha256(data).hexdigest()
    assert extracted.size == len(data)
    assert extracted.text == "星辰半导体\n发布了新芯片。"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param(b"First line\r\nSecond line\r\n", "First line\nSecond line", id="crlf"),
        pytest.param(b"First line\rSecond line\r", "First line\nSecond line", id="cr"),
        pytest.param(b"First line\r\n\r\n\r\nAfter gap \t \r\n  \r\n", "First line\n\n\nAfter gap", id="trailing"),
    ],
)
def test_line_endings_become_newlines_and_trailing_white_space_goes(data, text):
    assert extract_upload(data, max_bytes=LIMIT).text == text


def test_plain_text_is_otherwise_kept_as_it_is():
    text = "  Indented   line\twith  tabs\nA line that is long and would be reflowed by a careless tool.\n\n\n- list"

    assert extract_upload(text.encode(), filename="notes.txt", max_bytes=LIMIT).text == text


def test_byte_order_mark_is_removed_even_when_the_encoding_is_chosen():
    data = b"\xef\xbb\xbf" + ENGLISH.encode()

    extracted = extract_upload(data, encoding="utf-8", max_bytes=LIMIT)

    assert extracted.text == ENGLISH


def test_filename_is_kept():
    assert extract_upload(b"Aurora", filename="aurora notes.txt", max_bytes=LIMIT).filename == "aurora notes.txt"


# --- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"filename": "a9.html"}, id="by-extension"),
        pytest.param({"filename": "download", "content_type": "text/html; charset=utf-8"}, id="by-content-type"),
        pytest.param({"filename": "a9.txt"}, id="by-its-start"),
    ],
)
def test_html_main_text_is_extracted_without_navigation_footer_or_script(options):
    extracted = extract_upload(article_page().encode(), max_bytes=LIMIT, **options)

    assert extracted.format == "html"
    assert extracted.title == "Aurora Chips ships the A9"
    assert "Aurora Chips said on Tuesday that its A9 accelerator is now shipping to cloud customers." in extracted.text
    assert "The company expects the part to bring in a third of its revenue next year." in extracted.text
    for boilerplate in ("NAV TEXT", "FOOTER TEXT", "SCRIPT TEXT", "ASIDE TEXT", "masthead", "color"):
        assert boilerplate not in extracted.text


def test_html_paragraphs_stay_on_separate_lines():
    extracted = extract_upload(article_page().encode(), max_bytes=LIMIT)

    assert (
        "Aurora Chips said on Tuesday that its A9 accelerator is now shipping to cloud customers.\n"
        "The company expects the part to bring in a third of its revenue next year."
    ) in extracted.text


@pytest.mark.parametrize("charset", ["gbk", "GB2312"])
def test_html_meta_charset_gbk_is_honoured(charset):
    page = article_page(
        charset=charset,
        title="极光科技发布A9芯片",
        first="极光科技周二表示，A9加速器已开始向云服务商出货。",
        second="公司预计明年该产品将贡献三分之一的营收。",
    )
    data = page.encode("gbk")

    extracted = extract_upload(data, filename="a9.html", max_bytes=LIMIT)

    assert extracted.encoding == "gb18030"
    assert extracted.encoding_detected is True
    assert extracted.title == "极光科技发布A9芯片"
    assert (
        "极光科技周二表示，A9加速器已开始向云服务商出货。\n公司预计明年该产品将贡献三分之一的营收。" in extracted.text
    )
    assert extracted.sha256 == hashlib.sha256(data).hexdigest()


def test_short_utf_8_html_with_a_stale_gb2312_declaration_stays_utf_8():
    first = "芯片价格上涨。"  # 21 bytes of UTF-8: too few to take UTF-8 for granted
    page = article_page(charset="gb2312", first=first + "Aurora Chips raised the A9's price by a tenth.")
    data = page.encode("utf-8")
    assert 0 < len(data.translate(None, bytes(range(128)))) < 32
    assert data.decode("gb18030") != page  # GB18030 decodes it too, wrongly

    extracted = extract_upload(data, filename="a9.html", max_bytes=LIMIT)

    assert extracted.encoding == "utf-8"
    assert first in extracted.text


def test_a_short_gbk_page_that_happens_to_be_valid_utf_8_keeps_its_declaration():
    page = article_page(charset="gb2312", first="芯片 Aurora Chips raised the A9's price by a tenth.")
    data = page.encode("gbk")
    assert data.decode("utf-8") != page  # 芯片 in GBK is valid UTF-8: "оƬ"

    extracted = extract_upload(data, filename="a9.html", max_bytes=LIMIT)

    assert extracted.encoding == "gb18030"
    assert "芯片 Aurora Chips" in extracted.text


def test_a_declared_chinese_encoding_that_reads_as_gibberish_is_detected_instead():
    page = article_page(charset="gb2312", title="星辰半導體", first="星辰半導體今年推出了新的處理器。")
    data = page.encode("big5")  # declared GB2312, written in Big5: both decode

    extracted = extract_upload(data, filename="a9.html", max_bytes=LIMIT)

    assert extracted.encoding == "cp950"
    assert "星辰半導體今年推出了新的處理器。" in extracted.text


@pytest.mark.parametrize("charset", ["unicode_escape", "raw_unicode_escape", "rot13", "base64", "utf-7", "idna"])
def test_a_declared_charset_that_is_no_text_encoding_is_ignored(charset):
    page = article_page(charset=charset, first="Aurora Chips said \\u4e2d and +ZeVnLGeX- are not text, café.")

    extracted = extract_upload(page.encode("windows-1252"), filename="a9.html", max_bytes=LIMIT)

    assert extracted.encoding == "windows-1252"
    assert "Aurora Chips said \\u4e2d and +ZeVnLGeX- are not text, café." in extracted.text


def test_html_http_equiv_big5_is_honoured():
    page = article_page(title="星辰半導體", first="星辰半導體今年推出了新的處理器。", second="價格上漲。").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=big5">'
    )

    extracted = extract_upload(page.encode("big5"), max_bytes=LIMIT)

    assert extracted.encoding == "cp950"
    assert extracted.title == "星辰半導體"
    assert "星辰半導體今年推出了新的處理器。" in extracted.text


def test_html_in_utf_16_is_extracted():
    extracted = extract_upload(article_page(charset="utf-16").encode("utf-16"), max_bytes=LIMIT)

    assert extracted.encoding == "utf-16"
    assert extracted.format == "html"
    assert "Aurora Chips said on Tuesday" in extracted.text


def test_xhtml_with_an_xml_declaration_is_extracted():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + article_page().replace(
        "<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'
    )

    extracted = extract_upload(page.encode(), filename="a9.xhtml", max_bytes=LIMIT)

    assert extracted.title == "Aurora Chips ships the A9"
    assert "Aurora Chips said on Tuesday" in extracted.text


def test_html_without_article_text_is_refused():
    page = (
        "<html><head><title>Chip Weekly</title><script>var x = 1;</script></head>"
        "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>Copyright</footer></body></html>"
    )

    error = refusal(page.encode(), filename="index.html")

    assert error.code == "no_text"
    assert str(error) == "No article text was found in this HTML page; paste the text instead."


def test_text_that_merely_mentions_a_tag_stays_plain_text():
    text = "Notes on the scraper: it looks for <html> and <body> tags.\nNothing else."

    extracted = extract_upload(text.encode(), max_bytes=LIMIT)

    assert extracted.format == "text"
    assert extracted.text == text


# --- Refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="no-bytes"),
        pytest.param(b" \r\n\t \n", id="white-space"),
        pytest.param(b"\xef\xbb\xbf", id="utf-8-bom-only"),
        pytest.param(b"\xff\xfe", id="utf-16-bom-only"),
        pytest.param("\u3000\n".encode("gbk"), id="ideographic-space"),
    ],
)
def test_empty_file_is_refused(data):
    error = refusal(data)

    assert error.code == "empty"
    assert str(error) == "The file is empty."


def test_too_large_file_is_refused_giving_both_sizes():
    error = refusal(b"x" * 1536, max_bytes=1000)

    assert error.code == "too_large"
    assert str(error) == "The file is 1.5 KB; the limit is 1000 bytes."


def test_size_is_checked_before_anything_else():
    assert refusal(b"%PDF-1.7" + b"\x00" * 2000, max_bytes=1000).code == "too_large"


def zip_archive(member_name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member_name, "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.pdf", "a PDF file", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "chart.png", "a PNG image", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpg", "a JPEG image", id="jpeg"),
        pytest.param(zip_archive("notes.txt"), "notes.zip", "a ZIP archive", id="zip"),
        pytest.param(zip_archive("word/document.xml"), "upload", "a Word document (.docx)", id="docx"),
        pytest.param(zip_archive("xl/workbook.xml"), "q3.xlsx", "an Excel workbook (.xlsx)", id="xlsx"),
    ],
)
def test_known_binary_format_is_refused_naming_what_it_looks_like(data, filename, kind):
    error = refusal(data, filename=filename)

    assert error.code == "unsupported"
    assert str(error) == f"This looks like {kind}. Upload HTML or plain text, or paste the text."


def test_known_formats_are_recognised_without_copying_the_file():
    data = b"Aurora Chips said on Tuesday that its A9 accelerator is now shipping.\n" * 70_000  # 5 MB of text
    tracemalloc.start()
    try:
        extraction._refuse_known_binary_formats(data, "a9.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 100_000  # a slice from each magic number's offset copied the file ~27 times


def test_random_binary_with_nul_bytes_is_refused():
    data = random.Random(7).randbytes(4096)
    assert b"\x00" in data

    error = refusal(data, filename="blob.txt")

    assert error.code == "binary"
    assert str(error).startswith("This is a binary file, not text.")


def test_text_full_of_control_characters_is_refused_as_binary():
    data = b"Aurora\x01\x02\x03\x04 Chips\x05\x06\x07\x08 A9\x0e\x0f\x10\x11"

    assert refusal(data).code == "binary"


def test_a_chosen_encoding_does_not_let_binary_through():
    assert refusal(b"Aurora\x00Chips\x00" * 20, encoding="utf-8").code == "binary"


def test_a_stray_form_feed_is_not_binary():
    text = "Page one of the Aurora Chips filing, which runs on for a while.\fPage two."

    assert extract_upload(text.encode(), max_bytes=LIMIT).text == text


# --- Pasted text ----------------------------------------------------------------------------------


def test_pasted_text_is_kept_with_newlines_normalised():
    pasted = "星辰半导体发布了新芯片。\r\n  Aurora Chips disagrees.\r\n\r\n"

    extracted = extract_paste(pasted, max_bytes=LIMIT)

    assert extracted.text == "星辰半导体发布了新芯片。\n  Aurora Chips disagrees."
    assert extracted.sha256 == hashlib.sha256(pasted.encode("utf-8")).hexdigest()
    assert extracted.size == len(pasted.encode("utf-8"))
    assert (extracted.format, extracted.encoding, extracted.encoding_detected) == ("text", "utf-8", False)
    assert (extracted.title, extracted.filename) == ("", "")


@pytest.mark.parametrize("pasted", ["", "  \r\n\t", "\ufeff"])
def test_blank_paste_is_refused(pasted):
    with pytest.raises(ExtractionError) as raised:
        extract_paste(pasted, max_bytes=LIMIT)

    assert raised.value.code == "empty"
    assert str(raised.value) == "Paste the source's text: the box is empty."


def test_too_large_paste_is_refused_giving_both_sizes():
    with pytest.raises(ExtractionError) as raised:
        extract_paste("芯" * 1000, max_bytes=2048)  # 3,000 bytes in UTF-8

    assert raised.value.code == "too_large"
    assert str(raised.value) == "The pasted text is 2.9 KB; the limit is 2.0 KB."


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KB"), (20 * 1024**2, "20.0 MB")],
)
def test_sizes_are_shown_as_people_read_them(size, shown):
    assert format_size(size) == shown
