"""Reading any PDF safely: pre-flight, positioned text, OCR, checkboxes, tables, sandboxed
workers."""
