"""The few exceptions ``vision`` raises (plain library: callers map them to their own errors).

    VisionError (ValueError)
    ├── UnreadableDocument   corrupt, encrypted, empty, or a format we do not read
    │   └── RefusedXml       an e-invoice XML that is malformed or hostile (DOCTYPE, entities)
    └── OcrUnavailable       the Tesseract binary or a language pack is missing
"""

from __future__ import annotations


class VisionError(ValueError):
    """Root of vision's errors."""


class UnreadableDocument(VisionError):
    """The file cannot be read as a document. The message names the file and what to do."""


class OcrUnavailable(VisionError):
    """Tesseract (or a language it was asked for) is not installed."""


class RefusedXml(UnreadableDocument):
    """An e-invoice XML that is malformed or hostile (DOCTYPE, entities, oversized): refused, never parsed
    further. The message names the file and the problem."""
