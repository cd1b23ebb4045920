"""Bytes to text (hetong.documents) on real tender documents, and every refusal on crafted input.

The expectations on real files were checked by reading them: the sentences, headings and table rows below
are in the documents (for .docx also confirmed in word/document.xml; for the PDF in pypdf's text, which
matches ``bid_toolkit_tenders/text/``). Corpus files are read in place, never copied.
"""

from __future__ import annotations

import io
import logging
import os
import random
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import get_args

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from hetong.documents import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    DocumentError,
    ErrorCode,
    ExtractedText,
    normalize_newlines,
    read_bytes,
    read_file,
)

RAW = Path("bid_toolkit_tenders/raw")
REFERENCE = Path("bid_toolkit_tenders/text")
POLICE_DOCX = RAW / "real_bids/服务类/2024年上海市公安局宝山分局物业管理服务-招标文件.docx"
CUSTOMS_DOCX = RAW / "real_bids/服务类/PCMET-2611YG0122 黄浦海关辅助服务采购项目 招标文件 发售稿.docx"
MARKET_DOCX = RAW / "real_bids/服务类/宝山区市场监督管理局政府购买服务人员经费招标文件.docx"
WUGANG_DOCX = RAW / "real_bids/服务类/招标文件正文.docx"
BANK_DOCX = (
    RAW
    / "real_bids/服务类/【2606029001】上海分行2026年零售业务劳务外包服务人员采购项目招标文件（发布稿）.docx"
)
BEIJING_PDF = RAW / "goods/北京市政府采购公开招标示范文本.pdf"
PKU_PDF = RAW / "北大图书馆_货物服务类.pdf"
SCANNED_PDF = RAW / "services/洋山港海事局船舶运行维护_2024.pdf"

ERROR_CODES = set(get_args(ErrorCode))
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refusal(data: bytes, filename: str | None = None, **limits: int) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_bytes(data, filename, **limits)
    assert caught.value.code in ERROR_CODES
    assert str(caught.value) == caught.value.message
    return caught.value


def lines_of(result: ExtractedText) -> list[str]:
    return result.text.split("\n")


def position(lines: list[str], line: str) -> int:
    """Index of the one line equal to ``line`` (a body heading, not its table-of-contents entry)."""
    assert lines.count(line) == 1, line
    return lines.index(line)


@pytest.fixture(scope="module")
def police(corpus_dir: Path) -> ExtractedText:
    return read_file(corpus_dir / POLICE_DOCX)


@pytest.fixture(scope="module")
def customs(corpus_dir: Path) -> ExtractedText:
    return read_file(corpus_dir / CUSTOMS_DOCX)


@pytest.fixture(scope="module")
def beijing_bytes(corpus_dir: Path) -> bytes:
    return (corpus_dir / BEIJING_PDF).read_bytes()


@pytest.fixture(scope="module")
def beijing(beijing_bytes: bytes) -> ExtractedText:
    return read_bytes(beijing_bytes, BEIJING_PDF.name)


# --- docx on real tender documents --------------------------------------------------------------------


