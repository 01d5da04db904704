"""The read-only guard of POST /cypher: a small Cypher lexer (string literals, `quoted names` and
comments blanked out, `strip_literals`) and the check that refuses a write or admin query before
it reaches the database (`check_read_only`; see api/cypher.py for what is refused)."""
from __future__ import annotations

import re

WRITE_WORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "LOAD", "DROP", "ALTER",
    "GRANT", "REVOKE", "DENY", "USE", "INSERT", "TERMINATE", "RENAME", "DEALLOCATE", "REALLOCATE",
})
WRITE_PAIRS = {
    ("IN", "TRANSACTIONS"): "CALL { ... } IN TRANSACTIONS",
    ("IN", "CONCURRENT"): "CALL { ... } IN CONCURRENT TRANSACTIONS",
    ("START", "DATABASE"): "START DATABASE",
    ("STOP", "DATABASE"): "STOP DATABASE",
    ("ENABLE", "SERVER"): "ENABLE SERVER",
    ("DRYRUN", "REALLOCATE"): "DRYRUN REALLOCATE",
}
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes", "db.constraints",
    "db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships",
})
# A statement must open with one of these (after an optional EXPLAIN or PROFILE); anything else,
# such as COMMIT, BEGIN, ROLLBACK or SHOW ..., is refused before it reaches the database.
READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
_TOKEN = re.compile(r"[^\W\d]\w*|\d+|\S", re.UNICODE)


LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")  # where a // comment may end


def strip_literals(query: str, backslash_escapes: bool = True) -> str:
    """The query with string literals, `quoted names` and comments blanked out."""
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if backslash_escapes and query[j] == "\\":
                    j += 2
                    continue
                if query[j] == c:
                    break
                j += 1
            out.append(" '' ")
            i = j + 1
        elif c == "`":
            j = i + 1
            while j < n:
                if query[j] == "`":
                    if j + 1 < n and query[j + 1] == "`":
                        j += 2
                        continue
                    break
                j += 1
            out.append(" `q` ")
            i = j + 1
        elif query.startswith("//", i):  # ends at any line break the database's parser accepts
            ends = [k for k in (query.find(br, i) for br in LINE_BREAKS) if k >= 0]
            i = min(ends) if ends else n
            out.append(" ")
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _statement_refusal(tokens: list[tuple[str, int]]) -> str | None:
    """One statement, opening with a read clause."""
    if not tokens:
        return None  # the database reports the empty query
    first = tokens[0][0].upper()
    if first in ("EXPLAIN", "PROFILE") and len(tokens) > 1:
        first = tokens[1][0].upper()
    if first not in READ_STARTS:
        return (f"a query starting with {first} is not allowed: this endpoint answers read queries, "
                f"which start with {', '.join(sorted(READ_STARTS))}")
    if any(token == ";" for token, _ in tokens[:-1]):
        return "several statements are not allowed: send one per request (remove the ';' and what follows)"
    return None


def _refusal(stripped: str) -> str | None:
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(stripped)]
    reason = _statement_refusal(tokens)
    if reason:
        return reason
    words = [(t.upper(), pos, k) for k, (t, pos) in enumerate(tokens) if t[0].isalpha() or t[0] == "_"]
    for index, (word, pos, k) in enumerate(words):
        before = stripped[pos - 1] if pos > 0 else " "
        if before in ".$":  # a property key (n.set), a namespace part or a parameter ($create)
            continue
        nxt = words[index + 1][0] if index + 1 < len(words) else ""
        if (word, nxt) in WRITE_PAIRS:
            return f"{WRITE_PAIRS[(word, nxt)]} is not allowed: this endpoint is read-only"
        if word in WRITE_WORDS:
            what = "LOAD CSV" if word == "LOAD" else ("DETACH DELETE" if word == "DETACH" else word)
            return f"{what} is not allowed: this endpoint is read-only"
        if word == "APOC" and k + 1 < len(tokens) and tokens[k + 1][0] == ".":
            return "apoc.* is not allowed: this endpoint is read-only"
        if word == "CALL":
            following = tokens[k + 1][0] if k + 1 < len(tokens) else ""
            if following in ("{", "("):
                continue  # a subquery: its clauses are checked like the rest
            name = []
            j = k + 1
            while j < len(tokens):
                token = tokens[j][0]
                if token[0].isalpha() or token[0] == "_" or token == "`q`":
                    name.append(token)
                elif token == "`":
                    name.append("`q`")
                else:
                    break
                if j + 1 < len(tokens) and tokens[j + 1][0] == ".":
                    j += 2
                    continue
                break
            procedure = ".".join(name)
            if procedure.lower() not in READ_PROCEDURES:
                return (f"CALL {procedure or '?'} is not allowed: this endpoint is read-only "
                        f"(allowed procedures: {', '.join(sorted(READ_PROCEDURES))})")
    return None


def check_read_only(query: str) -> str | None:
    """Why the query is refused, or None. Checked under both readings of backslashes in strings,
    so a literal the database ends elsewhere than we do cannot hide a clause."""
    for escapes in (True, False):
        reason = _refusal(strip_literals(query, escapes))
        if reason:
            return reason
    return None
