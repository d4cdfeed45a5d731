#!/usr/bin/env python3
"""Collect the app's translatable strings and keep resources/translations/zh_CN.po in step with the code.

Every call to `_("...")` or `N_("...")` under drillapp/ whose first argument is a string literal
(plain or implicitly concatenated, or literals joined with +) becomes a msgid. Anything else given to
`_` or `N_` (an f-string, a variable, "...".format(...)) cannot be extracted: it is reported on stderr
with file:line. A variable is fine when its value was marked with N_ elsewhere (labels.py does that).

    python tools/i18n_extract.py            # list the msgids with their references
    python tools/i18n_extract.py --update   # merge them into resources/translations/zh_CN.po
    python tools/i18n_extract.py --check    # exit 1 when a msgid is missing or untranslated (CI)

--update keeps every existing translation (and its comments and flags), adds new msgids with an
empty msgstr, and turns entries the code no longer uses into obsolete `#~` entries at the end of
the file (untranslated ones are dropped). A msgid that comes back gets its obsolete translation back;
a slightly reworded one inherits the old translation marked `#, fuzzy` (not used until reviewed).
Entries are sorted by their first reference. Then fill in the new empty msgstr lines.

Standard library only; importable: `extract(root) -> {msgid: ["path:line", ...]}`.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "drillapp"
DEFAULT_LANGUAGE = "zh_CN"
MARKERS = frozenset({"_", "N_"})
FUZZY_CUTOFF = 0.85  # how alike a reworded msgid must be to inherit a translation (as fuzzy)

HEADER_FIELDS = {
    "Project-Id-Version": PACKAGE,
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "Chinese (Simplified)",
    "Language": DEFAULT_LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
    "X-Generator": "tools/i18n_extract.py",
}


# --- extraction -----------------------------------------------------------------------------------

@dataclass
class ExtractWarning:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: warning: {self.message}"


def _marker_name(func: ast.expr) -> str | None:
    """`_` / `N_` for `_(...)`, `N_(...)`, `i18n._(...)`, `i18n.N_(...)`; None for any other call."""
    if isinstance(func, ast.Name) and func.id in MARKERS:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in MARKERS and isinstance(func.value, ast.Name) \
            and func.value.id == "i18n":
        return func.attr
    return None


def _literal(node: ast.expr) -> str | None:
    """The text of a string literal, or of string literals joined with +; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _why_not(node: ast.expr) -> str:
    if isinstance(node, ast.JoinedStr):
        return "f-string cannot be translated; use a literal with {placeholders} and .format() after _()"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return "the text is formatted before it is translated; call .format() on the result of _() instead"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "%-formatting inside _(); translate the literal, then format"
    if isinstance(node, ast.Constant):
        return f"argument is not a str literal: {node.value!r}"
    return f"non-literal argument `{ast.unparse(node)}` is not extracted (fine if its values are marked with N_)"


def _python_files(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def _package_and_base(root: Path) -> tuple[Path, Path]:
    """Accept the project folder (which holds drillapp/) or the package folder itself."""
    root = Path(root)
    if (root / PACKAGE).is_dir():
        return root / PACKAGE, root
    return root, root.parent


def scan(root: Path) -> tuple[dict[str, list[str]], list[ExtractWarning]]:
    """(msgid -> ["path:line", ...], warnings) for the package under `root`."""
    package, base = _package_and_base(root)
    found: dict[str, list[str]] = {}
    warnings: list[ExtractWarning] = []
    for path in _python_files(package):
        rel = path.relative_to(base).as_posix()
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        except SyntaxError as exc:
            warnings.append(ExtractWarning(f"{rel}:{exc.lineno}", f"cannot parse: {exc.msg}"))
            continue
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _marker_name(n.func) is not None]
        for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):  # source order
            where = f"{rel}:{node.lineno}"
            arg = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "message"), None)
            if arg is None:
                warnings.append(ExtractWarning(where, f"{_marker_name(node.func)}() called without a message"))
                continue
            text = _literal(arg)
            if text is None:
                warnings.append(ExtractWarning(where, _why_not(arg)))
            elif not text:
                warnings.append(ExtractWarning(where, "empty msgid (reserved for the catalogue header)"))
            else:
                found.setdefault(text, []).append(where)
    for refs in found.values():
        refs.sort(key=_ref_key)
    return found, sorted(warnings, key=lambda w: _ref_key(w.where))


def extract(root: Path) -> dict[str, list[str]]:
    """msgid -> list of "path:line" references, for every literal given to _() or N_() under `root`."""
    return scan(root)[0]


def _ref_key(ref: str) -> tuple[str, int]:
    path, _sep, line = ref.rpartition(":")
    return (path, int(line)) if line.isdigit() else (ref, 0)


