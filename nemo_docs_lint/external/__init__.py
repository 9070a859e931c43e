"""The external-link checker engine: `check_urls(urls, settings) -> {url: UrlResult}`.

Importing this package is cheap: httpx and rich are imported only when URLs are checked.
"""

from nemo_docs_lint.external.checker import check_urls
from nemo_docs_lint.external.falsepositives import FalsePositivesError
from nemo_docs_lint.external.result import Status, UrlResult
from nemo_docs_lint.external.settings import ExternalSettings, ExternalSettingsError

__all__ = [
    "ExternalSettings",
    "ExternalSettingsError",
    "FalsePositivesError",
    "Status",
    "UrlResult",
    "check_urls",
]
