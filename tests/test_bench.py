"""The benchmark's synthetic corpus must pass `check`: a bench that stops at its own content measures nothing."""
from pathlib import Path

from generator import pipeline
from generator.synthetic import make_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_synthetic_corpus_passes_check(tmp_path):
    content = make_corpus(ROOT / "content", tmp_path / "corpus", 80)
    checked = pipeline.check(content)
    assert checked.ok, [p.message for p in checked.problems.errors[:5]]
    assert not [p for p in checked.problems if p.file.endswith(".md")], [p.message for p in checked.problems][:5]
    assert len(checked.records) == 80
