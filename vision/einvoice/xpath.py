"""Find elements by local names ('A/B/C'), whatever namespace prefix or version the sender used."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree


@lru_cache(maxsize=512)
def _compiled(path: str) -> etree.XPath:
    steps = []
    for step in path.split("/"):
        if step == "..":
            steps.append("..")
        elif step.startswith("//"):
            steps.append(f"/*[local-name()='{step[2:]}']")
        else:
            steps.append(f"*[local-name()='{step}']")
    return etree.XPath("/".join(steps))


def find_all(el, path: str) -> list:
    return list(_compiled(path)(el)) if el is not None else []


def find(el, path: str):
    found = find_all(el, path)
    return found[0] if found else None


def text(el, path: str) -> str | None:
    node = find(el, path)
    return node.text if node is not None else None


def where(el, path: str) -> str:
    """'Element/Path (line N)' for error messages."""
    node = find(el, path)
    line = f" (line {node.sourceline})" if node is not None and node.sourceline else ""
    return f"{path.rsplit('/', 1)[-1]}{line}"