def test_docx_police_tender_text_order_and_tables(police: ExtractedText) -> None:
    assert (police.format, police.encoding, police.pages) == ("docx", None, None)
    assert "\r" not in police.text
    lines = lines_of(police)
    # Sentences read in the document (a PDF converted to Word: its odd spaces are the document's own).
    assert "项目编号：310113000240930133426-13157007" in lines
    assert "4、本项目不接受联合体投标。" in lines
    assert "本合同价格为[合同中心-合同总价]元整（[合同中心-合同总价大写]）。" in lines
    # The table of contents sits in a content control (w:sdt) and is kept, tab and page number included.
    assert "第四章  政府采购合同主要条款指引\t36" in lines
    # Document order: chapter 1 heading, its clause, chapter 2, ..., chapter 4 and the contract price clause.
    chapter_1 = position(lines, "第一章  公开招标采购公告")
    qualification = position(lines, "四、合格投标人的资格要求")
    chapter_2 = position(lines, "第二章  投标人须知")
    chapter_4 = position(lines, "第四章  政府采购合同主要条款指引")
    price = lines.index("本合同价格为[合同中心-合同总价]元整（[合同中心-合同总价大写]）。")
    assert chapter_1 < qualification < chapter_2 < chapter_4 < price
    # The 投标人须知前附表 rows, linearised; "本项目不收取" is a text box inside the cell.
    assert "序 号 | 内  容 | 要    求" in lines
    assert "11 | 合同签订时间 | 中标通知书发出后 30 日内。" in lines
    assert "10 | 投标保证金 | 本项目不收取" in lines
    assert lines.index("序 号 | 内  容 | 要    求") < lines.index(
        "11 | 合同签订时间 | 中标通知书发出后 30 日内。"
    )


def test_docx_customs_tender_text_order_and_tables(customs: ExtractedText) -> None:
    assert "\r" not in customs.text
    lines = lines_of(customs)
    assert "本招标文件仅适用于本投标邀请中所述项目的服务采购。" in lines
    assert "2.1 “招标人”、“采购人”即中华人民共和国黄浦海关。" in lines
    invitation = position(lines, "第一章  投标邀请")
    budget = lines.index("预算金额：241.71万元（人民币）")
    instructions = position(lines, "第二章  投标方须知")
    data_sheet = position(lines, "投标资料表")
    assert invitation < budget < instructions < data_sheet
    # Tables: the 招标内容 header and the 投标资料表 rows, in place.
    assert "序号 | 采购项目 | 服务内容 | 服务时间 | 采购预算 （万元）" in lines
    validity = lines.index("4 | 投标有效期：90天")
    payment = lines.index("10 | 付款方式：每月支付一次。在对上月服务考核合格后，支付上月费用。")
    assert budget < data_sheet < validity < payment
    # "考核项目" spans two grid columns; python-docx repeats it, the text has it once.
    assert "考核项目 | 分值 | 评分标准" in lines
    # Row 19 holds a nested fee table: flattened into the cell with spaces, no extra " | " columns.
    (row_19,) = [line for line in lines if line.startswith("19 | 中标服务费")]
    assert row_19.count(" | ") == 1
    assert "服务费率类型 中标金额（万元） 服务招标 100以下 1.5% 100-500 0.8%" in row_19


def test_docx_horizontal_merge_appears_once_per_row(corpus_dir: Path) -> None:
    lines = lines_of(read_file(corpus_dir / MARKET_DOCX))
    # python-docx's row.cells gives 节能产品认证 and 环境标志产品认证 five times each (gridSpan=5).
    assert "序号 | 品牌 | 响应型 号 | 节能产品认证 | 环境标志产品认证" in lines


def test_docx_keeps_content_controls_and_field_results(corpus_dir: Path) -> None:
    """Text that python-docx's Paragraph.text drops: dropdown content controls and w:fldSimple results."""
    wugang = read_file(corpus_dir / WUGANG_DOCX).text
    # 招标服务费由「中标人支付」 and 最高投标限价「否」 are w:sdt dropdowns inside the 前附表.
    assert "招标服务费：本项目招标服务费由 中标人支付 ，招标服务费收费标准： 详见投标人须知正文 ，" in wugang
    assert "27 | 评标办法：经评审的最低投标价法（一般服务）-货物 最高投标限价： 否 " in wugang.split("\n")
    bank = read_file(corpus_dir / BANK_DOCX).text
    # "11" and "14.4" are cross-reference fields (w:fldSimple).
    assert "按照本须知第10条和第11条要求填写的投标报价表；" in bank.split("\n")
    assert "可根据本须知第14.4条的规定不予退还其投标保证金。" in bank


