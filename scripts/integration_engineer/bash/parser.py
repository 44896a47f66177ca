"""A bash parser of our own: ``parse(source) -> Script`` and ``iter_commands(script)``.

Covers what agents type: lists and pipelines (``;`` ``&&`` ``||`` ``|`` ``|&`` ``&``), ``!``,
``time``, ``coproc``, subshells, groups, if/while/until/for/select/case, ``(( ))``, ``[[ ]]``,
function definitions, redirections anywhere in a command, here-documents and here-strings, and
every kind of quoting and expansion (see ``lexer``). What it cannot read raises
``ShellSyntaxError`` with the offset.

API used by the policies:

- ``Word``: ``start``/``end`` (offsets into the source), ``raw``, ``value`` (after quote
  removal, None when an expansion makes it unknown), ``has_expansion``, ``has_glob``, ``parts``.
- ``SimpleCommand``: ``assignments``, ``words`` (argv), ``redirects`` (``Redirect``: ``op``,
  ``target`` word, ``fd``, ``heredoc``), ``start``/``end``, ``pipeline`` and ``index`` in it.
- ``iter_commands(node)`` yields every simple command at any depth, in execution order
  (substitutions before the command whose words contain them); ``walk(node)`` yields
  ``(command, via)`` where ``via`` names the constructs it sits in ("$(...)", "function f", ...).
"""

from __future__ import annotations

