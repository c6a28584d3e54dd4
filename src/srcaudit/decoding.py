"""Turn a file's bytes into text, or say clearly why it is not text.

Order of trust: a byte-order mark, then strict UTF-8, then UTF-16 without a BOM
(recognised by its zero bytes), then charset-normalizer's detection. Known binary
signatures and stray NUL bytes make a file binary: decoding those would feed garbage
to every rule.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Magic numbers of formats people save by mistake with a .txt name.
_BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX/EPUB)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an ELF executable",
    b"\xd0\xcf\x11\xe0": "an OLE document (old Word/Excel)",
    b"RIFF": "a RIFF media file",
}

_SAMPLE = 64 * 1024


class NotText(ValueError):
    """The bytes are not text we can read; the message says what they look like."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode ``data`` to text, raising :class:`NotText` for binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding.replace("-sig", "") + " (BOM)")
            except UnicodeDecodeError as exc:
                raise NotText(f"has a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}") from exc
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise NotText(f"looks like {kind}, not text")
    if b"\x00" in data[:_SAMPLE]:
        return _decode_with_nul_bytes(data)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _decode_with_nul_bytes(data: bytes) -> DecodedText:
    """UTF-16 without a BOM has a zero in every other byte of ASCII text; anything else is binary."""
    sample = data[:_SAMPLE]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    for zeros, encoding in ((odd_zeros, "utf-16-le"), (even_zeros, "utf-16-be")):
        if zeros / half > 0.3 and len(data) % 2 == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return DecodedText(text, encoding)
    raise NotText("contains NUL bytes: binary data, not text")


# Detection on short texts is a guess among many legacy code pages. Text that is almost
# all ASCII with a few high bytes (a pound sign, an accented name) is, in news
# collections, nearly always Windows-1252 (a superset of Latin-1); double-byte Asian
# encodings have a high share of high bytes. So: few high bytes -> Windows-1252 if it
# decodes; otherwise the detector decides, and Windows-1252 still wins a near tie.
_WESTERN = "cp1252"
_FEW_HIGH_BYTES = 0.03
_WESTERN_TOLERANCE = 0.02


def _detect(data: bytes) -> DecodedText:
    high = sum(1 for byte in data[:_SAMPLE] if byte >= 0x80)
    if high / max(1, min(len(data), _SAMPLE)) < _FEW_HIGH_BYTES:
        try:
            return DecodedText(data.decode(_WESTERN), _WESTERN)
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=[_WESTERN]).best()
    if western is not None and (best is None or western.chaos <= best.chaos + _WESTERN_TOLERANCE):
        best = western
    if best is None:
        raise NotText("is not UTF-8 and no text encoding fits it: binary data?")
    text = str(best)
    if _control_share(text) > 0.01:
        raise NotText(f"decodes as {best.encoding} only to control characters: binary data?")
    return DecodedText(text, best.encoding)


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / len(sample)
