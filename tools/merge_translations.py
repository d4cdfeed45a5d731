"""Fill empty msgstr entries of resources/translations/zh_CN.po from JSON files {"msgid": "msgstr"}.

    python tools/merge_translations.py tools/pending_translations_*.json

Run `python tools/i18n_extract.py --update` first so every msgid is in the catalogue. Existing
translations are kept; a msgid the catalogue does not have is reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "resources" / "translations" / "zh_CN.po"


def merge(pairs: dict[str, str], catalogue: Path = CATALOGUE) -> tuple[int, list[str]]:
    text = catalogue.read_text(encoding="utf-8")
    filled, missing = 0, []
    for msgid, msgstr in pairs.items():
        quoted = json.dumps(msgid, ensure_ascii=False)
        empty = f"msgid {quoted}\nmsgstr \"\"\n"
        if empty in text:
            text = text.replace(empty, f"msgid {quoted}\nmsgstr {json.dumps(msgstr, ensure_ascii=False)}\n")
            filled += 1
        elif f"msgid {quoted}\n" not in text:
            missing.append(msgid)
    catalogue.write_text(text, encoding="utf-8")
    return filled, missing


def main(argv: list[str]) -> int:
    pairs: dict[str, str] = {}
    for name in argv:
        pairs.update(json.loads(Path(name).read_text(encoding="utf-8")))
    filled, missing = merge(pairs)
    print(f"filled {filled} translations; {len(missing)} msgids not in the catalogue")
    for msgid in missing:
        print(f"  not in catalogue: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
