"""Turn an uploaded file or pasted text into the plain text a source's snapshot archives.

The snapshot is stored once and never altered, and citations' quotes are looked up in it
later, so this module is strict where a guess would silently corrupt it: a file is either
decoded cleanly or refused with a message the analyst can act on (choose the encoding,
paste the text instead), and plain text is kept as it is apart from line endings.

Chinese sources are the hard case. GBK and Big5 bytes often both decode without error
under the other codec, giving plausible-looking but wrong characters, and charset-normalizer
misjudges short texts: of 101 samples of a sentence or less in GBK, Big5 and GB18030
(traditional), it read 19 wrongly or not at all. So when more than one candidate decodes,
each reading is scored: characters among the ~1,200 most frequent Chinese ones (compared in
simplified form, so traditional text scores too) count for it, characters a wrong decoding
produces (private-use, unassigned, kana, bopomofo, rare CJK blocks, stray Latin-1 symbols)
against it. That reads all 101 right, down to two-character texts, and the same texts in
UTF-8 too.
"""

import codecs
import copy
import functools
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import NamedTuple

import lxml.etree
import lxml.html
import opencc
import trafilatura


class ExtractionError(ValueError):
    """Bad input, with a message an analyst can act on (shown as a form error / JSON error / command error).

    ``code`` says what went wrong, for callers that react differently: "empty", "too_large",
    "binary", "unsupported", "encoding_unknown", "encoding_mismatch" or "no_text".
    """

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# Choices for the form's encoding select. The values are the codec names ExtractedText.encoding
# reports, so a detected encoding can be shown selected. Big5 is cp950, the Windows variant that
# real Big5 files are written in (it adds the euro sign and the ETEN characters to plain Big5);
# Shift_JIS and EUC-KR are likewise their Windows supersets, as browsers read them. Japanese and
# Korean are not detected (a page may declare them): the analyst chooses them.
ENCODINGS: list[tuple[str, str]] = [
    ("", "Detect automatically"),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with byte-order mark"),
    ("gb18030", "GBK / GB18030 (simplified Chinese)"),
    ("cp950", "Big5 (traditional Chinese)"),
    ("big5hkscs", "Big5-HKSCS (Hong Kong)"),
    ("cp932", "Shift_JIS (Japanese)"),
    ("euc_jp", "EUC-JP (Japanese)"),
    ("cp949", "EUC-KR (Korean)"),
    ("utf-16", "UTF-16"),
    ("windows-1252", "Windows-1252 (Western)"),
]

# Short names for messages ("The file is not valid Big5: …").
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "gb18030": "GB18030",
    "gbk": "GBK",
    "gb2312": "GB2312",
    "cp950": "Big5",
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "windows-1252": "Windows-1252",
}

# The text encodings of the WHATWG Encoding Standard, which browsers implement: each codec that
# reads one, and the labels a page or a caller may name it by. As in browsers, GB2312 and GBK are
# read as GB18030 (their superset), Latin-1 and ASCII as Windows-1252, Shift_JIS and EUC-KR as
# their Windows supersets. Other names Python's codecs know for these codecs are accepted too
# (``latin_1``, ``utf-16-le``); nothing else is: Python's codecs also include base64, rot13,
# unicode_escape and the like, which are no text encodings. ISO-2022-JP is left out (its escape
# bytes look binary), and so are the encodings browsers refuse (ISO-2022-KR, HZ, UTF-7).
_TEXT_ENCODINGS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "utf-8-sig": "utf-8-sig",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
    "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
    "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
    "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "windows-1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
    "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
    "windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "cp950": "big5 cn-big5 csbig5 x-x-big5",
    "big5hkscs": "big5-hkscs",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
    "windows-949",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16le",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16": "utf-16",
    # Not in the standard, but text encodings: a caller may choose them (a page's UTF-32 declaration is ignored).
    "utf-32": "utf-32",
    "utf-32-le": "utf-32le",
    "utf-32-be": "utf-32be",
}
_TEXT_ENCODING_LABELS = {label: codec for codec, labels in _TEXT_ENCODINGS.items() for label in labels.split()}
# The same codecs under the names Python's codecs.lookup() gives them (and those of their subsets).
_TEXT_CODEC_NAMES = {codecs.lookup(codec).name: codec for codec in _TEXT_ENCODINGS} | {
    "iso8859-1": "windows-1252",
    "ascii": "windows-1252",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "cp950",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}


