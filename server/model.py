"""The data every part of perflint passes around: levels, findings, fixes.

Plain frozen dataclasses with no libcst import, so cached results can be
loaded and reported without paying for the parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Optional


class Level(IntEnum):
    """The optimization level: the order in which a performance engineer works."""

    ERROR = 0
    ALGORITHM = 1
    DATABASE = 2
    CACHING = 3
    IO = 4
    INFRASTRUCTURE = 5

    @property
    def category(self) -> str:
        return _CATEGORY[self]

    @classmethod
    def parse(cls, text: str | int) -> "Level":
        """Accept ``1``, ``"1"``, ``"algorithm"`` or ``"L1"``; raise ValueError otherwise."""
        if isinstance(text, bool):
            raise ValueError(f"not a level: {text!r}")
        if isinstance(text, int):
            value = text
        else:
            token = str(text).strip().lower()
            by_name = {name: level for level, name in _CATEGORY.items()}
            if token in by_name and by_name[token] is not cls.ERROR:
                return by_name[token]
            token = token[1:] if token.startswith("l") else token
            if not token.isdigit():
                raise ValueError(f"not a level: {text!r}")
            value = int(token)
        if not 1 <= value <= 5:
            raise ValueError(f"not a level: {text!r} (levels are 1-5)")
        return cls(value)


_CATEGORY = {
    Level.ERROR: "error",
    Level.ALGORITHM: "algorithm",
    Level.DATABASE: "database",
    Level.CACHING: "caching",
    Level.IO: "io",
    Level.INFRASTRUCTURE: "infrastructure",
}


@dataclass(frozen=True)
class SizeEvidence:
    """Why the data of a finding's loops may be big. ``sure`` when the data comes from outside
    the program (a query result, a file, a stream, a response body, files on disk): its size is
    the world's; a parameter's size is only the caller's, often a handful of names or options."""

    reason: str  # in words: "in a loop over a query result"
    sure: bool


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (1-based lines and columns, end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str
    # In a notebook: the 1-based number of the cell the positions are relative to.
    cell: Optional[int] = None

    def to_dict(self) -> dict:
        data = {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "content": self.content,
        }
        if self.cell is not None:
            data["cell"] = self.cell
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Edit":
        return cls(data["line"], data["column"], data["end_line"], data["end_column"], data["content"], data.get("cell"))


SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True)
class Fix:
    """A rewrite offered for one finding: text edits plus how far to trust them."""

    message: str
    applicability: str  # SAFE or UNSAFE
    edits: tuple[Edit, ...]
    # False for a fix announced without its edits (a lint that did not ask for them: the text
    # report, the language server's diagnostics); ``engine.fix_of`` computes them on demand.
    complete: bool = True

    @property
    def is_safe(self) -> bool:
        return self.applicability == SAFE

    def to_dict(self) -> dict:
        data = {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [edit.to_dict() for edit in self.edits],
        }
        if not self.complete:
            data["complete"] = False
        return data

    @classmethod
    def from_dict(cls, data: Optional[dict]) -> Optional["Fix"]:
        if data is None:
            return None
        return cls(
            data["message"],
            data["applicability"],
            tuple(Edit.from_dict(e) for e in data["edits"]),
            data.get("complete", True) is not False,
        )


@dataclass(frozen=True)
class Finding:
    """One reported problem. ``rank`` is filled in once the whole run is ranked."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    level: int
    message: str
    impact: float = 0.0
    fix: Optional[Fix] = None
    rank: int = 0
    # A hash of the flagged code's text: lets baselines survive line shifts.
    fingerprint: str = ""
    # Details for reports that want them (enclosing function, loop depth...).
    context: dict = field(default_factory=dict, compare=False, hash=False)
    # In a notebook (``.ipynb``): the 1-based number of the cell, counting every cell;
    # ``line`` and ``end_line`` are then relative to that cell.
    cell: Optional[int] = None

    @property
    def category(self) -> str:
        return Level(self.level).category

    @property
    def micro(self) -> bool:
        """Found by a rule of the opt-in ``micro`` group (a constant-factor idiom)."""
        return bool(self.context.get("micro"))

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "level": self.level,
            "category": self.category,
            "message": self.message,
            "rank": self.rank,
            "impact": self.impact,
            "fix": self.fix.to_dict() if self.fix else None,
            **({"cell": self.cell} if self.cell is not None else {}),
        }

    @property
    def where(self) -> str:
        """``line:column``, or ``cell N:line:column`` in a notebook (ruff's notation)."""
        position = f"{self.line}:{self.column}"
        return position if self.cell is None else f"cell {self.cell}:{position}"

    def to_cache(self) -> dict:
        data = self.to_dict()
        data["fingerprint"] = self.fingerprint
        data["context"] = self.context
        del data["category"], data["rank"]
        return data

    @classmethod
    def from_cache(cls, data: dict, path: str) -> "Finding":
        return cls(
            path=path,
            line=data["line"],
            column=data["column"],
            end_line=data["end_line"],
            end_column=data["end_column"],
            code=data["code"],
            rule=data["rule"],
            level=data["level"],
            message=data["message"],
            impact=data["impact"],
            fix=Fix.from_dict(data["fix"]),
            fingerprint=data.get("fingerprint", ""),
            context=data.get("context", {}),
            cell=data.get("cell"),
        )


PARSE_ERROR_CODE = "PF000"
PARSE_ERROR_RULE = "parse-error"


def parse_error(path: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """The PF000 finding for a file that cannot be read, decoded or parsed."""
    return Finding(
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
        code=PARSE_ERROR_CODE,
        rule=PARSE_ERROR_RULE,
        level=int(Level.ERROR),
        message=message,
        impact=0.0,
    )
