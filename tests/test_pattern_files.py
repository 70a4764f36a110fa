"""Pattern files are validated strictly: errors name the file, the record and the reason."""
import shutil

import pytest

from pipeline.patterns import PATTERNS_DIR, PatternFileError, compiled_patterns

GOOD = """family: date
lang: fr
view: fold
patterns:
  - id: date.fr.test
    type: date
    build: date
    priority: 50
    regex: '(?<year>{year4})'
    examples:
      - text: "en 2022"
        expect: [{text: "2022", fields: {value: "2022"}}]
"""


@pytest.fixture
def root(tmp_path):
    r = tmp_path / "patterns"
    shutil.copytree(PATTERNS_DIR, r)
    return r


def load(root, text):
    (root / "fr" / "zz_test.yaml").write_text(text, encoding="utf-8")
    return compiled_patterns("fr", root)


def test_a_good_file_loads(root):
    assert any(p.id == "date.fr.test" for p in load(root, GOOD))


@pytest.mark.parametrize("change, message", [
    (("priority: 50", "priority: 50\n    colour: red"), "record 'date.fr.test': colour: Extra inputs are not permitted"),
    (("(?<year>{year4})", "(?<year>{year4}"), "record 'date.fr.test': regex does not compile"),
    (("(?<year>{year4})", "(?<year>{yearz})"), "record 'date.fr.test': unknown variable {yearz}"),
    (("build: date", "build: dates"), "record 'date.fr.test': unknown build 'dates'"),
    (("view: fold", "view: folded"), "view: Input should be 'norm' or 'fold'"),
    (("type: date", "type: moment"), "record 'date.fr.test': type: Input should be"),
    (("    examples:\n      - text: \"en 2022\"\n        expect: [{text: \"2022\", fields: {value: \"2022\"}}]\n", ""),
     "record 'date.fr.test': examples: Field required"),
])
def test_bad_files_fail_loudly_naming_file_and_record(root, change, message):
    with pytest.raises(PatternFileError) as e:
        load(root, GOOD.replace(*change))
    assert "zz_test.yaml" in str(e.value)
    assert message in str(e.value)


def test_a_lexicon_entry_read_as_a_boolean_is_caught(root):
    lex = root / "fr" / "lexicon.yaml"
    lex.write_text(lex.read_text(encoding="utf-8").replace('"on"', "on"), encoding="utf-8")
    with pytest.raises(PatternFileError, match="lexicon.yaml: lists.unit_stop"):
        compiled_patterns("fr", root)


def test_unknown_language_lists_the_choices():
    with pytest.raises(ValueError, match="choose one of en, fr, vi"):
        compiled_patterns("de")