def test_docx_loses_no_paragraph_of_the_reference_text(corpus_dir: Path) -> None:
    """Every paragraph of the earlier word/document.xml extraction is somewhere in the text."""
    files = sorted((corpus_dir / RAW / "real_bids").rglob("*.docx"))
    assert len(files) >= 10
    for path in files:
        result = read_file(path)
        assert "\r" not in result.text
        ours = result.text.replace("\t", "")  # the reference dropped tabs
        reference_path = corpus_dir / REFERENCE / path.relative_to(corpus_dir / RAW)
        reference = reference_path.with_name(path.name + ".txt").read_text(encoding="utf-8")
        missing = [
            line for line in reference.replace("\t", "").split("\n") if line.strip() and line not in ours
        ]
        # The reference glued one text box ("公章") onto its anchor paragraph; here it is the next line.
        assert len(missing) <= 1, (path.name, missing[:3])


def test_docx_built_in_memory_tables_merges_and_breaks() -> None:
    document = docx.Document()
    document.add_paragraph("第一条\t标的　（甲方）")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目名称"
    table.cell(0, 2).text = "物业管理"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "按月支付"
    table.cell(1, 0).text = "付款"
    table.cell(1, 0).add_paragraph("")
    table.cell(1, 0).add_paragraph("方式")
    nested = table.cell(1, 1).add_table(rows=2, cols=2)
    for row, texts in enumerate((("期次", "比例"), ("首期", "30%"))):
        for column, text in enumerate(texts):
            nested.cell(row, column).text = text
    table.cell(2, 0).paragraphs[0].add_run("验收").add_break()
    table.cell(2, 0).paragraphs[0].add_run("合格")
    body = document.add_paragraph("第二条 ")
    body.add_run("价款").add_break()
    body.add_run("含税")
    buffer = io.BytesIO()
    document.save(buffer)

    result = read_bytes(buffer.getvalue(), "contract.docx")
    assert result.text.split("\n") == [
        "第一条\t标的　（甲方）",
        "项目名称 | 物业管理",  # a two-column merge appears once
        "付款 方式 | 期次 比例 首期 30% | 按月支付",  # cell paragraphs and a nested table on one line
        "验收 合格 |  | 按月支付",  # a vertical merge appears once per row it spans
        "第二条 价款",  # a line break outside a table stays a line break
        "含税",
    ]


# --- pdf -----------------------------------------------------------------------------------------------


def test_pdf_beijing_model_text(beijing: ExtractedText, corpus_dir: Path) -> None:
    assert (beijing.format, beijing.encoding, beijing.pages) == ("pdf", None, 98)
    assert "\r" not in beijing.text
    lines = lines_of(beijing)
    assert lines[0] == "北京市政府采购项目公开招标文件示范文本"
    assert "项目名称：森林防火队员综合保障项目餐饮服务" in lines
    assert "25.4 政府采购合同不能转包。" in lines
    assert "本企业对上述声明内容的真实性负责。如有虚假，将依法承担相应责任。" in lines
    assert lines.index("第一章   投标邀请") < lines.index("25.4 政府采购合同不能转包。")
    assert lines.index("25.4 政府采购合同不能转包。") < lines.index("十二、违约责任")
    # The earlier pypdf extraction (one trailing newline added) has the same lines.
    reference = (corpus_dir / REFERENCE / "goods" / (BEIJING_PDF.name + ".txt")).read_text(encoding="utf-8")
    reference_lines = set(reference.split("\n"))
    assert sum(line in reference_lines for line in lines) >= 0.99 * len(lines)


def test_pdf_encrypted_with_empty_user_password_is_read(corpus_dir: Path) -> None:
    """The 北大图书馆 tender is RC4-encrypted (restrictions only): it opens without a password."""
    assert PdfReader(corpus_dir / PKU_PDF).is_encrypted
    result = read_file(corpus_dir / PKU_PDF)
    assert result.pages == 70
    assert "北京大学图书馆" in result.text


