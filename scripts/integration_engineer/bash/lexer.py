"""Bash words and tokens, with quoting, expansions and source spans.

Bash's tokens depend on where the parser is (reserved words, here-documents, ``[[ ]]``), so the
parser drives this lexer one token at a time. A word keeps its pieces (``parts``): literal text
with a flag telling whether it was quoted, parameter expansions, command and process
substitutions (already parsed into scripts) and arithmetic expansions. Offsets are into the
string given to ``Lexer``; scripts inside backticks are parsed from their unescaped text, so their
offsets are relative to that text (``Sub.script.source``).

Standard library only, no regular expressions: this runs on every Bash call.
"""

from __future__ import annotations

from integration_engineer.bash.nodes import Arith, ArrayLit, Lit, Param, Sub, Word

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same

if TYPE_CHECKING:
    from collections.abc import Callable

    from integration_engineer.bash.nodes import HereDoc, Part, Script

__all__ = ["Arith", "ArrayLit", "Lexer", "Lit", "Param", "PendingHereDoc", "ShellSyntaxError", "Sub", "Token", "Word"]


class ShellSyntaxError(ValueError):
    """Input the parser cannot read; ``pos`` is the offset where it gave up."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(f"{message} (at offset {pos})")
        self.message = message
        self.pos = pos


class Token:
    """kind: 'word', 'op', 'redir' (``text`` is the operator, ``fd`` its number or {var}),
    'newline' or 'eof'."""

    __slots__ = ("end", "fd", "kind", "start", "text", "word")

    def __init__(
        self, kind: str, text: str, start: int, end: int, word: Word | None = None, fd: str | None = None
    ) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.word = word
        self.fd = fd

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"


class PendingHereDoc:
    """A here-document whose body starts after the next newline token."""

    __slots__ = ("delimiter", "quoted", "strip_tabs", "target")

    def __init__(self, delimiter: str, quoted: bool, strip_tabs: bool, target: HereDoc) -> None:
        self.delimiter = delimiter
        self.quoted = quoted
        self.strip_tabs = strip_tabs
        self.target = target  # the node whose body this fills


_META = frozenset(" \t\n;&|<>()")
_BLANK = frozenset(" \t")
_SPECIAL_PARAMS = frozenset("@*#?-$!0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | frozenset("0123456789")
_OPERATORS = (
    ";;&",
    ";;",
    ";&",
    "&&",
    "&>>",
    "&>",
    "&",
    "||",
    "|&",
    "|",
    "<<<",
    "<<-",
    "<<",
    "<>",
    "<&",
    "<",
    ">>",
    ">|",
    ">&",
    ">",
    "((",
    "(",
    ")",
    ";",
)
_REDIRECTS = frozenset({"&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", "<", ">>", ">|", ">&", ">"})
_PARAM_OPS = (
    ":-",
    ":=",
    ":+",
    ":?",
    "-",
    "=",
    "+",
    "?",
    "##",
    "#",
    "%%",
    "%",
    "//",
    "/#",
    "/%",
    "/",
    "^^",
    "^",
    ",,",
    ",",
    "~~",
    "~",
    "@",
    ":",
)
_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}

# Scanning modes.
WORD, DQ, BRACE, HEREDOC, ARITH = 0, 1, 2, 3, 4


def add_lit(parts: list[Part], text: str, quoted: bool) -> None:
    """Append literal text, merging with the previous literal of the same kind."""
    if not text:
        return
    if parts:
        last = parts[-1]
        if isinstance(last, Lit) and last.quoted == quoted:
            last.text += text
            return
    parts.append(Lit(text, quoted))


class Lexer:
    """Tokens of ``src`` on demand. ``parse_sub(lexer)`` parses a ``$( ... )`` body from the
    lexer's position up to and including its ``)``; ``parse_text(text)`` parses backtick bodies."""

    def __init__(self, src: str, parse_sub: Callable[[Lexer], Script], parse_text: Callable[[str], Script]) -> None:
        self.src = src
        self.n = len(src)
        self.pos = 0
        self.tok: Token | None = None
        self.pending: list[PendingHereDoc] = []
        self.target = False  # the next word is a redirection target: digits are not an fd
        self.parse_sub = parse_sub
        self.parse_text = parse_text

    # -- tokens -----------------------------------------------------------------------------
    def peek(self) -> Token:
        if self.tok is None:
            self.tok = self._lex()
        return self.tok

    def next(self) -> Token:
        tok = self.peek()
        self.tok = None
        return tok

    def skip_blanks(self) -> None:
        src, n, pos = self.src, self.n, self.pos
        while pos < n:
            c = src[pos]
            if c in _BLANK:
                pos += 1
            elif c == "\\" and pos + 1 < n and src[pos + 1] == "\n":
                pos += 2
            else:
                break
        self.pos = pos

    def _lex(self) -> Token:
        self.skip_blanks()
        src, pos = self.src, self.pos
        if pos < self.n and src[pos] == "#":
            end = src.find("\n", pos)
            self.pos = pos = self.n if end < 0 else end
        if pos >= self.n:
            return Token("eof", "", pos, pos)
        c = src[pos]
        if c == "\n":
            self.pos = pos + 1
            self.read_heredocs()
            return Token("newline", "\n", pos, pos + 1)
        if c in "<>" and src.startswith("(", pos + 1):
            return self._word_token()
        if c in ";&|<>()":
            return self._operator(pos, None)
        return self._word_token()

    def _operator(self, start: int, fd: str | None) -> Token:
        src, pos = self.src, self.pos
        for op in _OPERATORS:
            if src.startswith(op, pos):
                self.pos = pos + len(op)
                kind = "redir" if op in _REDIRECTS else "op"
                return Token(kind, op, start, self.pos, fd=fd)
        raise ShellSyntaxError(f"unexpected character {src[pos]!r}", pos)  # pragma: no cover

    def _word_token(self) -> Token:
        start = self.pos
        word = self.read_word()
        pos = self.pos
        if self.target:
            self.target = False
        elif pos < self.n and self.src[pos] in "<>" and not self.src.startswith("(", pos + 1):
            raw = word.raw
            if raw.isdigit() or (len(raw) > 2 and raw[0] == "{" and raw[-1] == "}" and _is_name(raw[1:-1])):
                return self._operator(start, raw)
        return Token("word", word.raw, start, pos, word=word)

    # -- words ------------------------------------------------------------------------------
    def read_word(self) -> Word:
        """One word from the current position (which must not be at a blank or operator)."""
        start = self.pos
        src = self.src
        if src[start] in "<>" and src.startswith("(", start + 1):
            parts: list[Part] = [self._process_sub(start)]
            more, self.pos = self.scan(self.pos, WORD)
            parts.extend(more)
        else:
            parts, self.pos = self.scan(start, WORD)
        if self.pos == start:
            raise ShellSyntaxError(f"unexpected character {src[start]!r}", start)
        return Word(start, self.pos, src[start : self.pos], parts)

    def _process_sub(self, start: int) -> Sub:
        kind = self.src[start : start + 2]
        self.pos = start + 2
        script = self.parse_sub(self)
        return Sub(kind, script, start, self.pos, False)

    def scan(self, pos: int, mode: int, limit: int = -1, quoted: bool = False) -> tuple[list[Part], int]:
        """Parts from ``pos`` until the end of the construct ``mode`` reads; returns the parts and
        the position after it (after the closing quote or brace for DQ and BRACE)."""
        src = self.src
        end = self.n if limit < 0 else limit
        parts: list[Part] = []
        in_q = quoted or mode in (DQ, HEREDOC)
        depth = 0
        lit_start = pos
        while pos < end:
            c = src[pos]
            if mode == WORD and c in _META:
                if c in "<>" and src.startswith("(", pos + 1):  # a<(cmd) is one word
                    add_lit(parts, src[lit_start:pos], False)
                    parts.append(self._process_sub(pos))
                    pos = lit_start = self.pos
                    continue
                if c == "(" and self._array_start(parts, lit_start, pos):
                    add_lit(parts, src[lit_start:pos], False)
                    parts.append(self._array(pos))
                    pos = lit_start = self.pos
                    continue
                break
            if mode == DQ and c == '"':
                add_lit(parts, src[lit_start:pos], True)
                return parts, pos + 1
            if mode == BRACE:
                if c == "}" and depth == 0:
                    add_lit(parts, src[lit_start:pos], in_q)
                    return parts, pos + 1
                depth += 1 if c == "{" else -1 if c == "}" else 0
            if mode == ARITH:
                if c == ")" and depth == 0:
                    add_lit(parts, src[lit_start:pos], True)
                    if src.startswith(")", pos + 1):
                        return parts, pos + 2
                    raise ShellSyntaxError("arithmetic expansion not closed by '))'", pos)
                depth += 1 if c == "(" else -1 if c == ")" else 0
            if c not in "\\'\"$`@!+*?":
                pos += 1
                continue
            add_lit(parts, src[lit_start:pos], in_q and mode != ARITH)
            pos = self._special(parts, pos, mode, in_q, end)
            lit_start = pos
        if mode in (DQ, BRACE):
            raise ShellSyntaxError("unterminated " + ('"' if mode == DQ else "${"), pos)
        if mode == ARITH and limit < 0:
            raise ShellSyntaxError("unterminated $((", pos)
        add_lit(parts, src[lit_start:pos], in_q and mode != ARITH)
        return parts, pos

    def _special(self, parts: list[Part], pos: int, mode: int, in_q: bool, end: int) -> int:
        """Read the quoting or expansion construct at ``pos``; returns the position after it."""
        src = self.src
        c = src[pos]
        nxt = src[pos + 1] if pos + 1 < end else ""
        if c == "\\":
            return self._backslash(parts, pos, mode, in_q, nxt)
        if c == "'":
            if in_q or mode == ARITH:
                add_lit(parts, c, in_q)
                return pos + 1
            close = src.find("'", pos + 1)
            if close < 0:
                raise ShellSyntaxError("unterminated single quote", pos)
            if close == pos + 1:
                parts.append(Lit("", True))
            add_lit(parts, src[pos + 1 : close], True)
            return close + 1
        if c == '"':
            if mode in (DQ, HEREDOC, ARITH) or (mode == BRACE and in_q):
                add_lit(parts, c, True)
                return pos + 1
            inner, after = self.scan(pos + 1, DQ)
            parts.extend(inner or [Lit("", True)])
            return after
        if c == "$":
            return self._dollar(parts, pos, mode, in_q, nxt)
        if c == "`":
            return self._backtick(parts, pos, in_q)
        # extglob: @( !( +( *( ?( are patterns, read whole (parentheses included).
        if mode == WORD and nxt == "(":
            close = self._balanced(pos + 1, "(", ")")
            add_lit(parts, src[pos:close], False)
            return close
        add_lit(parts, c, in_q and mode != ARITH)
        return pos + 1

    def _backslash(self, parts: list[Part], pos: int, mode: int, in_q: bool, nxt: str) -> int:
        if nxt == "\n":
            return pos + 2  # line continuation: removed everywhere but single quotes
        if not nxt:
            add_lit(parts, "\\", in_q)
            return pos + 1
        if mode in (DQ, HEREDOC, ARITH) or (mode == BRACE and in_q):
            keep = '$`"\\' if mode in (DQ, BRACE) else "$`\\"
            if nxt in keep:
                add_lit(parts, nxt, True)
            else:
                add_lit(parts, "\\" + nxt, True)
            return pos + 2
        add_lit(parts, nxt, True)
        return pos + 2

    def _balanced(self, pos: int, open_c: str, close_c: str) -> int:
        """Position after the ``close_c`` matching the ``open_c`` at ``pos`` (quotes respected)."""
        src, depth = self.src, 0
        while pos < self.n:
            c = src[pos]
            if c == "\\":
                pos += 2
                continue
            if c == "'":
                close = src.find("'", pos + 1)
                if close < 0:
                    raise ShellSyntaxError("unterminated single quote", pos)
                pos = close + 1
                continue
            if c == open_c:
                depth += 1
            elif c == close_c:
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
        raise ShellSyntaxError(f"unterminated {open_c}", pos)

    def _array_start(self, parts: list[Part], lit_start: int, pos: int) -> bool:
        """``name=(`` or ``name+=(`` with nothing quoted before: an array assignment."""
        if any(not isinstance(p, Lit) or p.quoted for p in parts):
            return False
        text = "".join(p.text for p in parts if isinstance(p, Lit)) + self.src[lit_start:pos]
        if not text.endswith("="):
            return False
        name = text[:-2] if text.endswith("+=") else text[:-1]
        return _is_name(name)

    def _array(self, pos: int) -> ArrayLit:
        self.pos = pos + 1
        words: list[Word] = []
        while True:
            self.skip_blanks()
            src, p = self.src, self.pos
            if p >= self.n:
                raise ShellSyntaxError("unterminated array assignment", pos)
            if src[p] == "\n":
                self.pos = p + 1
                continue
            if src[p] == "#":
                end = src.find("\n", p)
                self.pos = self.n if end < 0 else end
                continue
            if src[p] == ")":
                self.pos = p + 1
                return ArrayLit(words)
            words.append(self.read_word())

    # -- expansions -------------------------------------------------------------------------
    def _dollar(self, parts: list[Part], pos: int, mode: int, in_q: bool, nxt: str) -> int:
        src = self.src
        if nxt == "'" and not in_q and mode != ARITH:
            return self._ansi_c(parts, pos + 2)
        if nxt == '"' and not in_q and mode != ARITH:
            inner, after = self.scan(pos + 2, DQ)
            parts.extend(inner or [Lit("", True)])
            return after
        if nxt == "(":
            if src.startswith("((", pos + 1):
                try:
                    inner, after = self.scan(pos + 3, ARITH)
                    parts.append(Arith(inner))
                    return after
                except ShellSyntaxError:
                    pass  # ``$( (cmd) )`` written without the space: a command substitution
            self.pos = pos + 2
            script = self.parse_sub(self)
            parts.append(Sub("$(", script, pos, self.pos, in_q))
            return self.pos
        if nxt == "[":  # old-style arithmetic $[ ... ]
            close = self._balanced(pos + 1, "[", "]")
            inner, _ = self.scan(pos + 2, ARITH, limit=close - 1)
            parts.append(Arith(inner))
            return close
        if nxt == "{":
            return self._braced(parts, pos + 2, in_q)
        if nxt in _NAME_START:
            end = pos + 1
            while end < self.n and src[end] in _NAME_CHARS:
                end += 1
            parts.append(Param(src[pos + 1 : end], "", None, in_q))
            return end
        if nxt and nxt in _SPECIAL_PARAMS:
            parts.append(Param(nxt, "", None, in_q))
            return pos + 2
        add_lit(parts, "$", in_q)
        return pos + 1

    def _braced(self, parts: list[Part], pos: int, in_q: bool) -> int:
        src = self.src
        prefix = ""
        if pos < self.n and src[pos] in "#!" and pos + 1 < self.n and src[pos + 1] != "}":
            prefix = "len" if src[pos] == "#" else "!"
            pos += 1
        start = pos
        if pos < self.n and src[pos] in _NAME_START:
            while pos < self.n and src[pos] in _NAME_CHARS:
                pos += 1
        elif pos < self.n and src[pos].isdigit():
            while pos < self.n and src[pos].isdigit():
                pos += 1
        elif pos < self.n and src[pos] in _SPECIAL_PARAMS:
            pos += 1
        if pos == start:
            raise ShellSyntaxError("bad substitution", pos)
        if pos < self.n and src[pos] == "[":
            pos = self._balanced(pos, "[", "]")
        name = src[start:pos]
        if pos < self.n and src[pos] == "}":
            parts.append(Param(name, prefix, None, in_q))
            return pos + 1
        op = next((o for o in _PARAM_OPS if src.startswith(o, pos)), "")
        if not op:
            if prefix == "!" and pos < self.n and src[pos] in "*@":
                close = src.find("}", pos)
                if close > 0:
                    parts.append(Param(name, "!" + src[pos:close], None, in_q))
                    return close + 1
            raise ShellSyntaxError("bad substitution", pos)
        arg, after = self.scan(pos + len(op), BRACE, quoted=in_q)
        parts.append(Param(name, (prefix if prefix == "!" else "") + op, arg, in_q))
        return after

    def _ansi_c(self, parts: list[Part], pos: int) -> int:
        src, out = self.src, list[str]()
        while pos < self.n:
            c = src[pos]
            if c == "'":
                add_lit(parts, "".join(out), True)
                if not out:
                    parts.append(Lit("", True))
                return pos + 1
            if c == "\\" and pos + 1 < self.n:
                text, pos = _ansi_escape(src, pos + 1)
                out.append(text)
                continue
            out.append(c)
            pos += 1
        raise ShellSyntaxError("unterminated $'", pos)

    def _backtick(self, parts: list[Part], pos: int, in_q: bool) -> int:
        src, i, out = self.src, pos + 1, []
        while i < self.n:
            c = src[i]
            if c == "\\" and i + 1 < self.n:
                nxt = src[i + 1]
                out.append(nxt if nxt in "$`\\" or (in_q and nxt == '"') else c + nxt)
                i += 2
                continue
            if c == "`":
                script = self.parse_text("".join(out))
                parts.append(Sub("`", script, pos, i + 1, in_q))
                return i + 1
            out.append(c)
            i += 1
        raise ShellSyntaxError("unterminated backquote", pos)

    # -- special contexts ---------------------------------------------------------------------
    def read_heredocs(self) -> None:
        """Fill the bodies of the here-documents opened on the line that just ended."""
        pending, self.pending = self.pending, []
        for doc in pending:
            self._heredoc(doc)

    def _heredoc(self, doc: PendingHereDoc) -> None:
        src, pos, start = self.src, self.pos, self.pos
        body_end = self.n
        while pos < self.n:
            nl = src.find("\n", pos)
            line_end = self.n if nl < 0 else nl
            line = src[pos:line_end]
            if (line.lstrip("\t") if doc.strip_tabs else line) == doc.delimiter:
                body_end = pos
                self.pos = line_end + 1 if nl >= 0 else line_end
                break
            pos = line_end + 1
        else:
            self.pos = self.n
        after = self.pos
        if doc.quoted:
            body: list[Part] = [Lit(src[start:body_end], True)]
        else:
            body, _ = self.scan(start, HEREDOC, limit=body_end)
            self.pos = after
        doc.target.body = Word(start, body_end, src[start:body_end], body)

    def read_raw_until(self, closer: str) -> tuple[int, int]:
        """Span of the text up to ``closer`` (for ``(( ))`` commands), nesting parentheses."""
        src, pos, depth = self.src, self.pos, 0
        start = pos
        while pos < self.n:
            c = src[pos]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0 and src.startswith(closer, pos):
                    self.pos = pos + len(closer)
                    return start, pos
                depth -= 1
            pos += 1
        raise ShellSyntaxError(f"missing {closer!r}", start)

    def arith_word(self, start: int, end: int) -> Word:
        after = self.pos  # substitutions inside move the position; the text was already read
        parts, _ = self.scan(start, ARITH, limit=end) if start < end else ([], start)
        self.pos = after
        return Word(start, end, self.src[start:end], [Arith(parts)])

    def read_cond_words(self) -> list[Word]:
        """Words of ``[[ ... ]]`` up to and including ``]]``; operators become words too."""
        words: list[Word] = []
        src = self.src
        while True:
            self.skip_blanks()
            pos = self.pos
            if pos >= self.n:
                raise ShellSyntaxError("unterminated [[", pos)
            c = src[pos]
            if c == "\n":
                self.pos += 1
                continue
            if words and words[-1].raw == "=~":
                words.append(self._regex_word())
                continue
            for op in ("&&", "||", "(", ")", "<", ">", "!"):
                if src.startswith(op, pos) and (op != "!" or src[pos + 1 : pos + 2] in " \t"):
                    self.pos = pos + len(op)
                    words.append(Word(pos, self.pos, op, [Lit(op, False)]))
                    break
            else:
                word = self.read_word()
                words.append(word)
                if word.raw == "]]":
                    return words

    def _regex_word(self) -> Word:
        """The right side of ``=~``: unquoted ( ) | belong to the pattern."""
        start, depth, src = self.pos, 0, self.src
        parts: list[Part] = []
        while self.pos < self.n:
            c = src[self.pos]
            if c in " \t\n" and depth == 0:
                break
            if c in "()":
                depth += 1 if c == "(" else -1
                add_lit(parts, c, False)
                self.pos += 1
            elif c == "|" or c in "<>&;":
                add_lit(parts, c, False)
                self.pos += 1
            else:
                more, self.pos = self.scan(self.pos, WORD)
                if not more and self.pos < self.n and src[self.pos] not in " \t\n":
                    add_lit(parts, src[self.pos], False)
                    self.pos += 1
                parts.extend(more)
        return Word(start, self.pos, src[start : self.pos], parts)


def _is_name(text: str) -> bool:
    return bool(text) and text[0] in _NAME_START and all(c in _NAME_CHARS for c in text)


def _ansi_escape(src: str, pos: int) -> tuple[str, int]:
    """Decode one escape of ``$'...'`` starting after the backslash."""
    c = src[pos]
    if c in _ESCAPES:
        return _ESCAPES[c], pos + 1
    if c in "01234567":
        end = pos
        while end < pos + 3 and end < len(src) and src[end] in "01234567":
            end += 1
        return chr(int(src[pos:end], 8) & 0xFF), end
    widths = {"x": 2, "u": 4, "U": 8}
    if c in widths:
        end = pos + 1
        while end < pos + 1 + widths[c] and end < len(src) and src[end] in "0123456789abcdefABCDEF":
            end += 1
        if end == pos + 1:
            return "\\" + c, pos + 1
        code = int(src[pos + 1 : end], 16)
        return (chr(code) if code < 0x110000 else "\ufffd"), end
    if c == "c" and pos + 1 < len(src):
        return chr(ord(src[pos + 1]) & 0x1F), pos + 2
    return "\\" + c, pos + 1
