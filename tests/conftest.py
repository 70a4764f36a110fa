from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score.py"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
