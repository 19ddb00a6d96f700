from tests.golden import GOLDEN, markdown_files, render_mini


def test_generated_markdown_matches_golden_files(tmp_path):
    render_mini(tmp_path / "docs")
    got, want = markdown_files(tmp_path / "docs"), markdown_files(GOLDEN)
    assert sorted(got) == sorted(want), "pages added or removed: run `make golden` and review the diff"
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs from its golden file: run `make golden` and review the diff"
