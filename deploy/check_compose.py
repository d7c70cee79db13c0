"""Checks a compose file against the Compose specification's JSON schema (the copy that the
docker-compose package ships), with variables interpolated the way Compose does it, since the
schema sees values after interpolation. Prints each problem with its path; exits 1 if any."""

import json
import pathlib
import re
import sys
import sysconfig

import jsonschema
import yaml

# Read as a file: the package itself is not imported (it is installed without its dependencies).
SCHEMA = pathlib.Path(sysconfig.get_paths()["purelib"]) / "compose" / "config" / "compose_spec.json"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value):
    if isinstance(value, dict):
        return {k: interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v) for v in value]
    if isinstance(value, str):
        # A required variable counts as set: the check is about the file, not this shell.
        return VARIABLE.sub(lambda m: m.group(3) if m.group(2) and "-" in m.group(2) else "set", value)
    return value


def main(path):
    document = interpolate(yaml.safe_load(pathlib.Path(path).read_text()))
    schema = json.loads(SCHEMA.read_text())
    problems = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    for p in problems:
        print(f"{path}: {'/'.join(map(str, p.path)) or '(top)'}: {p.message}")
    if not problems:
        print(f"{path}: valid against {SCHEMA.name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