def placeholders(text: str) -> set[str]:
    """The {names} of a str.format template ("" for positional {}); raises ValueError when malformed."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


# --- the .po file -------------------------------------------------------------------------------

@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    comments: list[str] = field(default_factory=list)  # "# ..." translator and "#. ..." extracted comments
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and not self.fuzzy


def _unquote(token: str, where: str) -> str:
    token = token.strip()
    if not (len(token) >= 2 and token[0] == token[-1] == '"'):
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        raise ValueError(f"{where}: not a string: {token!r}")
    return value


def parse_po(text: str, name: str = "<po>") -> tuple[Entry | None, list[Entry]]:
    """(header, entries) of a .po file; obsolete `#~` entries come back with obsolete=True."""
    entries: list[Entry] = []
    current = Entry("")
    target: str | None = None
    parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
    started = False
    header: Entry | None = None

    def finish() -> None:
        nonlocal current, started, target, header
        if started:
            current.msgid = "".join(parts["msgid"])
            current.msgstr = "".join(parts["msgstr"])
            if current.msgid == "" and not current.obsolete:
                header = current
            else:
                entries.append(current)
        current, started, target = Entry(""), False, None
        parts["msgid"], parts["msgstr"] = [], []

    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{name}:{number}"
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # an obsolete entry's previous msgid: not kept
                continue
        if not line:
            if not obsolete:
                finish()
            continue
        if line.startswith("#"):
            if started:
                finish()
            if line.startswith("#:"):
                current.references.extend(line[2:].split())
            elif line.startswith("#,"):
                current.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#|"):
                continue  # previous msgid of a fuzzy entry: regenerated by whoever needs it
            else:
                current.comments.append(raw.rstrip())
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword in ("msgid", "msgstr"):
            if keyword == "msgid" and started:
                finish()
            started = True
            current.obsolete = current.obsolete or obsolete
            target = keyword
            parts[keyword].append(_unquote(rest, where))
        elif keyword in ("msgctxt", "msgid_plural") or keyword.startswith("msgstr["):
            raise ValueError(f"{where}: {keyword} is not supported by drillapp.i18n.read_po")
        elif line.startswith('"') and target is not None:
            parts[target].append(_unquote(line, where))
        else:
            raise ValueError(f"{where}: cannot read {raw!r}")
    finish()
    return header, entries


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):03o}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _field(keyword: str, text: str, prefix: str = "") -> list[str]:
    """One keyword line; a text with inner newlines is split after each \\n, gettext style."""
    pieces = text.splitlines(keepends=True)
    if len(pieces) <= 1:
        return [f"{prefix}{keyword} {quote(text)}"]
    return [f'{prefix}{keyword} ""'] + [f"{prefix}{quote(piece)}" for piece in pieces]


def _header_entry(old: Entry | None) -> Entry:
    fields: dict[str, str] = {}
    if old is not None:
        for line in old.msgstr.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
    for key, value in HEADER_FIELDS.items():
        if key in ("Content-Type", "Language", "MIME-Version", "Content-Transfer-Encoding", "X-Generator"):
            fields[key] = value  # what read_po and the extractor rely on: always as here
        else:
            fields.setdefault(key, value)
    comments = old.comments if old is not None and old.comments else [
        "# Simplified Chinese translation of drillapp.",
        "# Maintained with tools/i18n_extract.py --update; edit the msgstr lines only.",
    ]
    return Entry("", "".join(f"{k}: {v}\n" for k, v in fields.items()), comments=list(comments))


def render_po(header: Entry, entries: list[Entry]) -> str:
    lines = [*header.comments, 'msgid ""', 'msgstr ""']
    lines.extend(quote(piece) for piece in header.msgstr.splitlines(keepends=True))
    for entry in entries:
        lines.append("")
        if entry.obsolete:
            lines.extend(entry.comments)
            if entry.flags:
                lines.append("#~ #, " + ", ".join(entry.flags))
            lines.extend(_field("msgid", entry.msgid, "#~ "))
            lines.extend(_field("msgstr", entry.msgstr, "#~ "))
            continue
        lines.extend(entry.comments)
        for ref in entry.references:
            lines.append(f"#: {ref}")
        if entry.flags:
            lines.append("#, " + ", ".join(entry.flags))
        lines.extend(_field("msgid", entry.msgid))
        lines.extend(_field("msgstr", entry.msgstr))
    return "\n".join(lines) + "\n"


def _flags_for(msgid: str, old_flags: list[str]) -> list[str]:
    flags = [f for f in old_flags if f not in ("python-brace-format", "no-python-brace-format")]
    try:
        if placeholders(msgid):
            flags.append("python-brace-format")
    except ValueError:
        pass
    return flags


def merge(found: dict[str, list[str]], header: Entry | None, old_entries: list[Entry]) -> tuple[Entry, list[Entry]]:
    """The catalogue for `found`, keeping what `old_entries` already translate.

    A new msgid close to an unused translated one (a reworded string) gets that translation marked
    fuzzy, as msgmerge does: the app ignores it and --check lists it until a translator reviews it.
    """
    known: dict[str, Entry] = {}
    for e in sorted(old_entries, key=lambda e: (not e.obsolete, bool(e.msgstr))):
        known[e.msgid] = e  # the last one wins: a translated live entry over an obsolete or empty one
    unused = [m for m, e in known.items() if m not in found and e.msgstr]
    entries: list[Entry] = []
    # by first reference; ties (two msgids on one line) keep source order: sorted() is stable
    for msgid, refs in sorted(found.items(), key=lambda item: _ref_key(item[1][0])):
        old = known.get(msgid)
        if old is not None:
            msgstr, comments, flags = old.msgstr, [c for c in old.comments if not c.startswith("#~")], old.flags
        else:
            close = difflib.get_close_matches(msgid, unused, n=1, cutoff=FUZZY_CUTOFF)
            msgstr, comments, flags = (known[close[0]].msgstr, [], ["fuzzy"]) if close else ("", [], [])
        if not msgstr:
            flags = [f for f in flags if f != "fuzzy"]
        entries.append(Entry(msgid, msgstr, comments=list(comments), flags=_flags_for(msgid, flags),
                             references=list(refs)))
    obsolete = [
        Entry(m, known[m].msgstr, flags=[f for f in known[m].flags if f == "fuzzy"], obsolete=True)
        for m in sorted(unused)
    ]
    return _header_entry(header), entries + obsolete


def catalogue_path(root: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    return root / "resources" / "translations" / f"{language}.po"


def update(root: Path, po_path: Path) -> tuple[int, int, int]:
    """Merge the code's msgids into po_path; (msgids, untranslated, obsolete)."""
    found = extract(root)
    header, old = parse_po(po_path.read_text(encoding="utf-8"), str(po_path)) if po_path.exists() else (None, [])
    header, entries = merge(found, header, old)
    po_path.parent.mkdir(parents=True, exist_ok=True)
    text = render_po(header, entries)
    if not po_path.exists() or po_path.read_text(encoding="utf-8") != text:
        po_path.write_text(text, encoding="utf-8", newline="\n")
    live = [e for e in entries if not e.obsolete]
    return len(live), sum(not e.translated for e in live), len(entries) - len(live)


