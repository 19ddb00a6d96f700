from tests.golden import GOLDEN, markdown_files, render_mini


def test_generated_markdown_matches_golden_files(tmp_path):
    render_mini(tmp_path / "docs")
    got, want = markdown_files(tmp_path / "docs"), markdown_files(GOLDEN)
    assert sorted(got) == sorted(want), "pages added or removed: run `make golden` and review the diff"
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs from its golden file: run `make golden` and review the diff"


def test_a_render_looks_at_each_template_file_once_or_twice(tmp_path, monkeypatch):
    """Jinja's auto_reload looked at a template's time on disk every time a page imported or included it: 71,000
    calls a render of 10,000 records. One environment serves one render: a template is looked at when it is
    loaded, and once more when the render reads it to learn whether it reads the catalogue (reads_catalogue)."""
    import os.path

    from generator.render import TEMPLATES
    looked: dict[str, int] = {}
    usual = os.path.getmtime

    def getmtime(path):
        if str(path).startswith(str(TEMPLATES)):
            looked[str(path)] = looked.get(str(path), 0) + 1
        return usual(path)
    monkeypatch.setattr(os.path, "getmtime", getmtime)
    render_mini(tmp_path / "docs")
    assert looked, "the render loads its templates from the theme's folder"
    assert max(looked.values()) <= 2, sorted(looked.items(), key=lambda item: -item[1])[:3]
