"""Appraisal of a selected proposal's content and budget (thẩm định nội dung và kinh phí)."""
