#!/usr/bin/env python3
"""Makes the DocC articles FileFormat.md, EngineDesign.md and Determinism.md in
Sources/CircuitGrad/CircuitGrad.docc from docs/format.md, docs/design.md and docs/determinism.md,
so that the documentation catalog and the repository's docs/ say the same thing.
Usage: docc_articles.py            rewrite the articles
       docc_articles.py --check    fail when an article differs from what docs/ gives (CI)

The text is copied; only links change: links to the other two pages become <doc:…> links,
links inside a page (#anchor) become plain text, and links to other repository files become
the file's path in code voice (the generated documentation has no repository to link into)."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOG = os.path.join(ROOT, "Sources", "CircuitGrad", "CircuitGrad.docc")
ARTICLES = {  # docs/ page -> (article name, article title)
    "format.md": ("FileFormat", "File formats"),
    "design.md": ("EngineDesign", "How the engine works"),
    "determinism.md": ("Determinism", "Determinism: the promise and its limits"),
}


def convert(page, text):
    name, title = ARTICLES[page]
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(lines)
    # A page's own table of contents (a paragraph starting "Contents:"); DocC makes its own.
    body = re.sub(r"\nContents: .*?\n\n", "\n", body, flags=re.S)

    def link(match):
        label, target = match.group(1), match.group(2)
        if target.startswith("#"):
            return label
        path = target.split("#", 1)[0]
        if path in ARTICLES:
            return f"<doc:{ARTICLES[path][0]}>"
        return f"{label} (`docs/{path}` in the source repository)" if label != path else f"`docs/{path}`"

    body = re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", link, body)
    header = (f"# {title}\n\n<!-- Made by scripts/lib/docc_articles.py from docs/{page}; edit that file, "
              f"then run bash scripts/docs. -->\n")
    return header + body.rstrip() + "\n"


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for page, (name, _) in ARTICLES.items():
        with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as f:
            article = convert(page, f.read())
        path = os.path.join(CATALOG, name + ".md")
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == article:
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(article)
            os.replace(path + ".tmp", path)
            print(f"docc_articles: wrote {os.path.relpath(path, ROOT)}", file=sys.stderr)
    if stale:
        sys.exit("docc_articles: out of date with docs/: " + ", ".join(stale) + "; run bash scripts/docs")


if __name__ == "__main__":
    main()
