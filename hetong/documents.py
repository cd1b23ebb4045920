"""Contract files (.txt, .docx, .pdf) to text.

Everything downstream (segmentation, model spans, the HTTP API) addresses the text returned here with
``[start, end)`` character offsets, so the text is exactly the document's text with line endings normalised
to ``\\n`` and nothing else changed: no stripping, no full-width/half-width conversion, no whitespace
collapsing inside lines.

Format detection looks at the content first (magic bytes) and at the file name suffix second. Every refusal
is a :class:`DocumentError` with a machine-readable ``code`` (used as the HTTP error code) and a human
``message``; no library exception escapes :func:`read_bytes` or :func:`read_file`.

How each format becomes text:

* ``.txt``: UTF-8 with BOM (BOM removed), UTF-16 with BOM, strict UTF-8, else GB18030 (a superset of GBK and
  GB2312). Binary junk and damaged UTF-8 (which GB18030 would turn into mojibake) are refused. Content with
  no recognised magic bytes and a suffix that is not a known non-text format (``.md``, no name) is read as
  text too.
* ``.docx``: the body in document order, one line per paragraph and one line per table row with the cells
  joined by ``" | "``. Text inside content controls, field results, hyperlinks, tracked insertions and text
  boxes is kept (text boxes as lines after the paragraph that anchors them); deleted text, field
  instructions, headers, footers, footnotes and comments are not part of the body and are left out.
* ``.pdf``: pypdf's ``extract_text()`` of each page, pages joined with ``\\n``. A PDF without a text layer
  (a scan) is refused: OCR is not supported.

The module never logs or prints document text and has no module-level side effects.
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import docx
from docx.oxml.parser import parse_xml
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PDF_PAGES",
    "SUPPORTED_SUFFIXES",
    "DocumentError",
    "ErrorCode",
    "ExtractedText",
    "normalize_newlines",
    "read_bytes",
    "read_file",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Default upper bound on the size of an uploaded file, in bytes (configurable per call)."""

DEFAULT_MAX_PDF_PAGES = 1000
"""Default upper bound on the page count of a PDF (more is ``file_too_large``)."""
SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")

ErrorCode = Literal[
    "empty_document",
    "file_too_large",
    "unsupported_format",
    "unreadable_document",
    "no_text_layer",
    "archive_too_large",
]
Format = Literal["txt", "docx", "pdf"]

_SUPPORTED_HINT = "Supported formats: .txt (UTF-8, GB18030/GBK, UTF-16), .docx and .pdf with a text layer."

# --- zip bomb bounds for .docx -------------------------------------------------------------------------
_ZIP_TOTAL_CAP = 200 * 1024 * 1024
"""Upper bound on the sum of declared uncompressed member sizes (also at most 100 x ``max_bytes``)."""
_ZIP_MAX_RATIO = 200
"""Upper bound on one member's compression ratio (real .docx parts stay below ~20)."""
_ZIP_RATIO_MIN_SIZE = 1024 * 1024
"""Members smaller than this are not ratio-checked: a tiny part compressing well is harmless."""

# --- plausibility of decoded plain text ----------------------------------------------------------------
_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_MAX_IMPLAUSIBLE_SHARE = 0.05
"""Largest share of control / unassigned / private-use / surrogate characters a text file may have."""

# --- magic bytes ---------------------------------------------------------------------------------------
_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"%!PS", "a PostScript file"),
)

_UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".doc": "a legacy Word .doc file",
    ".dot": "a legacy Word template (.dot)",
    ".wps": "a WPS Office document (.wps)",
    ".rtf": "an RTF document",
    ".odt": "an OpenDocument text file (.odt)",
    ".ofd": "an OFD document",
    ".xls": "an Excel .xls workbook",
    ".xlsx": "an Excel .xlsx workbook",
    ".et": "a WPS spreadsheet (.et)",
    ".ppt": "a PowerPoint .ppt presentation",
    ".pptx": "a PowerPoint .pptx presentation",
    ".dps": "a WPS presentation (.dps)",
    ".html": "an HTML page",
    ".htm": "an HTML page",
    ".mht": "a web archive (.mht)",
    ".mhtml": "a web archive (.mhtml)",
    ".xml": "an XML file",
    ".png": "a PNG image",
    ".jpg": "a JPEG image",
    ".jpeg": "a JPEG image",
    ".gif": "a GIF image",
    ".bmp": "a BMP image",
    ".tif": "a TIFF image",
    ".tiff": "a TIFF image",
    ".webp": "a WebP image",
    ".zip": "a ZIP archive",
    ".rar": "a RAR archive",
    ".7z": "a 7-Zip archive",
    ".gz": "a gzip archive",
}


