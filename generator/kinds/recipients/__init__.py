"""kind: recipients — a benefit list with masked columns and a 公示期 (救灾, 优抚, 危房改造对象, 征地补偿 …)."""
from __future__ import annotations

from .checks import list_spec, read as _read
from .model import RecipientList
from .views import RecipientViews as Views

def declaration_problems(data, schema, tables) -> list:
    """Column names in `recipients:` that the list does not declare."""
    options = data.get("recipients") or {}
    out = []
    spec = next((t for t in tables if t.field == options.get("field")), None) if options.get("field") else \
        (tables[0] if tables else None)
    if options.get("field") and spec is None:
        out.append((("recipients", "field"), f"名单字段 {options['field']} 不是本分类声明的表格", options["field"],
                    "、".join(t.field for t in tables), "写 _schema.yml 中名单表格的字段名"))
    if spec is None:
        return out
    columns = {c.key: c for c in spec.columns}
    listing = "、".join(f"{c.key}（{c.title}）" for c in spec.columns)

    def column(path, name, numeric=False):
        if name not in columns:
            out.append((path, f"名单中没有 {name} 这一列", name, "名单的列：" + listing, "写名单表格中的列名（英文字段名）"))
        elif numeric and not columns[name].numeric:
            out.append((path, f"{columns[name].title}（{name}）不是数字列", name,
                        "type: number 或 integer 的列", "标准只能核对数字列"))

    if options.get("village"):
        column(("recipients", "village"), options["village"])
    standard = options.get("standard")
    if standard:
        column(("recipients", "standard", "amount"), standard.get("amount"), numeric=True)
        if standard.get("per"):
            column(("recipients", "standard", "per"), standard["per"], numeric=True)
        for i, limit in enumerate(standard.get("limits") or ()):
            for key in (limit.get("when") or {}):
                column(("recipients", "standard", "limits", i, "when", key), key)
    return out


def read(raw, category, published, notice, spot) -> list:
    return _read(raw, category, published, notice, spot)


__all__ = ["RecipientList", "Views", "list_spec", "declaration_problems", "read"]