from integration_engineer.bash.lexer import Lexer, PendingHereDoc, ShellSyntaxError, Token
from integration_engineer.bash.nodes import (
    AndOr,
    ArithCommand,
    ArrayLit,
    Case,
    CommandList,
    Compound,
    CondCommand,
    Coproc,
    For,
    FunctionDef,
    Group,
    HereDoc,
    If,
    Lit,
    Loop,
    Pipeline,
    Redirect,
    Script,
    SimpleCommand,
    Sub,
    Subshell,
    Word,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (hot path); mypy treats it the same

if TYPE_CHECKING:
    from integration_engineer.bash.nodes import Node

__all__ = [
    "AndOr",
    "ArithCommand",
    "Case",
    "CommandList",
    "CondCommand",
    "Coproc",
    "For",
    "FunctionDef",
    "Group",
    "HereDoc",
    "If",
    "Loop",
    "Pipeline",
    "Redirect",
    "Script",
    "ShellSyntaxError",
    "SimpleCommand",
    "Subshell",
    "Word",
    "parse",
]

_CLOSERS = frozenset({"then", "elif", "else", "fi", "do", "done", "esac", "}"})
_STOP_OPS = frozenset({")", ";;", ";&", ";;&"})
_MAX_DEPTH = 50  # nesting of substitutions and compound commands


def parse(source: str) -> Script:
    """Parse a bash command string; ShellSyntaxError (with ``pos``) when it is not valid bash."""
    return _Parser(source).script()


def _is_reserved(tok: Token, names: frozenset[str] | str) -> bool:
    """A reserved word is an unquoted literal word in command position."""
    if tok.kind != "word" or tok.word is None:
        return False
    parts = tok.word.parts
    return (
        len(parts) == 1
        and isinstance(parts[0], Lit)
        and not parts[0].quoted
        and (parts[0].text == names if isinstance(names, str) else parts[0].text in names)
    )


class _Parser:
    def __init__(self, source: str, depth: int = 0) -> None:
        self.source = source
        self.depth = depth
        self.lx = Lexer(source, self._sub, self._text)

    # callbacks for the lexer ------------------------------------------------------------
    def _sub(self, lexer: Lexer) -> Script:
        """Parse ``$( ... )`` / ``<( ... )`` from the lexer's position through the ``)``."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ShellSyntaxError("nesting too deep", lexer.pos)
        saved = lexer.tok
        lexer.tok = None
        body = self.list_()
        close = lexer.next()
        if close.kind != "op" or close.text != ")":
            raise ShellSyntaxError("expected ')' to close a substitution", close.start)
        lexer.tok = saved
        self.depth -= 1
        return Script(body, self.source)

    def _text(self, text: str) -> Script:
        if self.depth + 1 > _MAX_DEPTH:
            raise ShellSyntaxError("nesting too deep", self.lx.pos)
        return _Parser(text, self.depth + 1).script()

    # grammar ------------------------------------------------------------------------------
    def script(self) -> Script:
        body = self.list_()
        tok = self.lx.peek()
        if tok.kind != "eof":
            raise ShellSyntaxError(f"unexpected {tok.text!r}", tok.start)
        self.lx.read_heredocs()
        return Script(body, self.source)

    def skip_newlines(self) -> None:
        while self.lx.peek().kind == "newline":
            self.lx.next()

    def list_(self) -> CommandList:
        items: list[AndOr] = []
        seps: list[str] = []
        self.skip_newlines()
        while True:
            tok = self.lx.peek()
            if tok.kind == "eof" or (tok.kind == "op" and tok.text in _STOP_OPS):
                break
            if _is_reserved(tok, _CLOSERS):
                break
            items.append(self.and_or())
            tok = self.lx.peek()
            if tok.kind == "newline" or (tok.kind == "op" and tok.text in (";", "&")):
                self.lx.next()
                seps.append(tok.text)
                self.skip_newlines()
                continue
            break
        return CommandList(items, seps)

    def and_or(self) -> AndOr:
        pipelines = [self.pipeline()]
        ops: list[str] = []
        while self.lx.peek().kind == "op" and self.lx.peek().text in ("&&", "||"):
            ops.append(self.lx.next().text)
            self.skip_newlines()
            pipelines.append(self.pipeline())
        return AndOr(pipelines, ops)

    def pipeline(self) -> Pipeline:
        start = self.lx.peek().start
        timed = negated = False
        while True:
            tok = self.lx.peek()
            if _is_reserved(tok, "time") and not timed:
                timed = True
                self.lx.next()
                nxt = self.lx.peek()
                if nxt.kind == "word" and nxt.word is not None and nxt.word.value in ("-p", "--"):
                    self.lx.next()
            elif _is_reserved(tok, "!"):
                negated = not negated
                self.lx.next()
            else:
                break
        nxt = self.lx.peek()
        if negated and (nxt.kind in ("eof", "newline") or (nxt.kind == "op" and nxt.text in (";", "&", ")"))):
            return Pipeline([], [], negated, timed, start, self.lx.pos)  # a bare "!"
        commands: list[Node] = [self.command()]
        ops: list[str] = []
        while self.lx.peek().kind == "op" and self.lx.peek().text in ("|", "|&"):
            ops.append(self.lx.next().text)
            self.skip_newlines()
            commands.append(self.command())
        node = Pipeline(commands, ops, negated, timed, start, self.lx.pos)
        for i, cmd in enumerate(commands):
            if isinstance(cmd, SimpleCommand):
                cmd.pipeline, cmd.index = node, i
        return node

    def command(self) -> Node:
        self.depth += 1
        try:
            return self._command()
        finally:
            self.depth -= 1

    def _command(self) -> Node:
        tok = self.lx.peek()
        if self.depth > _MAX_DEPTH:
            raise ShellSyntaxError("commands nested too deep", tok.start)
        if tok.kind == "op" and tok.text == "(":
            self.lx.next()
            node: Node = Subshell(self.list_())
            self.expect_op(")")
        elif tok.kind == "op" and tok.text == "((":
            self.lx.next()
            start, end = self.lx.read_raw_until("))")
            node = ArithCommand(self.lx.arith_word(start, end))
        elif tok.kind == "word" and _is_reserved(tok, _COMPOUND):
            return self.reserved(tok)
        elif tok.kind in ("word", "redir"):
            return self.simple()
        else:
            raise ShellSyntaxError(f"unexpected {tok.text or 'end of input'!r}", tok.start)
        return self.redirects(node)

    def reserved(self, tok: Token) -> Node:
        word = tok.text
        if word == "function":
            return self.function_keyword()
        if word == "coproc":
            return self.coproc()
        self.lx.next()
        node: Node
        if word == "{":
            node = Group(self.list_())
            self.expect_word("}")
        elif word == "if":
            node = self.if_()
        elif word in ("while", "until"):
            cond = self.list_()
            node = Loop(word, cond, self.do_group())
        elif word in ("for", "select"):
            node = self.for_(word == "select")
        elif word == "case":
            node = self.case()
        else:  # [[
            node = CondCommand(self.lx.read_cond_words()[:-1])
        return self.redirects(node)

    def if_(self) -> If:
        clauses = []
        else_body = None
        while True:
            cond = self.list_()
            self.expect_word("then")
            clauses.append((cond, self.list_()))
            tok = self.lx.next()
            if _is_reserved(tok, "elif"):
                continue
            if _is_reserved(tok, "else"):
                else_body = self.list_()
                tok = self.lx.next()
            if not _is_reserved(tok, "fi"):
                raise ShellSyntaxError("expected 'fi'", tok.start)
            return If(clauses, else_body)

    def do_group(self) -> CommandList:
        tok = self.lx.next()
        if _is_reserved(tok, "{"):  # for x in a; { ...; } is accepted by bash too
            body = self.list_()
            self.expect_word("}")
            return body
        if not _is_reserved(tok, "do"):
            raise ShellSyntaxError("expected 'do'", tok.start)
        body = self.list_()
        self.expect_word("done")
        return body

    def for_(self, select: bool = False) -> For:
        tok = self.lx.next()
        if tok.kind == "op" and tok.text == "((":
            start, end = self.lx.read_raw_until("))")
            arith = self.lx.arith_word(start, end)
            self.separator()
            return For("", [], self.do_group(), arith)
        if tok.kind != "word" or tok.word is None:
            raise ShellSyntaxError("expected a loop variable", tok.start)
        var = tok.text
        words: list[Word] | None = None
        self.skip_newlines()
        if _is_reserved(self.lx.peek(), "in"):
            self.lx.next()
            words = []
            while self.lx.peek().kind == "word":
                word = self.lx.next().word
                assert word is not None
                words.append(word)
        self.separator()
        return For(var, words, self.do_group(), select=select)

    def separator(self) -> None:
        tok = self.lx.peek()
        if tok.kind == "op" and tok.text == ";":
            self.lx.next()
        self.skip_newlines()

    def case(self) -> Case:
        subject = tok_word(self.lx.next())
        self.skip_newlines()
        self.expect_word("in")
        items: list[tuple[list[Word], CommandList]] = []
        ends: list[str] = []
        while True:
            self.skip_newlines()
            tok = self.lx.next()
            if _is_reserved(tok, "esac"):
                return Case(subject, items, ends)
            if tok.kind == "op" and tok.text == "(":
                tok = self.lx.next()
            patterns = [tok_word(tok)]
            while self.lx.peek().kind == "op" and self.lx.peek().text == "|":
                self.lx.next()
                patterns.append(tok_word(self.lx.next()))
            self.expect_op(")")
            body = self.list_()
            items.append((patterns, body))
            end = self.lx.peek()
            ends.append(end.text if end.kind == "op" and end.text in (";&", ";;&") else ";;")
            if end.kind == "op" and end.text in (";;", ";&", ";;&"):
                self.lx.next()
            elif not _is_reserved(end, "esac"):
                raise ShellSyntaxError("expected ';;' or 'esac'", end.start)

    def function_keyword(self) -> FunctionDef:
        self.lx.next()
        name = self.lx.next()
        if name.kind != "word":
            raise ShellSyntaxError("expected a function name", name.start)
        tok = self.lx.peek()
        if tok.kind == "op" and tok.text == "(":
            self.lx.next()
            self.expect_op(")")
        return self.function_body(name.text)

    def function_body(self, name: str) -> FunctionDef:
        self.skip_newlines()
        body = self.command()
        if isinstance(body, SimpleCommand):
            raise ShellSyntaxError("a function body must be a compound command", body.start)
        return FunctionDef(name, body)

    def coproc(self) -> Coproc:
        self.lx.next()
        tok = self.lx.peek()
        name = "COPROC"
        if tok.kind == "word" and not _is_reserved(tok, _COMPOUND):
            rest = self.source[tok.end :].lstrip(" \t")
            if rest[:1] in ("{", "(") and not rest.startswith("(("):
                name = self.lx.next().text
        return Coproc(name, self.command())

    def simple(self) -> Node:
        cmd = SimpleCommand(self.lx.peek().start)
        while True:
            tok = self.lx.peek()
            if tok.kind == "redir":
                cmd.redirects.append(self.redirect())
            elif tok.kind == "word" and tok.word is not None:
                self.lx.next()
                if not cmd.words and _is_assignment(tok.word):
                    cmd.assignments.append(tok.word)
                else:
                    cmd.words.append(tok.word)
            elif (
                tok.kind == "op"
                and tok.text == "("
                and len(cmd.words) == 1
                and not cmd.assignments
                and not cmd.redirects
            ):
                self.lx.next()
                self.expect_op(")")
                return self.function_body(cmd.words[0].raw)
            else:
                break
            cmd.end = tok.end
        if not (cmd.words or cmd.assignments or cmd.redirects):
            raise ShellSyntaxError("expected a command", cmd.start)
        return cmd

    def redirects(self, node: Node) -> Node:
        if isinstance(node, Compound):
            while self.lx.peek().kind == "redir":
                node.redirects.append(self.redirect())
        return node

    def redirect(self) -> Redirect:
        op = self.lx.next()
        self.lx.target = True
        target = self.lx.next()
        self.lx.target = False
        if target.kind != "word" or target.word is None:
            raise ShellSyntaxError(f"expected a word after {op.text!r}", target.start)
        word = target.word
        doc = None
        if op.text in ("<<", "<<-"):
            quoted = word.quoted or any(c in word.raw for c in "'\"\\")
            delim = "".join(p.text for p in word.parts if isinstance(p, Lit)) if quoted else word.raw
            doc = HereDoc(delim, quoted, op.text == "<<-")
            self.lx.pending.append(PendingHereDoc(delim, quoted, op.text == "<<-", doc))
        return Redirect(op.text, word, op.fd, op.start, target.end, doc)

    def expect_op(self, text: str) -> None:
        tok = self.lx.next()
        if tok.kind != "op" or tok.text != text:
            raise ShellSyntaxError(f"expected {text!r}", tok.start)

    def expect_word(self, text: str) -> None:
        tok = self.lx.next()
        if not _is_reserved(tok, text):
            raise ShellSyntaxError(f"expected {text!r}", tok.start)


_COMPOUND = frozenset({"{", "if", "while", "until", "for", "select", "case", "function", "[[", "coproc"})


def tok_word(tok: Token) -> Word:
    if tok.kind != "word" or tok.word is None:
        raise ShellSyntaxError(f"expected a word, found {tok.text or 'end of input'!r}", tok.start)
    return tok.word


def _is_assignment(word: Word) -> bool:
    """``name=...``, ``name+=...``, ``name[i]=...`` with an unquoted name."""
    first = word.parts[0] if word.parts else None
    if not isinstance(first, Lit) or first.quoted:
        return False
    text = first.text
    eq = text.find("=")
    if eq <= 0:
        return False
    name = text[: eq - 1] if text[eq - 1] == "+" else text[:eq]
    bracket = name.find("[")
    if bracket > 0 and name.endswith("]"):
        name = name[:bracket]
    return (
        bool(name)
        and (name[0].isalpha() or name[0] == "_")
        and all(c.isalnum() or c == "_" for c in name)
        and name.isascii()
    )


_ = (ArrayLit, Sub)  # re-exported for users of the parser
