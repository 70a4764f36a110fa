from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score.py"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


def _extract_corpus(out: Path, *extra: str) -> Path:
    """``vnextract extract corpus -o OUT`` run in this process from the checkout (sources are corpus/...)."""
    import os

    from pipeline.cli import main
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["extract", "corpus", "-o", str(out), "--quiet", *extra]) == 0
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="session")
def corpus_jsonl(tmp_path_factory) -> Path:
    """The CLI's output on corpus/ (run from the checkout: sources are corpus/...), one line per document."""
    return _extract_corpus(tmp_path_factory.mktemp("cli") / "corpus.jsonl")


@pytest.fixture(scope="session")
def corpus_mentions_jsonl(tmp_path_factory) -> Path:
    """The CLI's output on corpus/, one line per mention."""
    return _extract_corpus(tmp_path_factory.mktemp("cli") / "mentions.jsonl", "--granularity", "mention")
