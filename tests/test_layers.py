"""The build's modules import in one direction: environment at the bottom, stages above it, the engine
adapter (site.py, shards.py) at the edge, pipeline.py on top. A stage that imports the adapter would tie it
to MkDocs again (and brought back the import circle render -> beside -> site -> search -> render)."""
import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
ENGINE = {"site", "shards"}
STAGES = {"render", "search", "searchpurge", "searchchunks", "chunkpages", "pagefind_files", "stamp", "beside", "checkcache", "workspace", "environment"}


def local_imports(module: str) -> set[str]:
    tree = ast.parse((GENERATOR / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
            found.update(alias.name for alias in node.names if node.module is None)
    return found


def test_stages_never_import_the_engine_adapter():
    for stage in sorted(STAGES):
        assert not local_imports(stage) & ENGINE, stage


def test_environment_is_the_bottom_layer():
    assert not local_imports("environment")


def test_no_import_circle_among_the_build_modules():
    modules = STAGES | ENGINE | {"pipeline"}
    graph = {m: local_imports(m) & modules for m in modules}

    def reaches(start, target, seen=()):
        return any(d == target or (d not in seen and reaches(d, target, (*seen, d))) for d in graph[start])

    assert not [m for m in modules if reaches(m, m)]