class DocumentError(Exception):
    """Clear, user-facing refusal to read a document.

    ``code`` is machine-readable (one of :data:`ErrorCode`, used as the HTTP error code); ``message`` is a
    sentence for a person. Messages name the problem and never quote document text.
    """

    code: ErrorCode
    message: str

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """A document's text and how it was read."""

    text: str
    format: Format
    encoding: str | None
    """For txt: ``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"`` or ``"utf-16"``; ``None`` otherwise."""
    pages: int | None
    """For pdf: the page count; ``None`` otherwise."""


def normalize_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``; change nothing else."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(
    data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES,
) -> ExtractedText:
    """Extract the text of a contract file given as bytes.

    ``filename`` (optional) is used only for its suffix, as a second opinion after the content. Raises
    :class:`DocumentError` for anything that cannot be turned into text, and nothing else.
    """
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    if max_pdf_pages <= 0:
        raise ValueError("max_pdf_pages must be positive")
    if not data:
        raise DocumentError("empty_document", "The file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    suffix = _suffix(filename)
    kind = _detect_format(data, suffix)
    if kind == "pdf":
        return _read_pdf(data, max_pdf_pages)
    if kind == "docx":
        return _read_docx(data, max_bytes)
    return _read_txt(data, suffix)


def read_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES,
) -> ExtractedText:
    """Extract the text of a contract file on disk; a missing or unreadable path is a DocumentError too."""
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    file_path = Path(path)
    try:
        with file_path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise DocumentError("unreadable_document", f"File not found: {file_path}") from None
    except IsADirectoryError:
        raise DocumentError("unreadable_document", f"Not a file but a directory: {file_path}") from None
    except PermissionError:
        raise DocumentError("unreadable_document", f"Permission denied reading file: {file_path}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DocumentError("unreadable_document", f"Cannot read file {file_path}: {reason}") from None
    return read_bytes(data, file_path.name, max_bytes=max_bytes, max_pdf_pages=max_pdf_pages)


# --- format detection ----------------------------------------------------------------------------------


def _suffix(filename: str | None) -> str:
    if not filename:
        return ""
    # Accept both separators: browsers may send a Windows path as the upload's file name.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return os.path.splitext(name)[1].lower()


def _detect_format(data: bytes, suffix: str) -> Format:
    """Content first (magic bytes), suffix second."""
    head = data[:16]
    if head.startswith(_PDF_MAGIC) or (suffix == ".pdf" and _PDF_MAGIC in data[:1024]):
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return _detect_zip(data, suffix)
    if head.startswith(_OLE_MAGIC):
        if _OLE_ENCRYPTED_PACKAGE in data:
            raise DocumentError(
                "unreadable_document",
                "This is a password-protected (encrypted) Office document; remove the password and save it "
                "again as .docx. " + _SUPPORTED_HINT,
            )
        raise _unsupported(
            "a legacy Microsoft Office / WPS binary file (OLE format: .doc, .wps, .xls or .ppt); "
            "open it in Word or WPS and save it as .docx or PDF"
        )
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise _unsupported("a WebP image")
    for magic, what in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise _unsupported(what)
    if suffix == ".docx":
        raise DocumentError(
            "unreadable_document", "The file is named .docx but is not a .docx (ZIP) package; it is corrupt."
        )
    if suffix == ".pdf":
        raise DocumentError(
            "unreadable_document", "The file is named .pdf but has no PDF header; it is corrupt."
        )
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise _unsupported(_UNSUPPORTED_SUFFIXES[suffix])
    return "txt"


def _detect_zip(data: bytes, suffix: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "[Content_Types].xml" in names and _declares_word_main(archive):
                return "docx"
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype")
    except DocumentError:
        raise
    except Exception:
        raise DocumentError(
            "unreadable_document",
            "The file is a damaged or truncated ZIP/.docx package and cannot be opened.",
        ) from None
    if "xl/workbook.xml" in names:
        raise _unsupported("an Excel .xlsx workbook")
    if "ppt/presentation.xml" in names:
        raise _unsupported("a PowerPoint .pptx presentation")
    if "OFD.xml" in names:
        raise _unsupported("an OFD document")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _unsupported("an OpenDocument (.odt/.ods/.odp) file")
    if suffix == ".docx" or any(name.startswith("word/") for name in names):
        raise DocumentError(
            "unreadable_document",
            "The .docx package is damaged: it has no main document part (word/document.xml).",
        )
    raise _unsupported("a ZIP archive")


def _declares_word_main(archive: zipfile.ZipFile) -> bool:
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > 1024 * 1024:
        return False
    return b"wordprocessingml.document.main" in archive.read(info)


def _unsupported(what: str) -> DocumentError:
    return DocumentError("unsupported_format", f"Unsupported format: the file is {what}. {_SUPPORTED_HINT}")


def _too_large(size: int, max_bytes: int) -> DocumentError:
    return DocumentError(
        "file_too_large",
        f"The file is too large: {_human_size(size)}, the limit is {_human_size(max_bytes)}.",
    )


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".rstrip("0").rstrip(".") + " KB"
    return f"{n} bytes"


# --- txt -----------------------------------------------------------------------------------------------


def _read_txt(data: bytes, suffix: str) -> ExtractedText:
    text, encoding = _decode(data, suffix)
    if not _looks_like_text(text):
        raise _binary_junk(suffix)
    text = normalize_newlines(text)
    if not text.strip():
        raise DocumentError("empty_document", "The text file contains only whitespace.")
    return ExtractedText(text=text, format="txt", encoding=encoding, pages=None)


def _decode(data: bytes, suffix: str) -> tuple[str, str]:
    """Decode by BOM, else strict UTF-8, else GB18030; return the text and the encoding's name."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "utf-8-sig", suffix), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "utf-16", suffix), "utf-16"
    if b"\x00" in data:
        raise _binary_junk(suffix, " (it contains NUL bytes; UTF-16 text needs a byte order mark)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _is_damaged_utf8(data):
            # GB18030 would "succeed" on damaged UTF-8 and return mojibake; refuse instead.
            raise DocumentError(
                "unreadable_document",
                f"The file is UTF-8 text with invalid bytes (the first at byte {exc.start}); "
                "it is damaged or truncated.",
            ) from None
    return _strict(data, "gb18030", "utf-8 or gb18030", suffix), "gb18030"


def _strict(payload: bytes, codec: str, tried: str, suffix: str) -> str:
    try:
        return payload.decode(codec)
    except UnicodeDecodeError:
        pass
    if suffix in ("", ".txt"):
        raise DocumentError(
            "unreadable_document",
            f"The text file cannot be decoded as {tried}; it is binary or in an unsupported encoding.",
        )
    raise _unsupported(f"not a recognised document type ({suffix}) and not decodable as text")


def _is_damaged_utf8(data: bytes) -> bool:
    """Mostly valid multi-byte UTF-8 with a few bad sequences (GBK text gives many bad ones)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return non_ascii >= 16 and bad * 50 <= non_ascii


def _looks_like_text(text: str) -> bool:
    """False when too many characters are controls, unassigned, private-use or surrogates."""
    if not text:
        return True
    if "\x00" in text:
        return False
    implausible = 0
    for char, count in Counter(text).items():
        if char in _TEXT_CONTROLS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Cn", "Co"):
            implausible += count
    return implausible <= _MAX_IMPLAUSIBLE_SHARE * len(text)


def _binary_junk(suffix: str, detail: str = "") -> DocumentError:
    if suffix in ("", ".txt"):
        return DocumentError(
            "unreadable_document", f"The file does not look like text: it appears to be binary data{detail}."
        )
    return _unsupported(f"not a recognised document type ({suffix}) and looks like binary data")


# --- docx ----------------------------------------------------------------------------------------------

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(tag: str) -> str:
    return f"{{{_W_NS}}}{tag}"


_P, _TBL, _TR, _TC, _R, _T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
_SDT, _SDT_CONTENT, _CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
_TXBX_CONTENT = _w("txbxContent")
_MC_ALTERNATE = f"{{{_MC_NS}}}AlternateContent"
_MC_CHOICE = f"{{{_MC_NS}}}Choice"
_MC_FALLBACK = f"{{{_MC_NS}}}Fallback"
_M_T = f"{{{_M_NS}}}t"
_M_MATH = (f"{{{_M_NS}}}oMath", f"{{{_M_NS}}}oMathPara")
_WRAPPERS = frozenset({_CUSTOM_XML, _w("ins"), _w("moveTo")})
"""Elements whose children are content in place (blocks, rows, cells or runs); w:sdt is handled apart."""
_INLINE_WRAPPERS = _WRAPPERS | {_w(tag) for tag in ("hyperlink", "fldSimple", "smartTag", "dir", "bdo")}
_DRAWINGS = frozenset({_w("drawing"), _w("pict"), _w("object"), _MC_ALTERNATE})
_RUN_CHARS = {_w("tab"): "\t", _w("ptab"): "\t", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
_BR, _BR_TYPE = _w("br"), _w("type")
_TC_PR, _GRID_SPAN, _V_MERGE, _VAL = _w("tcPr"), _w("gridSpan"), _w("vMerge"), _w("val")
_TR_PR, _GRID_BEFORE = _w("trPr"), _w("gridBefore")
_CELL_SEPARATOR = " | "
_MAX_GRID = 64
"""Word tables have at most 63 columns; spans and offsets are clamped so hostile values cannot loop long."""


def _read_docx(data: bytes, max_bytes: int) -> ExtractedText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_bomb(archive.infolist(), max_bytes)
            body = _docx_body(data, archive)
            lines = list(_block_lines(body))
    except DocumentError:
        raise
    except Exception:
        raise DocumentError(
            "unreadable_document", "The .docx file is damaged or malformed and cannot be read."
        ) from None
    text = normalize_newlines("\n".join(lines))
    if not text.strip():
        raise DocumentError("empty_document", "The .docx document contains no text.")
    return ExtractedText(text=text, format="docx", encoding=None, pages=None)


def _check_zip_bomb(members: Iterable[zipfile.ZipInfo], max_bytes: int) -> None:
    cap = min(_ZIP_TOTAL_CAP, 100 * max_bytes)
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _ZIP_RATIO_MIN_SIZE and ratio > _ZIP_MAX_RATIO:
            raise DocumentError(
                "archive_too_large",
                f"The .docx package looks like a ZIP bomb: a part expands {ratio:.0f}-fold "
                f"(to {_human_size(info.file_size)}); refusing to unpack it.",
            )
    if total > cap:
        raise DocumentError(
            "archive_too_large",
            f"The .docx package would unpack to {_human_size(total)}, more than the "
            f"{_human_size(cap)} allowed; refusing to unpack it.",
        )


def _docx_body(data: bytes, archive: zipfile.ZipFile) -> _Element:
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # python-docx refuses macro-enabled documents and templates (.docm, .dotx) by content type; their
        # main part is the same WordprocessingML, so read it directly.
        if "not a Word file" not in str(exc):
            raise
        root = parse_xml(archive.read("word/document.xml"))
        body = root.find(_w("body"))
        if body is None:
            raise
        return body
    return document.element.body


def _block_lines(container: _Element, cell_separator: str = _CELL_SEPARATOR) -> Iterator[str]:
    """Lines of a block container (body, cell, content control, text box) in document order.

    ``cell_separator`` joins the cells of a table row: ``" | "`` in the body, a space inside a table cell so
    that a nested table cannot be mistaken for more columns of the row that contains it.
    """
    for child in container:
        tag = child.tag
        if tag == _P:
            yield from _paragraph_lines(child, cell_separator)
        elif tag == _TBL:
            yield from _table_lines(child, cell_separator)
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content, cell_separator)
        elif tag in _WRAPPERS:
            yield from _block_lines(child, cell_separator)


def _paragraph_lines(paragraph: _Element, cell_separator: str) -> Iterator[str]:
    """The paragraph's text, then the content of the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[_Element] = []
    _inline_text(paragraph, parts, boxes)
    yield "".join(parts)
    for box in boxes:
        yield from _block_lines(box, cell_separator)


def _inline_text(parent: _Element, parts: list[str], boxes: list[_Element]) -> None:
    for child in parent:
        tag = child.tag
        if tag == _R:
            _run_text(child, parts, boxes)
        elif tag in _INLINE_WRAPPERS:
            _inline_text(child, parts, boxes)
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                _inline_text(content, parts, boxes)
        elif tag == _MC_ALTERNATE:
            chosen = child.find(_MC_CHOICE)
            if chosen is None:
                chosen = child.find(_MC_FALLBACK)
            if chosen is not None:
                _inline_text(chosen, parts, boxes)
        elif tag in _M_MATH:
            parts.extend(node.text or "" for node in child.iter(_M_T))


def _run_text(run: _Element, parts: list[str], boxes: list[_Element]) -> None:
    for child in run:
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[tag])
        elif tag == _BR:
            # Text-wrapping breaks are line breaks; page and column breaks carry no text (as in python-docx).
            if child.get(_BR_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag in _DRAWINGS:
            _collect_text_boxes(child, boxes)


def _collect_text_boxes(element: _Element, boxes: list[_Element]) -> None:
    """Text boxes inside drawings; an mc:Fallback repeats its mc:Choice, so it is skipped."""
    for child in element:
        if child.tag == _MC_FALLBACK:
            continue
        if child.tag == _TXBX_CONTENT:
            boxes.append(child)
        else:
            _collect_text_boxes(child, boxes)


def _children(parent: _Element, tag: str, wrappers: frozenset[str]) -> Iterator[_Element]:
    """Children with ``tag``, looking through content controls and other wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag, wrappers)
        elif child.tag in wrappers:
            yield from _children(child, tag, wrappers)


def _table_lines(table: _Element, cell_separator: str) -> Iterator[str]:
    """One line per row, cells joined by ``cell_separator``.

    A cell spanning several grid columns appears once; a vertically merged cell appears in every row it
    spans (its text repeated), as python-docx's ``row.cells`` presents it.
    """
    above: dict[int, str] = {}
    for row in _children(table, _TR, _WRAPPERS):
        column = _int_prop(row.find(_TR_PR), _GRID_BEFORE, default=0)
        grid: dict[int, str] = {}
        cells: list[str] = []
        for cell in _children(row, _TC, _WRAPPERS):
            properties = cell.find(_TC_PR)
            span = max(_int_prop(properties, _GRID_SPAN, default=1), 1)
            text = _cell_text(cell)
            if _continues_vertical_merge(properties):
                merged = above.get(column, "")
                text = f"{merged} {text}" if merged and text else merged or text
            for offset in range(column, min(column + span, _MAX_GRID)):
                grid[offset] = text
            cells.append(text)
            column = min(column + span, _MAX_GRID)
        above = grid
        yield cell_separator.join(cells) if any(cells) else ""


def _cell_text(cell: _Element) -> str:
    """A cell's paragraphs, nested tables and text boxes on one line, separated by single spaces."""
    pieces = (normalize_newlines(line).replace("\n", " ") for line in _block_lines(cell, " "))
    return " ".join(piece for piece in pieces if piece)


def _continues_vertical_merge(properties: _Element | None) -> bool:
    if properties is None:
        return False
    merge = properties.find(_V_MERGE)
    return merge is not None and merge.get(_VAL) in (None, "continue")


def _int_prop(properties: _Element | None, tag: str, *, default: int) -> int:
    if properties is None:
        return default
    element = properties.find(tag)
    if element is None:
        return default
    try:
        value = int(element.get(_VAL, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, 0), _MAX_GRID)


# --- pdf -----------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, max_pdf_pages: int) -> ExtractedText:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except (DependencyError, FileNotDecryptedError, WrongPasswordError):
        raise _pdf_encrypted() from None
    except Exception:
        raise _pdf_unreadable() from None
    if encrypted:
        # Many PDFs are encrypted only to restrict printing or copying, with an empty user password.
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:
            opened = False
        if not opened:
            raise _pdf_encrypted()
    try:
        page_count = len(reader.pages)
    except Exception:
        raise _pdf_unreadable() from None
    if page_count > max_pdf_pages:
        raise DocumentError(
            "file_too_large",
            f"The PDF has too many pages: {page_count}, the limit is {max_pdf_pages}.",
        )
    if page_count == 0:
        raise DocumentError("empty_document", "The PDF has no pages.")
    try:
        page_texts = [page.extract_text() for page in reader.pages]
    except Exception:
        raise _pdf_unreadable() from None
    text = normalize_newlines("\n".join(page_texts))
    if not text.strip():
        raise DocumentError(
            "no_text_layer",
            f"The PDF's {page_count} page(s) carry no text layer; it is probably a scanned document. "
            "OCR is not supported yet: please upload the original .docx or a PDF with a text layer.",
        )
    return ExtractedText(text=text, format="pdf", encoding=None, pages=page_count)


def _pdf_encrypted() -> DocumentError:
    return DocumentError(
        "unreadable_document",
        "The PDF is password-protected (encrypted) and cannot be opened without its password.",
    )


def _pdf_unreadable() -> DocumentError:
    return DocumentError(
        "unreadable_document",
        "The PDF is damaged or malformed and cannot be read.",
    )