def test_pdf_scanned_has_no_text_layer(corpus_dir: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_file(corpus_dir / SCANNED_PDF)
    assert caught.value.code == "no_text_layer"
    assert "scanned" in caught.value.message
    assert "OCR" in caught.value.message


def test_pdf_page_limit(beijing_bytes: bytes) -> None:
    error = refusal(beijing_bytes, "a.pdf", max_pdf_pages=50)
    assert error.code == "file_too_large"
    assert "98" in error.message and "50" in error.message


def _one_page_pdf(source: bytes, user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(source)).pages[0])
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_encrypted_with_a_password_is_refused(beijing_bytes: bytes) -> None:
    error = refusal(_one_page_pdf(beijing_bytes, "user-secret"), "locked.pdf")
    assert error.code == "unreadable_document"
    assert "password" in error.message
    # The same page, encrypted with an empty user password, is read.
    opened = read_bytes(_one_page_pdf(beijing_bytes, ""), "restricted.pdf")
    assert opened.pages == 1
    assert opened.text.startswith("北京市政府采购项目公开招标文件示范文本")


def test_pdf_corrupt_and_truncated_are_refused(beijing_bytes: bytes) -> None:
    junk = random.Random(7).randbytes(2000)
    for data in (b"%PDF-1.4\n" + junk, b"%PDF-", beijing_bytes[: len(beijing_bytes) // 2]):
        error = refusal(data, "a.pdf")
        assert error.code == "unreadable_document"
        assert "PDF" in error.message and "damaged" in error.message
    error = refusal(b"just some words, not a PDF", "a.pdf")
    assert error.code == "unreadable_document"
    assert ".pdf" in error.message


def test_document_text_is_never_logged_or_printed(
    corpus_dir: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        read_file(corpus_dir / CUSTOMS_DOCX)
        read_file(corpus_dir / RAW / "goods/北京大学图书馆文献资源_2024.pdf")
    captured = capsys.readouterr()
    logged = " ".join(record.getMessage() for record in caplog.records)
    for sentence in ("中华人民共和国黄浦海关", "北京大学"):
        assert sentence not in captured.out + captured.err + logged


# --- txt ------------------------------------------------------------------------------------------------

CONTRACT = (
    "政府采购合同\r\n"
    "第一条　甲方（采购人）：上海市某某局  乙方：＿＿＿＿\r\n"
    "第二条\t合同金额：人民币 100,000.00 元（ＡＢＣ１２３），含税。\r"
    "第三条  付款方式：验收合格后 30 日内支付。\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CONTRACT.encode("utf-8"), "utf-8"),
        (CONTRACT.encode("utf-8-sig"), "utf-8-sig"),
        (CONTRACT.encode("gb18030"), "gb18030"),
        (CONTRACT.encode("gbk"), "gb18030"),
        (CONTRACT.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + CONTRACT.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16", "utf-16-be"],
)
def test_txt_encodings_decode_to_identical_text(data: bytes, encoding: str) -> None:
    result = read_bytes(data, "contract.txt")
    assert result == ExtractedText(
        text=CONTRACT.replace("\r\n", "\n").replace("\r", "\n"), format="txt", encoding=encoding, pages=None
    )
    assert not result.text.startswith("\ufeff")


def test_txt_newlines_normalised_and_offsets_shift_exactly() -> None:
    text = read_bytes(CONTRACT.encode("gbk"), "contract.txt").text
    # Each \r\n before a position shifts it left by one; the lone \r becomes \n in place (no shift).
    assert text.index("第一条") == CONTRACT.index("第一条") - 1
    assert text.index("第二条") == CONTRACT.index("第二条") - 2
    assert text.index("第三条") == CONTRACT.index("第三条") - 2
    assert text[text.index("第三条") - 1] == "\n"
    start = text.index("人民币 100,000.00 元（ＡＢＣ１２３）")
    assert text[start - 6 : start] == "\t合同金额："
    # Nothing else changed: full-width characters, tabs, double spaces, blanks, the final newline.
    assert "第一条　甲方（采购人）：上海市某某局  乙方：＿＿＿＿\n" in text
    assert text.endswith("30 日内支付。\n")
    assert text.count("\n") == 4 and "\r" not in text


def test_normalize_newlines_changes_nothing_else() -> None:
    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalize_newlines("\r\r\n\n\r") == "\n\n\n\n"
    untouched = " \t\u3000\u00a0\x0b\x0c\u2028\u2029\x85ＡＢ１ "
    assert normalize_newlines(untouched) == untouched


@given(st.lists(st.one_of(st.characters(categories=["L", "N", "P", "S", "Zs"]), st.sampled_from("\r\n\t"))))
@settings(max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
def test_txt_utf8_round_trip_changes_only_line_endings(chars: list[str]) -> None:
    text = "合同：" + "".join(chars)
    result = read_bytes(text.encode("utf-8"), "x.txt")
    assert result.text == normalize_newlines(text)
    assert result.encoding == "utf-8"


def test_txt_real_corpus_files(corpus_dir: Path) -> None:
    section = read_file(
        corpus_dir / "bid_toolkit_tenders/contract_sections/beijing_gp_model_tender_contract.txt"
    )
    assert (section.format, section.encoding) == ("txt", "utf-8")
    assert "甲方：北京松山国家级自然保护区管理处" in section.text
    paths = sorted((corpus_dir / "yh_oa_hyhetong").glob("*/*.txt"))
    assert len(paths) > 500
    for path in paths:
        data = path.read_bytes()
        assert read_file(path).text == data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def test_txt_damaged_utf8_is_not_read_as_gb18030() -> None:
    """Without this check a UTF-8 file with one bad byte 'decodes' as GB18030 mojibake."""
    data = CONTRACT.encode("utf-8")
    for damaged in (data[:-3] + data[-2:], data[:-2]):
        error = refusal(damaged, "contract.txt")
        assert error.code == "unreadable_document"
        assert "UTF-8" in error.message


# --- refusals --------------------------------------------------------------------------------------------


def test_refuses_empty_and_whitespace_only() -> None:
    error = refusal(b"", "a.txt")
    assert (error.code, "empty" in error.message) == ("empty_document", True)
    for blank in (b" \r\n\t ", "\u3000\u3000\n".encode("gb18030"), "\ufeff \n".encode()):
        error = refusal(blank, "blank.txt")
        assert error.code == "empty_document"
        assert "whitespace" in error.message
    document = docx.Document()
    document.add_paragraph("   ")
    buffer = io.BytesIO()
    document.save(buffer)
    error = refusal(buffer.getvalue(), "blank.docx")
    assert (error.code, "no text" in error.message) == ("empty_document", True)


def test_refuses_oversized_before_parsing(tmp_path: Path) -> None:
    error = refusal(b"x" * 101, "a.txt", max_bytes=100)
    assert error.code == "file_too_large"
    assert "100 bytes" in error.message
    # Even garbage is refused for its size, not its content: nothing is parsed.
    error = refusal(b"%PDF-" + b"\x00" * 3000, "a.pdf", max_bytes=2048)
    assert error.code == "file_too_large"
    assert "2 KB" in error.message
    path = tmp_path / "big.txt"
    path.write_bytes("合同".encode() * 1000)
    with pytest.raises(DocumentError) as caught:
        read_file(path, max_bytes=1024)
    assert caught.value.code == "file_too_large"
    assert "1 KB" in caught.value.message
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


def test_refuses_legacy_doc_and_images() -> None:
    error = refusal(OLE_MAGIC + bytes(1024), "合同.doc")
    assert error.code == "unsupported_format"
    assert ".doc" in error.message and ".docx" in error.message and ".pdf" in error.message
    # Content decides: an OLE file renamed to .txt is still a legacy Office file.
    assert refusal(OLE_MAGIC + bytes(1024), "renamed.txt").code == "unsupported_format"
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    error = refusal(png, "scan.png")
    assert error.code == "unsupported_format"
    assert "PNG image" in error.message
    assert refusal(png, None).code == "unsupported_format"
    error = refusal(b"\xff\xd8\xff\xe0" + bytes(64), "photo.txt")
    assert "JPEG" in error.message
    error = refusal("第一条 合同".encode(), "合同.doc")
    assert error.code == "unsupported_format" and ".doc" in error.message


def test_refuses_other_office_zips_and_non_docx_content() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = refusal(buffer.getvalue(), "报价表.docx")
    assert error.code == "unsupported_format"
    assert "Excel" in error.message
    error = refusal("第一条 合同".encode(), "contract.docx")
    assert error.code == "unreadable_document"
    assert ".docx" in error.message


def test_refuses_random_binary_junk() -> None:
    rng = random.Random(2024)
    junk = [
        os.urandom(4096),
        rng.randbytes(4096),
        bytes(byte for byte in rng.randbytes(4096) if byte),  # no NUL bytes
        bytes(rng.randrange(1, 32) for _ in range(4096)),  # control characters: valid UTF-8
    ]
    for data in junk:
        error = refusal(data, "x.txt")
        assert error.code == "unreadable_document"
        assert "binary" in error.message or "decoded" in error.message


def test_refuses_truncated_docx(corpus_dir: Path) -> None:
    data = (corpus_dir / CUSTOMS_DOCX).read_bytes()
    error = refusal(data[: len(data) // 2], CUSTOMS_DOCX.name)
    assert error.code == "unreadable_document"
    assert "damaged" in error.message and "truncated" in error.message


def test_refuses_zip_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", bytes(64 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200 * 1024
    error = refusal(buffer.getvalue(), "bomb.docx")
    assert error.code == "archive_too_large"
    assert "ZIP bomb" in error.message and "64 MB" in error.message
    # Many parts that each stay under the ratio check but together unpack to far more than allowed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(12):
            archive.writestr(f"word/media/image{index}.bin", bytes(1024 * 1024))
    error = refusal(buffer.getvalue(), "many.docx", max_bytes=100 * 1024)
    assert error.code == "archive_too_large"
    assert "unpack to 12 MB" in error.message


def test_read_file_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_file(tmp_path / "不存在的合同.docx")
    assert caught.value.code == "unreadable_document"
    assert "not found" in caught.value.message and "不存在的合同.docx" in caught.value.message
    with pytest.raises(DocumentError) as caught:
        read_file(tmp_path)
    assert caught.value.code == "unreadable_document"
    assert "directory" in caught.value.message


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".docx", ".pdf")


# --- arbitrary bytes ------------------------------------------------------------------------------------


@given(st.binary(max_size=4096))
@settings(max_examples=300, deadline=timedelta(seconds=5))
def test_arbitrary_bytes_as_txt_give_text_or_document_error(data: bytes) -> None:
    try:
        result = read_bytes(data, "x.txt")
    except DocumentError as error:
        assert error.code in ERROR_CODES and error.message
    else:
        assert result.text.strip() and "\r" not in result.text


@given(
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", OLE_MAGIC]),
    st.binary(max_size=2048),
    st.sampled_from([None, "x.txt", "x.docx", "x.pdf", "x.doc", "x"]),
)
@settings(max_examples=300, deadline=timedelta(seconds=5))
def test_arbitrary_bytes_with_magic_headers_give_text_or_document_error(
    prefix: bytes, data: bytes, filename: str | None
) -> None:
    try:
        result = read_bytes(prefix + data, filename)
    except DocumentError as error:
        assert error.code in ERROR_CODES and error.message
    else:
        assert result.format in ("txt", "docx", "pdf") and result.text.strip()