@dataclass(frozen=True)
class ExtractedText:
    """The archived text of a source and where it came from."""

    text: str  # line endings "\n", no BOM, no trailing white space; otherwise as decoded/extracted
    sha256: str  # hex sha256 of the original bytes (pasted text: of its UTF-8 encoding)
    size: int  # original byte count
    encoding: str  # codec used: "utf-8", "utf-8-sig", "gb18030", "cp950", "big5hkscs", "utf-16", …
    encoding_detected: bool  # False when the caller chose the encoding
    format: str  # "html" or "text"
    title: str  # the HTML page's title, else ""
    filename: str


def refuse_oversize(size: int, *, max_bytes: int) -> None:
    """Refuse a file over the limit: callers holding an upload call it with its size before reading it."""
    if size > max_bytes:
        raise ExtractionError(
            f"The file is {format_size(size)}; the limit is {format_size(max_bytes)}.", code="too_large"
        )


def extract_upload(
    data: bytes, *, filename: str = "", content_type: str = "", encoding: str = "", max_bytes: int
) -> ExtractedText:
    """Decode an uploaded file (and extract an HTML page's main text), or refuse it with ExtractionError."""
    refuse_oversize(len(data), max_bytes=max_bytes)
    if not data:
        raise ExtractionError("The file is empty.", code="empty")
    _refuse_known_binary_formats(data, filename)

    mime_type, _, parameters = content_type.partition(";")
    declared_by_upload = _charset_parameter(parameters)
    named_html = filename.lower().endswith((".html", ".htm", ".xhtml")) or mime_type.strip().lower() in (
        "text/html",
        "application/xhtml+xml",
    )

    if encoding:
        codec = _codec_from_choice(encoding)
        if not _is_utf16_or_32(codec):
            _refuse_binary_bytes(data)
        text = _decode_strictly(data, codec)
        detected = False
    else:
        html_suspected = named_html or _looks_like_html(data[:1024].decode("latin-1"))
        declared = declared_by_upload or (_declared_html_charset(data) if html_suspected else "")
        text, codec = _decode_detected(data, declared)
        detected = True
    _refuse_binary_text(text)

    text = _normalise(text)
    if not text.strip():
        raise ExtractionError("The file is empty.", code="empty")

    if named_html or _looks_like_html(text[:1024]):
        text, title = _extract_html(text)
        page_format = "html"
    else:
        title = ""
        page_format = "text"
    return ExtractedText(
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=codec,
        encoding_detected=detected,
        format=page_format,
        title=title,
        filename=filename,
    )


def extract_paste(text: str, *, max_bytes: int) -> ExtractedText:
    """Archive pasted text as it is, apart from line endings; the hash is of the text as pasted."""
    data = text.encode("utf-8")
    if len(data) > max_bytes:
        raise ExtractionError(
            f"The pasted text is {format_size(len(data))}; the limit is {format_size(max_bytes)}.", code="too_large"
        )
    normalised = _normalise(text)
    if not normalised.strip():
        raise ExtractionError("Paste the source's text: the box is empty.", code="empty")
    if "\x00" in normalised:
        # PostgreSQL cannot store NUL in a text column.
        raise ExtractionError("The pasted text contains NUL characters; paste plain text.", code="binary")
    return ExtractedText(
        text=normalised,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
        encoding_detected=False,
        format="text",
        title="",
        filename="",
    )


