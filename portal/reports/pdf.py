"""The one way to make a PDF: WeasyPrint with a URL fetcher that fetches nothing outside."""

from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
BASE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt;
                        color: #666; } }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; } thead { display: table-header-group; }
tr { page-break-inside: avoid; } th, td { border: 0.5pt solid #999; padding: 3pt 5pt; }
td.num { text-align: right; white-space: nowrap; }
"""


class RefusedURL(FatalURLFetchingError):
    """A PDF tried to load something from outside the portal's own static files."""


def safe_url_fetcher(url: str) -> URLFetcherResponse:
    """Only the portal's static files (by path); never file://, data from hosts, the network."""
    marker = "/static/"
    if marker in url and not url.lower().startswith("file:"):
        target = (STATIC / url.split(marker, 1)[1].split("?", 1)[0]).resolve()
        if STATIC in target.parents and target.is_file():
            return URLFetcherResponse(
                url, body=target.read_bytes(), headers={"Content-Type": _mime(target)}
            )
    raise RefusedURL(f"refused to fetch {url!r} while rendering a PDF")


class PortalFetcher(URLFetcher):
    """WeasyPrint's fetcher interface around safe_url_fetcher; a refused URL is skipped."""

    def fetch(self, url, headers=None):
        try:
            return safe_url_fetcher(url)
        except RefusedURL as exc:
            raise ValueError(str(exc)) from exc  # not fatal: the resource is left out


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".jpg": "image/jpeg",
    }.get(path.suffix, "application/octet-stream")


def render_pdf(html: str, base_url: str = "http://portal.invalid/") -> bytes:
    """HTML (already rendered from a template) to PDF bytes, Vietnamese fonts included."""
    document = HTML(string=html, base_url=base_url, url_fetcher=PortalFetcher())
    return document.write_pdf(stylesheets=[CSS(string=BASE_CSS)])
