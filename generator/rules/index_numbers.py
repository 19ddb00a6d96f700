"""索引号 from the site's template: parsing, formatting and the next free number."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass


@dataclass(frozen=True)
class IndexTemplate:
    template: str

    def pattern(self) -> re.Pattern:
        out = []
        for literal, name, spec, _ in string.Formatter().parse(self.template):
            out.append(re.escape(literal))
            if name is None:
                continue
            if name == "seq":
                width = re.match(r"0?(\d+)d", spec or "")
                out.append(rf"(?P<seq>\d{{{width.group(1)},}})" if width else r"(?P<seq>\d+)")
            elif name == "year":
                out.append(r"(?P<year>\d{4})")
            else:
                out.append(rf"(?P<{name}>[^/\s]+?)")
        return re.compile("^" + "".join(out) + "$")

    def format(self, **fields) -> str:
        return self.template.format(**fields)

    def format_seq(self, seq: int) -> str:
        """The sequence number as this template prints it in a 索引号 (00003 for {seq:05d})."""
        spec = next((spec for _, name, spec, _ in string.Formatter().parse(self.template) if name == "seq"), "")
        return format(seq, spec or "")

    def parse(self, index_no: str) -> dict | None:
        match = self.pattern().match(index_no)
        if not match:
            return None
        fields = match.groupdict()
        fields["seq"] = int(fields["seq"])
        if "year" in fields:
            fields["year"] = int(fields["year"])
        return fields
