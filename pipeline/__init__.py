"""Structured records from Vietnamese Party and State texts.

    >>> from pipeline import extract
    >>> [m.text for m in extract("la Résolution n° 25-NQ/TW du 3 juin 2013", lang="fr")]
    ['25-NQ/TW', '3 juin 2013']
"""
__version__ = "0.1.0"

from .document import analyse, extract, references  # noqa: E402
from .models import SCHEMA_VERSION, DocumentRecord, Mention  # noqa: E402

__all__ = ["extract", "analyse", "references", "SCHEMA_VERSION", "DocumentRecord", "Mention", "__version__"]
