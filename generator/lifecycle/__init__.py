"""The life of a record after its first publication.

| module | responsibility |
|---|---|
| fields.py | the lifecycle front-matter fields every category knows (schemas/lifecycle.schema.yml) -> model.Lifecycle |
| links.py | checks across records: 替代 (superseded_by) and 修改 (amends) by 索引号, and what each page links to |
| manifest.py | the manifest of published records (content/_published.json): no silent loss, corrections need a note |

Validity (有效 / 失效 / 废止 / 已修改) itself is compliance's consistency check (compliance/consistency.py): a
废止 document without its date is refused there.
"""
