"""The closed set of reasons why a file could not be read."""

FAILURE_KINDS = (
    "not_pdf",
    "encrypted",
    "timeout",
    "memory",
    "crash",
    "empty_text",
    "too_many_pages",
    "parse_error",
)


class PdfFailure(Exception):
    """A file that cannot be read, with the failure class and the stage where it happened."""

    def __init__(self, kind: str, message: str, stage: str = "open"):
        assert kind in FAILURE_KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.stage = stage
        self.message = message

    def as_dict(self) -> dict:
        return {"kind": self.kind, "stage": self.stage, "message": self.message}
