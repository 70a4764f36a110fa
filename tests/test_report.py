"""The HTML review page: content, escaping, checks, and (with Chromium) how it loads in a browser."""
import json
import os
import re
import shutil
import tempfile

import pytest

from pipeline.cli import main
from pipeline.report import CHECKS, DocView, check, load, render, write_report

from .conftest import ROOT
from .test_cli import run_cli

OUTPUT = ROOT / "output"


def _doc(**kw):
    rec = {"source": "x.txt", "sha256": "0" * 64, "lang": "fr", "chars": 0, "encoding": "utf-8",
           "schema_version": "1.0.0", "mentions": [], "references": [], "rejected": 0}
    rec.update(kw)
    return rec


def _m(text, start, type_, **fields):
    return {"start": start, "end": start + len(text), "text": text, "pattern": "p", "type": type_, **fields}


def _ids(view):
    return sorted({c for c, _ in check(view)})


@pytest.fixture(scope="module")
def corpus_page(corpus_jsonl, tmp_path_factory):
    """The report of corpus/ built by the command line from text files, and the records it shows."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    cwd = os.getcwd()
    os.chdir(ROOT)  # sources as corpus/..., like the CLI run from the checkout
    try:
        assert main(["report", "corpus", "-o", str(out)]) == 0
    finally:
        os.chdir(cwd)
    recs = [json.loads(x) for x in corpus_jsonl.read_text(encoding="utf-8").splitlines()]
    return out, recs


def test_page_shows_every_mention_and_reference(corpus_page):
    out, recs = corpus_page
    page = out.read_text(encoding="utf-8")
    total = sum(len(r["mentions"]) for r in recs)
    assert len(re.findall(r'<mark class="m t-', page)) == total
    assert page.count('<article class="doc"') == len(recs)
    assert len(re.findall(r'<tr id="doc-\d+-r\d+"', page)) == total
    for r in recs:
        for ref in r["references"]:
            assert f"<code>{ref['canonical']}</code>" in page
    assert 'title="date: 2013-08-20' in page


def test_page_is_self_contained(corpus_page):
    page = corpus_page[0].read_text(encoding="utf-8")
    assert "src=" not in page and "@import" not in page and "url(" not in page
    assert re.findall(r"<link[^>]*>", page) == ['<link rel="icon" href="data:,">']
    assert not re.search(r'href="(?!#|data:)', page)
    assert "@media print" in page


def test_jsonl_input_gives_the_same_page(corpus_page, corpus_jsonl, corpus_mentions_jsonl, tmp_path):
    # the record has no text: it is read back from its source (checked by sha256), relative to the cwd
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        from_records = render(load([str(corpus_jsonl)]))
        from_lines = render(load([str(corpus_mentions_jsonl)]))
    finally:
        os.chdir(cwd)
    assert from_records == corpus_page[0].read_text(encoding="utf-8")
    # mention lines carry no rejected count: only that check differs
    assert len(re.findall(r'<mark class="m t-', from_lines)) == len(re.findall(r'<mark class="m t-', from_records))


def test_text_is_escaped(tmp_path):
    d = tmp_path / "in" / "fr"
    d.mkdir(parents=True)
    (d / 'a<b>"q".txt').write_text('<script>alert("x")</script> & le 3 juin 2013 <img src=x onerror=alert(1)>',
                                   encoding="utf-8")
    page = render(load([str(tmp_path / "in")]))
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; le " in page
    assert "a&lt;b&gt;&quot;q&quot;.txt" in page
    assert page.count("<script>") == 1  # ours
    assert len(re.findall(r'<mark class="m t-', page)) == 1


def test_checks_find_inconsistent_records():
    text = "la résolution 25 ; 5/3 communes ; le 31/02/2021 ; 2025-2021 ; 2,3 %"
    ms = [_m("résolution 25", 3, "doc_ref", canonical=None, number=25, kind="NQ", issuer=None, year=None),
          _m("5/3 communes", 19, "fraction", numerator=5, denominator=3, unit="communes",
             check={"stated": 50, "computed": 166.7, "agrees": False}),
          _m("31/02/2021", 37, "date", value="2021-02-31"),
          _m("2025-2021", 50, "period", value="2025/2021"),
          _m("2,3 %", 62, "percent", value=2.3, qualifier=None)]
    assert [text[m["start"]:m["end"]] for m in ms] == [m["text"] for m in ms]
    view = DocView(_doc(mentions=ms, rejected=2, references=[{"canonical": "25-NQ/TW", "count": 1,
                                                              "offsets": [[3, 16]]}], chars=len(text)), text)
    assert _ids(view) == ["fraction_above_one", "fraction_check", "impossible_date", "period_reversed",
                          "references_mismatch", "rejected", "unresolved_reference"]
    assert _ids(DocView(_doc(mentions=ms[4:]), text)) == []
    assert _ids(DocView(_doc(mentions=ms[4:]), text.replace("2,3", "9,9"))) == ["text_mismatch"]
    assert _ids(DocView(_doc(mentions=[ms[4], ms[4]]), text)) == ["overlap"]
    assert _ids(DocView(_doc(mentions=ms[4:], schema_version="2.0.0"), text)) == ["schema_major"]
    assert "record_invalid" in _ids(DocView(_doc(surprise=1), text))
    assert _ids(DocView(_doc(), None, "no text")) == ["text_unavailable"]
    err = {"source": "b.txt", "sha256": None, "schema_version": "1.0.0", "mentions": [],
           "error": {"code": "empty", "message": "b.txt: no text"}}
    assert _ids(DocView(err)) == ["error"]
    assert set(CHECKS) >= {c for v in (view,) for c, _ in check(v)}


def test_malformed_records_do_not_break_the_page(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join([
        "not json",
        json.dumps({"source": "-", "mentions": "many", "references": 3, "rejected": "x"}),
        json.dumps({"source": "-", "mentions": [1, {"type": "date", "start": "a", "text": None}],
                    "references": [{"canonical": "1-NQ/TW", "count": "2", "offsets": [5]}]}),
    ]) + "\n", encoding="utf-8")
    views = load([str(f)])
    assert len(views) == 3
    page = render(views)
    assert page.count('<article class="doc"') == 3 and "<mark" not in page
    assert all(any(c == "record_invalid" for c, _ in v.failed) or any(c == "error" for c, _ in v.failed)
               for v in views)


def test_changed_source_is_reported(tmp_path):
    src = tmp_path / "fr" / "a.txt"
    src.parent.mkdir()
    src.write_text("le 3 juin 2013", encoding="utf-8")
    out = tmp_path / "a.jsonl"
    assert run_cli("extract", str(src), "-o", str(out), "--quiet").returncode == 0
    (view,) = load([str(out)])
    assert view.text == "le 3 juin 2013" and not view.failed
    src.write_text("le 4 juin 2013", encoding="utf-8")
    (view,) = load([str(out)])
    assert view.text is None and [c for c, _ in view.failed] == ["text_unavailable"]
    assert "sha256" in view.failed[0][1]
    page = render([view])
    assert "<mark" not in page and "has changed since extraction" in page


def test_error_records_are_shown(tmp_path):
    d = tmp_path / "fr"
    d.mkdir()
    (d / "a.txt").write_bytes(b"")
    out = tmp_path / "r.html"
    views = write_report([str(d)], str(out))
    assert [c for c, _ in views[0].failed] == ["error"]
    assert "empty: " in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- in a browser

CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000")


def _find_chromium():
    browser = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    return browser, driver


@pytest.fixture(scope="module")
def chromium():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service
    browser, driver = _find_chromium()
    if not browser or not driver:
        pytest.skip("no Chromium: install chromium and chromium-driver (Debian: apt-get install chromium "
                    "chromium-driver) to run the browser test")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    with tempfile.TemporaryDirectory(prefix="vnextract-chromium-") as profile:
        for a in (*CHROMIUM_ARGS, f"--user-data-dir={profile}"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        drv = webdriver.Chrome(service=Service(driver), options=opts)
        try:
            yield drv
        finally:
            drv.quit()


def test_report_in_chromium(chromium, corpus_page):
    out, recs = corpus_page
    chromium.get(out.as_uri())
    assert chromium.title == "vnextract report"
    errors = [e for e in chromium.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    assert not errors, errors
    total = sum(len(r["mentions"]) for r in recs)
    js_count = "return document.querySelectorAll('mark.m').length"
    assert chromium.execute_script(js_count) == total
    assert chromium.execute_script("return document.querySelectorAll('aside table.mentions tbody tr').length") == total
    # every mention type has a colour of its own
    colours = chromium.execute_script(
        "return Array.from(document.querySelectorAll('.legend button')).map("
        "b => getComputedStyle(b).backgroundColor)")
    assert len(colours) == 8 and len(set(colours)) == 8
    # legend: hiding a type clears its highlights, and the script ran without error
    chromium.execute_script("document.querySelector('.legend button[data-type=date]').click()")
    assert chromium.execute_script(
        "return getComputedStyle(document.querySelector('mark.t-date')).backgroundColor") == "rgba(0, 0, 0, 0)"
    chromium.execute_script("document.querySelector('.legend button[data-type=date]').click()")
    # print layout: the side table goes under the text
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert chromium.execute_script("return getComputedStyle(document.querySelector('.cols')).display") == "block"
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not [e for e in chromium.get_log("browser") if e.get("level") == "SEVERE"]
    # screenshot: the document with the most mention types among those with a failed check
    flagged = [i for i, r in enumerate(recs, 1) if r["rejected"] or any(
        m["type"] == "doc_ref" and m["canonical"] is None for m in r["mentions"])] or [1]
    pick = max(flagged, key=lambda i: (len({m["type"] for m in recs[i - 1]["mentions"]}), -i))
    chromium.execute_script(f"document.getElementById('doc-{pick}').scrollIntoView(); window.scrollBy(0, -110);")
    OUTPUT.mkdir(exist_ok=True)
    assert chromium.save_screenshot(str(OUTPUT / "report.png"))
    assert (OUTPUT / "report.png").stat().st_size > 10_000


def test_readme_lists_the_checks_and_shows_the_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CHECKS if f"| `{c}` |" not in readme]
    assert not missing, f"README.md does not list the check(s) {missing}"
    assert "![The report on the sample corpus](docs/report.png)" in readme
    assert (ROOT / "docs" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
