"""The published schema: committed copies kept current, deterministic, documented, and true of our output."""
import json
import os
import re
import subprocess
import sys

import pytest

from pipeline.models import LINE_ADAPTER, MENTION_TYPES, SCHEMA_VERSION, SEMVER, DocumentRecord
from pipeline.schema import FILES, render

from .conftest import ROOT

SCHEMA_DIR = ROOT / "schema"
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("granularity", list(FILES))
def test_committed_schema_matches_the_models(granularity):
    path = SCHEMA_DIR / FILES[granularity]
    flag = "" if granularity == "document" else f" --granularity {granularity}"
    how = f"regenerate it with: python -m pipeline schema{flag} -o schema/{FILES[granularity]}"
    assert path.exists(), f"{path} is missing: {how}"
    assert path.read_text(encoding="utf-8") == render(granularity), \
        f"schema/{FILES[granularity]} differs from what pipeline/models.py generates: {how}"


def test_schema_command_is_deterministic():
    outs = set()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-m", "pipeline", "schema"], cwd=ROOT, capture_output=True, env=env,
                           check=True)
        outs.add(r.stdout)
    assert outs == {(SCHEMA_DIR / FILES["document"]).read_bytes()}
    assert render("mention") == render("mention")


def test_schema_version_is_semver():
    assert re.fullmatch(SEMVER, SCHEMA_VERSION)
    assert f"`{SCHEMA_VERSION}`" in README


def _validator(granularity):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMA_DIR / FILES[granularity]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_corpus_records_validate_against_the_published_schema(corpus_jsonl):
    v = _validator("document")
    recs = [json.loads(x) for x in corpus_jsonl.read_text(encoding="utf-8").splitlines()]
    for rec in recs:
        errors = [e.message for e in v.iter_errors(rec)]
        assert not errors, (rec["source"], errors[:3])
        DocumentRecord.model_validate(rec)
    bad = {"source": "x.txt", "sha256": None, "schema_version": SCHEMA_VERSION, "mentions": [],
           "error": {"code": "empty", "message": "x.txt: no text"}}
    assert v.is_valid(bad)
    assert not v.is_valid({**bad, "surprise": 1})
    assert not v.is_valid({**bad, "schema_version": "1.0"})


def _shape(obj: dict) -> tuple:
    return tuple(sorted((k, type(v).__name__) for k, v in obj.items() if k not in ("source", "sha256", "text")))


def test_corpus_mention_lines_validate_against_the_published_schema(corpus_mentions_jsonl):
    v = _validator("mention")
    shapes = {}
    for line in corpus_mentions_jsonl.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        shapes.setdefault(_shape(obj), obj)  # one line of each shape: the schema check is slow
        LINE_ADAPTER.validate_python(obj)
    assert len(shapes) > 8
    for obj in shapes.values():
        errors = [e.message for e in v.iter_errors(obj)]
        assert not errors, (obj, errors[:3])
    assert v.is_valid({"source": "x.txt", "sha256": None, "lang": None, "schema_version": SCHEMA_VERSION,
                       "error": {"code": "empty", "message": "x.txt: no text"}})


def _all_properties(schema: dict) -> set[str]:
    names = set(schema.get("properties", {}))
    for d in schema.get("$defs", {}).values():
        names |= set(d.get("properties", {}))
    return names


@pytest.mark.parametrize("granularity", list(FILES))
def test_readme_documents_every_field(granularity):
    schema = json.loads(render(granularity))
    missing = sorted(n for n in _all_properties(schema) if f"`{n}`" not in README)
    assert not missing, f"README.md does not document the field(s) {missing}"


def test_readme_example_record_is_complete_and_current():
    m = re.search(r"<!-- example-input -->\s*```sh\n.*?printf '%s' \"(?P<text>[^\"]+)\"(?P<cmd>[^\n]*)\n```", README, re.S)
    assert m, "README.md: example input block not found"
    r = re.search(r"<!-- example-record -->\s*```json\n(?P<json>.*?)\n```", README, re.S)
    assert r, "README.md: example record block not found"
    shown = json.loads(r["json"])
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", "-", "-o", "-", "--lang", "fr", "--quiet"],
                         cwd=ROOT, input=m["text"].encode(), capture_output=True, check=True)
    assert shown == json.loads(out.stdout), "README.md example record is out of date: rerun the command shown"
    DocumentRecord.model_validate(shown)
    assert {x["type"] for x in shown["mentions"]} == set(MENTION_TYPES), "the example should show every type"
