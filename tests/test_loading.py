"""The output loads as it is into DuckDB and pandas: row counts and column types."""
import json

import pytest

duckdb = pytest.importorskip("duckdb")
pd = pytest.importorskip("pandas")

MENTION_COUNT_COLUMNS = ("index", "start", "end")


def _count(path):
    return sum(1 for _ in path.open(encoding="utf-8"))


def _types(rel):
    return dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))


@pytest.mark.parametrize("reader", ["read_json", "read_json_auto"])
def test_duckdb_reads_document_records(corpus_jsonl, reader):
    rel = duckdb.sql(f"SELECT * FROM {reader}('{corpus_jsonl}')")
    types = _types(rel)
    assert rel.shape[0] == _count(corpus_jsonl) == 51
    for col in ("source", "sha256", "lang", "encoding", "schema_version"):
        assert types[col] == "VARCHAR", (col, types[col])
    assert types["chars"] == types["rejected"] == "BIGINT"
    assert types["mentions"].startswith("STRUCT(") and types["mentions"].endswith("[]")
    assert types["references"] == "STRUCT(canonical VARCHAR, count BIGINT, offsets BIGINT[][])[]"
    recs = [json.loads(x) for x in corpus_jsonl.open(encoding="utf-8")]
    n = duckdb.sql(f"SELECT sum(len(mentions)) FROM {reader}('{corpus_jsonl}')").fetchall()[0][0]
    assert n == sum(len(r["mentions"]) for r in recs)
    by_type = dict(duckdb.sql(f"SELECT m.type, count(*) FROM (SELECT unnest(mentions) AS m FROM "
                              f"{reader}('{corpus_jsonl}')) GROUP BY ALL").fetchall())
    assert sum(by_type.values()) == n and set(by_type) <= {"doc_ref", "date", "period", "money", "percent",
                                                           "quantity", "fraction", "rank"}


@pytest.mark.parametrize("reader", ["read_json", "read_json_auto"])
def test_duckdb_reads_mention_lines(corpus_mentions_jsonl, reader):
    rel = duckdb.sql(f"SELECT * FROM {reader}('{corpus_mentions_jsonl}')")
    types = _types(rel)
    assert rel.shape[0] == _count(corpus_mentions_jsonl) > 0
    for col in ("source", "sha256", "lang", "schema_version", "text", "pattern", "type", "canonical", "unit",
                "currency"):
        assert types[col] == "VARCHAR", (col, types[col])
    for col in (*MENTION_COUNT_COLUMNS, "number", "rank", "out_of"):
        assert types[col] == "BIGINT", (col, types[col])
    assert types["value"] == "JSON"  # a string for date/period, a number for percent/quantity
    total = duckdb.sql(f"SELECT count(*) FROM {reader}('{corpus_mentions_jsonl}') WHERE type = 'percent' "
                       f"AND value::DOUBLE >= 0").fetchall()[0][0]
    assert total > 0


def test_duckdb_reads_an_error_line(tmp_path):
    from pipeline.batch import Options, run
    d = tmp_path / "in" / "fr"
    d.mkdir(parents=True)
    (d / "a.txt").write_text("Le 20 août 2013, la Résolution n° 25-NQ/TW.", encoding="utf-8")
    (d / "b.txt").write_bytes(b"")
    for gran in ("document", "mention"):
        out = tmp_path / f"{gran}.jsonl"
        run([str(tmp_path / "in")], str(out), Options(granularity=gran))
        rel = duckdb.sql(f"SELECT * FROM read_json_auto('{out}')")
        assert _types(rel)["error"] == "STRUCT(code VARCHAR, message VARCHAR)"
        assert duckdb.sql(f"SELECT count(error) FROM read_json_auto('{out}')").fetchall()[0][0] == 1
        df = pd.read_json(out, lines=True)
        assert df["error"].notna().sum() == 1


def _is_str(s):
    return pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)


def test_pandas_reads_document_records(corpus_jsonl):
    df = pd.read_json(corpus_jsonl, lines=True)
    assert len(df) == _count(corpus_jsonl) == 51
    for col in ("source", "sha256", "lang", "encoding", "schema_version"):
        assert _is_str(df[col]), (col, df[col].dtype)
    assert pd.api.types.is_integer_dtype(df["chars"]) and pd.api.types.is_integer_dtype(df["rejected"])
    assert all(isinstance(x, list) for x in df["mentions"]) and all(isinstance(x, list) for x in df["references"])
    assert df["mentions"].map(len).sum() == sum(len(json.loads(x)["mentions"]) for x in corpus_jsonl.open())
    assert (df["sha256"].str.len() == 64).all()


def test_pandas_reads_mention_lines(corpus_mentions_jsonl):
    df = pd.read_json(corpus_mentions_jsonl, lines=True)
    assert len(df) == _count(corpus_mentions_jsonl) > 0
    for col in ("source", "sha256", "lang", "text", "pattern", "type"):
        assert _is_str(df[col]), (col, df[col].dtype)
    for col in MENTION_COUNT_COLUMNS:
        assert pd.api.types.is_integer_dtype(df[col]), (col, df[col].dtype)
    assert (df["end"] > df["start"]).all()
    assert pd.api.types.is_object_dtype(df["value"])
    assert (df["sha256"].str.len() == 64).all()
    counts = df.groupby("type").size().to_dict()
    assert sum(counts.values()) == len(df)