def format_size(size: int) -> str:
    """A byte count as people read it: "512 bytes", "1.5 KB", "20.0 MB" (binary multiples, like Django's)."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if round(value, 1) < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} TB"


def encoding_name(codec: str) -> str:
    """The name analysts know an encoding by: "Big5" for cp950, "UTF-8" for utf-8-sig."""
    return _ENCODING_NAMES.get(codec, codec)


# --- Binary files ---------------------------------------------------------------------------------

# (offset, magic bytes, what the analyst is told it looks like)
_MAGIC_NUMBERS = [
    (0, b"%PDF", "a PDF file"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"PK\x05\x06", "a ZIP archive"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Office document (.doc, .xls or .ppt)"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (4, b"ftypheic", "a HEIC image"),
    (4, b"ftyp", "a video or audio file"),
    (0, b"\x1f\x8b", "a gzip-compressed file"),
    (0, b"\xfd7zXZ\x00", "an xz-compressed file"),
    (0, b"(\xb5/\xfd", "a zstd-compressed file"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x7fELF", "a program (ELF executable)"),
    (0, b"\xca\xfe\xba\xbe", "a compiled Java class or program"),
    (0, b"\x00asm", "a WebAssembly module"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"OggS", "an Ogg audio or video file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"ID3\x02", "an MP3 audio file"),
    (0, b"ID3\x03", "an MP3 audio file"),
    (0, b"ID3\x04", "an MP3 audio file"),
]

_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}

# What a ZIP archive is, told by a member's name or else by the file name's extension.
_ZIP_MEMBER_KINDS = [
    ("word/", "a Word document (.docx)"),
    ("xl/", "an Excel workbook (.xlsx)"),
    ("ppt/", "a PowerPoint presentation (.pptx)"),
    ("META-INF/container.xml", "an EPUB e-book"),
]
_ZIP_EXTENSION_KINDS = {
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "pptx": "a PowerPoint presentation (.pptx)",
    "epub": "an EPUB e-book",
    "odt": "an OpenDocument text",
}

# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return,
# and DEL. Text files hardly ever hold them; binary files are full of them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.02


def _refuse_known_binary_formats(data: bytes, filename: str) -> None:
    """Name the format of a file that is obviously not text, so the analyst knows what to do instead."""
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        kind = _RIFF_KINDS[data[8:12]]
    else:
        kind = next((name for offset, magic, name in _MAGIC_NUMBERS if data.startswith(magic, offset)), "")
    if kind == "a ZIP archive":
        kind = _zip_kind(data, filename)
    if kind:
        raise ExtractionError(
            f"This looks like {kind}. Upload HTML or plain text, or paste the text.", code="unsupported"
        )


def _zip_kind(data: bytes, filename: str) -> str:
    """Office documents and e-books are ZIP archives; say which one it is when the contents tell."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        names = []
    for prefix, kind in _ZIP_MEMBER_KINDS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return _ZIP_EXTENSION_KINDS.get(filename.lower().rpartition(".")[2], "a ZIP archive")


def _refuse_binary_bytes(data: bytes) -> None:
    """NUL bytes or many control bytes mean a binary file (UTF-16, which has NULs, is decoded before this)."""
    control_count = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or control_count > _MAX_CONTROL_SHARE * len(data):
        raise _binary_error()


def _refuse_binary_text(text: str) -> None:
    control_count = len(_CONTROL_CHARACTERS.findall(text))
    if "\x00" in text or control_count > _MAX_CONTROL_SHARE * len(text):
        raise _binary_error()


def _binary_error() -> ExtractionError:
    return ExtractionError(
        "This is a binary file, not text. Upload HTML or plain text, or paste the text.", code="binary"
    )


# --- Decoding -------------------------------------------------------------------------------------

_BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Tried after UTF-8, in this order; on equal scores the earlier wins. Within a family the first that decodes is used.
_LEGACY_CANDIDATES = [("gb18030",), ("cp950", "big5hkscs"), ("windows-1252",)]
# The codecs whose readings the scores can judge: a page declaring one is checked.
_SCORED_CODECS = frozenset(codec for family in _LEGACY_CANDIDATES for codec in family)

_SCORED_PREFIX_BYTES = 64 * 1024

# Non-ASCII bytes beyond which valid UTF-8 is taken as UTF-8 without comparing it with GBK and Big5.
_UNAMBIGUOUS_UTF8_BYTES = 32
_ASCII_BYTES = bytes(range(0x80))


