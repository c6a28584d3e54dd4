"""Turn a file's bytes into text, or say clearly why it is not text.

Order of trust: a byte-order mark, then strict UTF-8, then UTF-16 without a BOM
(recognised by its zero bytes), then charset-normalizer's detection. Known binary
signatures, NUL bytes anywhere (outside UTF-16) and text that decodes mostly to control
characters make a file binary: decoding those would feed garbage to every rule.

When detection cannot tell single-byte Western code pages apart (short Latin-1 or
Windows-1252 text is valid in cp1250 and cp1257 too), Windows-1252 wins: it is what
the web and Windows editors save, and what the WHATWG encoding standard reads "latin1" as.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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
    nul = data.find(b"\x00")  # memchr: cheap even on a very large file
    if nul >= 0:
        return _decode_with_nul_bytes(data, nul)
    try:
        decoded = DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        decoded = _detect(data)
    _reject_control_characters(decoded)
    return decoded


def _decode_with_nul_bytes(data: bytes, first_nul: int) -> DecodedText:
    """UTF-16 without a BOM has a zero in every other byte of ASCII text; anything else is binary.

    Zeros alone are weak evidence in a short file, so the decoded code units must also
    stay within a few Unicode blocks (real text is written in one or two scripts), and
    must not decode to control characters.
    """
    sample = data[:_SAMPLE - _SAMPLE % 2]
    half = max(1, len(sample) // 2)
    for high_bytes, encoding in ((sample[1::2], "utf-16-le"), (sample[0::2], "utf-16-be")):
        if len(data) % 2 or high_bytes.count(0) / half < 0.1 or not _few_blocks(high_bytes):
            continue
        try:
            decoded = DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in decoded.text and _control_share(decoded.text) <= _MAX_CONTROL_SHARE:
            return decoded
    raise NotText(f"contains a NUL byte (at byte {first_nul}): binary data, not text")


def _few_blocks(high_bytes: bytes) -> bool:
    """Whether nearly all UTF-16 code units share a zero or one of two common high bytes."""
    counts = sorted((high_bytes.count(value) for value in set(high_bytes) - {0}), reverse=True)
    return high_bytes.count(0) + sum(counts[:2]) >= 0.9 * len(high_bytes)


# Detection on short texts is a guess among many legacy code pages. Text that is almost
# all ASCII with a few high bytes (a pound sign, an accented name) is, in news
# collections, nearly always Windows-1252 (a superset of Latin-1); double-byte Asian
# encodings have a high share of high bytes. So: few high bytes -> Windows-1252 if it
# decodes; otherwise the detector decides, and Windows-1252 still wins a near tie.
_WESTERN = "cp1252"
_HIGH_BYTES = bytes(range(0x80, 0x100))
_FEW_HIGH_BYTES = 0.03
_WESTERN_TOLERANCE = 0.02


def _detect(data: bytes) -> DecodedText:
    sample = data[:_SAMPLE]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))  # counted in C, not byte by byte
    if high / max(1, min(len(data), _SAMPLE)) < _FEW_HIGH_BYTES:
        try:
            return DecodedText(data.decode(_WESTERN), _WESTERN)
        except UnicodeDecodeError:
            pass
    # Imported here: most corpora are UTF-8, and the detector costs ~25-60 ms of start-up.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=[_WESTERN]).best()
    if western is not None and (best is None or western.chaos <= best.chaos + _WESTERN_TOLERANCE):
        best = western
    if best is None:
        raise NotText("is not UTF-8 and no text encoding fits it: binary data?")
    return DecodedText(str(best), best.encoding)


_MAX_CONTROL_SHARE = 0.01
# C0 control characters other than the white-space ones (tab, line feed, vertical tab, form feed, return).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _reject_control_characters(decoded: DecodedText) -> None:
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise NotText(f"decodes as {decoded.encoding} mostly to control characters: binary data?")


def _control_share(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    if sample.isascii():  # most text: count by deleting them from the bytes (memory speed, ~5x the regex)
        raw = sample.encode("ascii")
        return (len(raw) - len(raw.translate(None, _CONTROL_BYTES))) / len(sample)
    # one regex scan in C; a generator over the characters cost ~0.1 ms per news article
    return len(_CONTROL.findall(sample)) / len(sample)


_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))  # the characters of _CONTROL