def problems(found: dict[str, list[str]], entries: list[Entry]) -> list[str]:
    """What --check reports: msgids missing from the catalogue, untranslated or fuzzy, bad placeholders."""
    by_id = {e.msgid: e for e in entries if not e.obsolete}
    out = []
    for msgid, refs in sorted(found.items(), key=lambda item: _ref_key(item[1][0])):
        entry = by_id.get(msgid)
        if entry is None:
            out.append(f"{refs[0]}: missing from the catalogue: {quote(msgid)}")
        elif not entry.msgstr:
            out.append(f"{refs[0]}: untranslated: {quote(msgid)}")
        elif entry.fuzzy:
            out.append(f"{refs[0]}: fuzzy (needs review): {quote(msgid)}")
        else:
            try:
                same = placeholders(msgid) == placeholders(entry.msgstr)
            except ValueError as exc:
                out.append(f"{refs[0]}: malformed placeholders ({exc}): {quote(entry.msgstr)}")
                continue
            if not same:
                out.append(f"{refs[0]}: placeholders differ: {quote(msgid)} -> {quote(entry.msgstr)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="merge the msgids into the .po file")
    mode.add_argument("--check", action="store_true", help="exit 1 if a msgid is missing or untranslated")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project folder (holds drillapp/)")
    parser.add_argument("--po", type=Path, help="catalogue (default: resources/translations/zh_CN.po)")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print the warnings")
    args = parser.parse_args(argv)

    po_path = args.po or catalogue_path(args.root)
    found, warnings = scan(args.root)
    if not args.quiet:
        for warning in warnings:
            print(warning, file=sys.stderr)

    if args.update:
        count, untranslated, obsolete = update(args.root, po_path)
        print(f"{po_path}: {count} msgids, {untranslated} untranslated, {obsolete} obsolete")
        return 0
    if args.check:
        if not po_path.exists():
            print(f"{po_path}: missing; run tools/i18n_extract.py --update", file=sys.stderr)
            return 1
        _header, entries = parse_po(po_path.read_text(encoding="utf-8"), str(po_path))
        found_problems = problems(found, entries)
        for problem in found_problems:
            print(problem)
        if found_problems:
            print(f"{len(found_problems)} of {len(found)} msgids need work in {po_path}", file=sys.stderr)
            return 1
        print(f"{po_path}: all {len(found)} msgids translated")
        return 0
    for msgid, refs in sorted(found.items(), key=lambda item: _ref_key(item[1][0])):
        print(f"{quote(msgid)}\t{' '.join(refs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
