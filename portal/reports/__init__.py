"""Report rendering shared by every feature: one render_pdf, one Excel writer."""
