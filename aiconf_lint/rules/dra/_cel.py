"""A small, dependency-free parser for the CEL that DRA selectors use.

It follows the cel-spec grammar (ternary, `||`, `&&`, relations with `in`, arithmetic, unary
`!`/`-`, member/index/call chains, list/map literals, all literal forms with raw/bytes/triple
quotes) and builds a tiny AST that `aiconf_lint.rules.dra._cel_checks` reads: the result type of the
top-level expression and which device attributes are read without an existence guard.

cel-python (the optional `cel` extra) is a second opinion in the tests only: findings never
depend on what else is installed (see DRA005's docs).
"""

from __future__ import annotations

import re

from aiconf_lint.records import record

MAX_DEPTH = 64
"""Deeper nesting than any real selector; keeps hostile input from exhausting the stack."""


class CelSyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@record(frozen=True)
class Token:
    kind: str  # ident, int, uint, double, string, bytes, op, eof
    text: str
    offset: int
    value: object = None


_RESERVED = frozenset(
    [
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ]
)
_OPERATORS = (
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "<",
    ">",
    "!",
    "+",
    "-",
    "*",
    "/",
    "%",
    "?",
    ":",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
)
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+[uU]?|(?:\d*\.\d+|\d+)(?:[eE][+-]?\d+)?[uU]?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING_PREFIX = re.compile(r"(?:[rR][bB]?|[bB][rR]?)?(?='|\")")


def _read_string(text: str, start: int) -> tuple[Token, int]:
    prefix = _STRING_PREFIX.match(text, start)
    assert prefix is not None
    flags = prefix.group(0).lower()
    pos = prefix.end()
    quote = text[pos : pos + 3] if text[pos : pos + 3] in ("'''", '"""') else text[pos]
    pos += len(quote)
    chars: list[str] = []
    while True:
        if pos >= len(text):
            raise CelSyntaxError("unterminated string literal", start)
        if text.startswith(quote, pos):
            pos += len(quote)
            break
        char = text[pos]
        if char == "\n" and len(quote) == 1:
            raise CelSyntaxError("unterminated string literal (newline in string)", start)
        if char == "\\" and "r" not in flags:
            if pos + 1 >= len(text):
                raise CelSyntaxError("unterminated string literal", start)
            chars.append(text[pos : pos + 2])
            pos += 2
            continue
        chars.append(char)
        pos += 1
    kind = "bytes" if "b" in flags else "string"
    raw = "".join(chars)
    return Token(kind, text[start:pos], start, raw), pos


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if text.startswith("//", pos):
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
            continue
        if _STRING_PREFIX.match(text, pos) and (char in "'\"" or char in "rRbB"):
            token, pos = _read_string(text, pos)
            tokens.append(token)
            continue
        number = _NUMBER.match(text, pos)
        if number and (char.isdigit() or (char == "." and number.end() > pos + 1)):
            literal = number.group(0)
            if literal[-1] in "uU":
                kind = "uint"
            elif literal.startswith(("0x", "0X")):
                kind = "int"
            else:
                kind = "double" if any(c in literal for c in ".eE") else "int"
            tokens.append(Token(kind, literal, pos))
            pos = number.end()
            continue
        ident = _IDENT.match(text, pos)
        if ident:
            tokens.append(Token("ident", ident.group(0), pos))
            pos = ident.end()
            continue
        for op in _OPERATORS:
            if text.startswith(op, pos):
                tokens.append(Token("op", op, pos))
                pos += len(op)
                break
        else:
            raise CelSyntaxError(f"unexpected character `{char}`", pos)
    tokens.append(Token("eof", "", len(text)))
    return tokens


@record(frozen=True)
class Node:
    """One AST node. `kind`: lit, ident, select, index, optional (`.?x`, `[?x]`), call, unary,
    binary, cond, list, map, struct."""

    kind: str
    value: str = ""
    """Literal type (lit), identifier (ident), field (select), function (call), operator."""
    args: tuple[Node, ...] = ()
    """Operands; for select/index/a method call the first one is the target."""
    text: object = None
    """A string literal's content."""
    method: bool = False


_RELATIONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def accept(self, text: str) -> bool:
        if self.tok.kind == "op" and self.tok.text == text:
            self.pos += 1
            return True
        if self.tok.kind == "ident" and text == "in" and self.tok.text == "in":
            self.pos += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            found = f"`{self.tok.text}`" if self.tok.text else "the end"
            raise CelSyntaxError(f"expected `{text}` but found {found}", self.tok.offset)

    def parse(self) -> Node:
        node = self.expr()
        if self.tok.kind != "eof":
            raise CelSyntaxError(f"unexpected `{self.tok.text}`", self.tok.offset)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CelSyntaxError("expression nests too deeply", self.tok.offset)
        cond = self.binary(0)
        if self.accept("?"):
            then = self.binary(0)
            self.expect(":")
            other = self.expr()
            cond = Node("cond", "?:", (cond, then, other))
        self.depth -= 1
        return cond

    _LEVELS: tuple[frozenset[str], ...] = (
        frozenset({"||"}),
        frozenset({"&&"}),
        _RELATIONS | {"in"},
        frozenset({"+", "-"}),
        frozenset({"*", "/", "%"}),
    )

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        ops = self._LEVELS[level]
        while (self.tok.kind == "op" and self.tok.text in ops) or (
            "in" in ops and self.tok.kind == "ident" and self.tok.text == "in"
        ):
            op = self.tok.text
            self.pos += 1
            node = Node("binary", op, (node, self.binary(level + 1)))
        return node

    def unary(self) -> Node:
        ops: list[str] = []
        while self.tok.kind == "op" and self.tok.text in ("!", "-"):
            ops.append(self.tok.text)
            self.pos += 1
        node = self.member()
        for op in reversed(ops):
            node = Node("unary", op, (node,))
        return node

    def member(self) -> Node:
        node = self.primary()
        while True:
            if self.accept("."):
                optional = self.accept("?")  # `a.?b`, CEL optional syntax
                name = self.ident()
                if optional:
                    node = Node("optional", name, (node,))
                elif self.accept("("):
                    node = Node("call", name, (node, *self.expr_list(")")), method=True)
                else:
                    node = Node("select", name, (node,))
            elif self.accept("["):
                optional = self.accept("?")  # `a[?b]`, CEL optional syntax
                index = self.expr()
                self.expect("]")
                node = Node("optional" if optional else "index", "[]", (node, index))
            elif (
                self.tok.kind == "op" and self.tok.text == "{" and node.kind in ("ident", "select")
            ):
                self.pos += 1
                fields = self.field_inits()
                node = Node("struct", "", (node, *fields))
            else:
                return node

    def ident(self) -> str:
        tok = self.tok
        if tok.kind != "ident":
            found = f"`{tok.text}`" if tok.text else "the end"
            raise CelSyntaxError(f"expected a name but found {found}", tok.offset)
        if tok.text in _RESERVED:
            raise CelSyntaxError(f"`{tok.text}` is a reserved word", tok.offset)
        self.pos += 1
        return tok.text

    def expr_list(self, close: str) -> list[Node]:
        items: list[Node] = []
        if self.accept(close):
            return items
        while True:
            items.append(self.expr())
            if self.accept(close):
                return items
            self.expect(",")
            if self.accept(close):  # trailing comma
                return items

    def field_inits(self) -> list[Node]:
        items: list[Node] = []
        while not self.accept("}"):
            self.ident()
            self.expect(":")
            items.append(self.expr())
            if not self.accept(","):
                self.expect("}")
                break
        return items

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind in ("int", "uint", "double", "string", "bytes"):
            self.pos += 1
            return Node("lit", tok.kind, text=tok.value)
        if tok.kind == "ident" and tok.text in ("true", "false", "null"):
            self.pos += 1
            return Node("lit", "bool" if tok.text != "null" else "null", text=tok.text)
        if tok.kind == "ident" or (tok.kind == "op" and tok.text == "."):
            self.accept(".")
            name = self.ident()
            if self.accept("("):
                return Node("call", name, tuple(self.expr_list(")")))
            return Node("ident", name)
        if self.accept("("):
            node = self.expr()
            self.expect(")")
            return node
        if self.accept("["):
            return Node("list", "", tuple(self.expr_list("]")))
        if self.accept("{"):
            entries: list[Node] = []
            while not self.accept("}"):
                entries.append(self.expr())
                self.expect(":")
                entries.append(self.expr())
                if not self.accept(","):
                    self.expect("}")
                    break
            return Node("map", "", tuple(entries))
        found = f"`{tok.text}`" if tok.text else "end of expression"
        raise CelSyntaxError(f"unexpected {found}", tok.offset)


def parse(text: str) -> Node:
    """The AST of `text`, or `CelSyntaxError` with the offset of the problem."""
    return _Parser(tokenize(text)).parse()
