"""Minutes (biên bản) of a council meeting: generated as PDF from the meeting record,
versioned, signed off by the chair and the secretary with the document's SHA-256."""
