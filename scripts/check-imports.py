#!/usr/bin/env python3
"""Checks every target's imports against Package.swift (CI runs it).

1. Every module a target imports is declared among its dependencies (SwiftPM lets a target
   import what another dependency happened to build; that breaks on the next refactor).
2. A domain plugin keeps to its shape (docs/PLUGINS.md):
   - Plugins/<Name>/API:              SwiftProtobuf
   - Plugins/<Name>/Core:             XinyuDomainKit
   - Plugins/<Name>/Sources and Main: XinyuPluginSDK, Xinyu<Name>API, Xinyu<Name>Core,
                                      XinyuEventsAPI, GRDB (Main also Xinyu<Name>)
   The fixture plugins under Tests/Fixtures keep to the same rule.
Usage: scripts/check-imports.py   (from anywhere; prints each problem, exits 1 if any)
"""
import json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Glibc", "Musl",
          "Darwin", "Testing", "XCTest", "Synchronization", "_Concurrency", "os", "SQLite3"}
IMPORT = re.compile(r'^\s*(?:@_exported\s+|@testable\s+|@preconcurrency\s+)*import\s+'
                    r'(?:(?:struct|class|enum|protocol|typealias|func|var|let|actor)\s+)?([A-Za-z_][A-Za-z0-9_]*)', re.M)


def dependency_names(target):
    names = set()
    for dep in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dep:
                names.add(dep[kind][0])
    return names


def target_path(target):
    if target.get("path"):
        return target["path"]
    return ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]


def imports_of(folder):
    found = {}
    for base, _, files in os.walk(os.path.join(ROOT, folder)):
        for f in files:
            if f.endswith(".swift"):
                path = os.path.join(base, f)
                with open(path, encoding="utf-8") as handle:
                    for module in IMPORT.findall(handle.read()):
                        found.setdefault(module, os.path.relpath(path, ROOT))
    return found


def plugin_rule(target, path):
    """The modules a plugin target may import, or None when no plugin rule applies."""
    parts = path.split("/")
    if parts[0] == "Plugins" and len(parts) >= 3:
        name, role = parts[1], parts[2]
        code = {"XinyuPluginSDK", f"Xinyu{name}API", f"Xinyu{name}Core", "XinyuEventsAPI", "GRDB"}
        return {"API": {"SwiftProtobuf"}, "Core": {"XinyuDomainKit"}, "Sources": code,
                "Main": code | {f"Xinyu{name}"}}.get(role)
    if path.startswith("Tests/Fixtures/") and target["type"] == "executable":
        return {"XinyuPluginSDK", "XinyuFixtureAPI", "XinyuEventsAPI", "GRDB"}
    return None


def main():
    dump = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    package = json.loads(dump)
    problems = []
    for target in package["targets"]:
        path = target_path(target)
        declared = dependency_names(target)
        allowed = plugin_rule(target, path)
        for module, file in sorted(imports_of(path).items()):
            if module in SYSTEM or module == target["name"]:
                continue
            if allowed is not None and module not in allowed:
                problems.append(f"{file}: imports {module}; {path.split('/')[0]}/{'/'.join(path.split('/')[1:3])} "
                                f"may import only {', '.join(sorted(allowed))} (docs/PLUGINS.md)")
            elif module not in declared:
                problems.append(f"{file}: imports {module}, which Package.swift does not declare for target {target['name']}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import problem(s)", file=sys.stderr)
        return 1
    print(f"imports match Package.swift ({len(package['targets'])} targets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