def _codec_from_choice(encoding: str) -> str:
    """The codec for an encoding the caller chose, under the name ENCODINGS uses for it.

    Only text encodings (_TEXT_ENCODINGS): Python's codecs also include base64, rot13,
    unicode_escape, idna and the like, which would store something else than the file says.
    """
    codec = _text_codec(encoding)
    if not codec:
        raise ExtractionError(
            f"“{encoding}” is not an encoding this site knows; choose one from the list.", code="encoding_unknown"
        )
    for value, _label in ENCODINGS:
        if value and codecs.lookup(value).name == codecs.lookup(codec).name:
            return value
    return codec


def _text_codec(label: str) -> str:
    """The codec that reads the text encoding ``label`` names (a WHATWG label or a Python name), else ""."""
    label = label.strip().lower()
    if label in _TEXT_ENCODING_LABELS:
        return _TEXT_ENCODING_LABELS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return ""
    return _TEXT_CODEC_NAMES.get(name, "")


def _is_utf16_or_32(codec: str) -> bool:
    return codecs.lookup(codec).name.startswith(("utf-16", "utf-32"))


def _decode_strictly(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise ExtractionError(
            f"The file is not valid {encoding_name(codec)}: byte 0x{data[error.start]:02X} at position {error.start} "
            "cannot be decoded. Choose another encoding or let it be detected.",
            code="encoding_mismatch",
        ) from None


def _decode_detected(data: bytes, declared: str) -> tuple[str, str]:
    """Decode bytes whose encoding nobody chose: byte-order mark, UTF-8, the page's declaration, else the best score.

    Valid UTF-8 beats a declaration because pages converted to UTF-8 often keep their old
    ``charset=gb2312``, while GBK or Big5 text is practically never valid UTF-8 by accident,
    except when it is very short: two GBK characters can be (芯片 reads as "оƬ"), so short
    UTF-8 competes on score, with the declared encoding or else with the other candidates.
    A declared Chinese encoding stands only if its reading is plausible, else the page is read
    as if undeclared (pages declare gb2312 and hold Big5); a declared windows-1252 is believed;
    others (Japanese, Korean, Cyrillic, …) are taken at their word. Without a declaration, the
    most plausible reading wins, and none at all is refused rather than stored: Japanese or
    Korean bytes decode as GB18030 too, to a jumble of rare characters.
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise ExtractionError(
                    f"The file starts with a {encoding_name(codec)} byte-order mark but is not valid "
                    f"{encoding_name(codec)}; choose its encoding from the list.",
                    code="encoding_unknown",
                ) from None
    _refuse_binary_bytes(data)
    if data.isascii():
        return data.decode("ascii"), "utf-8"
    utf8_text = _decode_or_none(data, "utf-8")
    if utf8_text is not None and (
        declared == "utf-8" or len(data.translate(None, _ASCII_BYTES)) >= _UNAMBIGUOUS_UTF8_BYTES
    ):
        return utf8_text, "utf-8"
    utf8 = [(utf8_text, "utf-8")] if utf8_text is not None else []

    if declared and (declared_text := _decode_or_none(data, declared)) is not None:
        if declared in _SCORED_CODECS:
            if (reading := _most_plausible([(declared_text, declared), *utf8], data)) is not None:
                return reading
            if declared == "windows-1252":
                # Any byte is some Western character: a page that says so is believed, odd symbols and all.
                return declared_text, declared
        else:
            return _most_plausible(utf8, data) or (declared_text, declared)

    decodings = list(utf8)
    for codec_family in _LEGACY_CANDIDATES:
        for codec in codec_family:
            if (candidate := _decode_or_none(data, codec)) is not None:
                decodings.append((candidate, codec))
                break
    reading = _most_plausible(decodings, data)
    if reading is None:
        raise _encoding_unknown_error()
    return reading


def _most_plausible(decodings: list[tuple[str, str]], data: bytes) -> tuple[str, str] | None:
    """The (text, codec) of the plausible reading with the highest score (the first of equals), if any."""
    best: tuple[float, str, str] | None = None
    for text, codec in decodings:
        plausibility = _plausibility(_scored_prefix(text, data, codec))
        if plausibility.plausible and (best is None or plausibility.score > best[0]):
            best = (plausibility.score, text, codec)
    return (best[1], best[2]) if best is not None else None


def _decode_or_none(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _encoding_unknown_error() -> ExtractionError:
    return ExtractionError("Could not tell this file's encoding; choose it from the list.", code="encoding_unknown")


def _scored_prefix(text: str, data: bytes, codec: str) -> str:
    """Score a long file on its first 64 KB: the same bytes for every candidate, cut at a line feed.

    A line feed byte is never part of a GBK, Big5 or UTF-8 multibyte character, so every
    codec decodes the same prefix cleanly.
    """
    if len(data) <= _SCORED_PREFIX_BYTES:
        return text
    cut = data.rfind(b"\n", 0, _SCORED_PREFIX_BYTES)
    prefix = data[: cut if cut > 0 else _SCORED_PREFIX_BYTES]
    return prefix.decode(codec, errors="ignore")


# --- Scoring a candidate decoding -------------------------------------------------------------------

# The most frequent Chinese characters in simplified form (about 1,200: general frequency lists'
# top thousand plus the vocabulary of chip and technology news). Correctly decoded Chinese is
# mostly made of them; GBK read as Big5 or Big5 read as GBK mostly is not.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件"
    "计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列"
    "武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供"
    "效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳"
    "若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷"
    "洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈"
    "刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央"
    "户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括"
    "舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康"
    "虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅"
    "泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶"
    "玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸"
    "扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞"
    "街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残"
    "秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵桥奶胸纷渡伏凭仪搭抢辆徐宾妹秦恨跌玛琴遥骑恢抽剩偏咱饮醉迁贫摸"
    "辞冒芯晶季储硅屏幕池汽硬订链润亏币融伴耗涨启蚀频裁董"
)

# Punctuation and symbols that real Chinese or Western text uses (full-width Chinese
# punctuation, typographic quotes and dashes, currency signs, no-break space).
_PLAUSIBLE_SYMBOLS = frozenset("，。、；：？！（）「」『』《》〈〉【】“”‘’…—–·％～•€£¥°©®™×±§«»\xa0\u3000")

# CJK ideographs: unified (and extension A), compatibility, the supplementary planes.
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# At least this share of a reading's ideographs must be frequent ones (see _Plausibility.plausible).
_MIN_FREQUENT_SHARE = 0.55

_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")

# Blocks a wrong decoding of GBK or Big5 lands in: kana, bopomofo, CJK compatibility and small
# form variants, Hangul, Greek, Cyrillic, box drawing. Real Chinese text rarely uses them.
_UNLIKELY_RANGES = [
    (0x0370, 0x052F),  # Greek, Cyrillic
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x2500, 0x259F),  # box drawing, block elements
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),  # kanbun, bopomofo extended, strokes, katakana extension
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility
    (0xAC00, 0xD7AF),  # Hangul
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE6F),  # vertical forms, CJK compatibility forms, small form variants
]


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


class _Plausibility(NamedTuple):
    score: float
    frequent: int  # Chinese characters among the frequent ones
    ideographs: int  # Chinese characters (CJK ideographs) in all

    @property
    def plausible(self) -> bool:
        """Whether the reading can be taken: it scores above zero, and most of its Chinese characters
        (_MIN_FREQUENT_SHARE) are frequent ones. Real Chinese text has about nine in ten (a list of
        rare metals, seven); Japanese or Korean bytes read as GB18030 or Big5 may score above zero
        too, rare ideographs counting a little each, but have under half, mostly under a third."""
        return self.score > 0 and self.frequent >= _MIN_FREQUENT_SHARE * self.ideographs


def _plausibility(text: str) -> _Plausibility:
    """How much a decoded text looks like real Chinese or Western text; only the non-ASCII part counts.

    Frequent Chinese characters score 1.1, plausible punctuation 0.5, other CJK ideographs 0.1;
    characters a wrong decoding produces score below zero. Accented Latin letters score 1 inside
    a word that is mostly ASCII letters ("Über", "café"), and -0.5 elsewhere ("Ìå³½").
    """
    simplified = _to_simplified().convert(text)
    frequent = sum(1 for character in simplified if character in _COMMON_HANZI)
    score = float(frequent)
    for word in _LATIN_WORD.findall(text):
        if not word.isascii():
            accented = sum(1 for character in word if not character.isascii())
            score += accented * (1.0 if accented * 2 <= len(word) else -0.5)
    for character in text:
        if character.isascii() or _LATIN_WORD.match(character):
            continue  # ASCII is the same in every candidate; accented letters were scored by word
        score += _character_score(character)
    return _Plausibility(score=score, frequent=frequent, ideographs=len(_IDEOGRAPH.findall(simplified)))


def _character_score(character: str) -> float:
    """The score of a non-ASCII character other than a Latin letter (frequent ideographs are counted apart)."""
    code_point = ord(character)
    if 0x4E00 <= code_point <= 0x9FFF:
        return 0.1  # an ideograph outside the frequent ones: real, but wrong decodings are full of them
    if character in _PLAUSIBLE_SYMBOLS or 0xFF01 <= code_point <= 0xFF5E:
        return 0.5
    if 0x3400 <= code_point <= 0x4DBF or 0x20000 <= code_point <= 0x3FFFF:
        return -0.5  # rare ideographs of the CJK extensions
    if 0x1F300 <= code_point <= 0x1FAFF:
        return 0.0  # emoji
    if unicodedata.category(character) in ("Co", "Cn", "Cc", "Cs"):
        return -2.0  # private use, unassigned, control
    if any(start <= code_point <= end for start, end in _UNLIKELY_RANGES):
        return -1.0
    return -0.5


# --- HTML ---------------------------------------------------------------------------------------------

_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_CHARSET_PARAMETER = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# Page furniture removed before trafilatura sees the page: on a page with little text it falls
# back to all of the body's text, navigation links included.
_BOILERPLATE = (
    "//script|//style|//noscript|//template|//iframe|//svg|//button|//nav|//aside|//footer"
    "|//header[not(ancestor::article) and not(ancestor::main)]"
    "|//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary' or @role='search']"
)


def _looks_like_html(start: str) -> bool:
    """Whether a text starts with markup and its first kilobyte has a doctype, html, head or body tag."""
    start = start.lstrip("\ufeff \t\r\n\f")
    return start.startswith("<") and _HTML_START.search(start[:1024]) is not None


def _declared_html_charset(data: bytes) -> str:
    """The codec a page's ``<meta charset>`` or ``http-equiv`` Content-Type declares, or ""."""
    match = _META_CHARSET.search(data[:4096])
    return _codec_for_label(match.group(1).decode("ascii")) if match else ""


def _charset_parameter(parameters: str) -> str:
    match = _CHARSET_PARAMETER.search(parameters)
    return _codec_for_label(match.group(1)) if match else ""


def _codec_for_label(label: str) -> str:
    """The codec for a charset a page or an upload declares; "" for one to ignore (not a text encoding)."""
    codec = _text_codec(label)
    # A page in UTF-16 starts with a byte-order mark; browsers read a UTF-16 declaration as UTF-8.
    return "" if codec.startswith(("utf-16", "utf-32")) else codec


def _extract_html(html: str) -> tuple[str, str]:
    """The page's main text (paragraphs on their own lines) and its title."""
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (lxml.etree.ParserError, ValueError):
        raise _no_text_error() from None
    title = _html_title(tree)
    for element in tree.xpath(_BOILERPLATE):
        element.drop_tree()
    text = trafilatura.extract(
        tree, output_format="txt", include_comments=False, include_tables=True, favor_recall=True
    )
    text = _normalise(text or "")
    if not text.strip():
        raise _no_text_error()
    return text, title


def _html_title(tree: lxml.html.HtmlElement) -> str:
    """The <title>, else the title trafilatura finds (og:title, the first heading)."""
    title = tree.findtext("head/title") or ""
    if not title.strip():
        metadata = trafilatura.extract_metadata(copy.deepcopy(tree))
        title = (metadata.title if metadata else None) or ""
    return " ".join(title.split())


def _no_text_error() -> ExtractionError:
    return ExtractionError("No article text was found in this HTML page; paste the text instead.", code="no_text")


def _normalise(text: str) -> str:
    """Line endings as "\\n", no byte-order mark, no trailing white space; nothing else changes."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").rstrip()
