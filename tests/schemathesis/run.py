"""Schemathesis over /api/v1/openapi.json against a real `convene serve`.

Starts the built binary on a free port with a fresh database (SQLite, PostgreSQL or both),
creates fixtures through the API the way people would (an admin from `convene admin create`,
people who sign up and follow the emailed link, a published process with a consultation,
contributions, a report, a response and an outcome), then runs Schemathesis anonymously and as
each role with the fixtures' ids offered for path parameters and bodies, so that success paths
are exercised and not only 4xx answers. Fails on any server error or any response that breaks
the document (status, content type, headers, schema). Prints the requests by status.

Run through tests/schemathesis/run.sh; the settings are environment variables:
  CONVENE_ST_DB            sqlite, postgres or both (default both)
  CONVENE_ST_MAX_EXAMPLES  cases per operation in the fuzzing phase (default 8)
  CONVENE_ST_PHASES        Schemathesis phases (default examples,fuzzing,stateful; the coverage
                           phase adds about 2,000 boundary cases per role, mostly 400 and 404)
  CONVENE_ST_SEED          a seed, to repeat a run exactly
  CONVENE_ST_ROLES         a comma list among anonymous,participant,facilitator,organiser,admin
  CONVENE_BIN              the binary (default target/debug/convene)
  CONVENE_TEST_PG_URL      the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
"""

from __future__ import annotations

import collections
import email
import email.policy
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ROLES = ["anonymous", "participant", "facilitator", "organiser", "admin"]
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Operations that end the caller's own session: run as anyone signed in, they would turn
# every later request of that run into a 401. Run anonymously they are still tested.
SESSION_ENDING = ["/api/v1/auth/logout"]


def log(message: str) -> None:
    print(f"[schemathesis] {message}", flush=True)


class Server:
    """`convene serve` on 127.0.0.1:0 with its own data directory and the file mail transport."""

    def __init__(self, binary: Path, database_url: str, work: Path):
        self.binary = binary
        self.work = work
        self.data = work / "data"
        self.log_path = work / "server.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENE_")}
        self.env.update(
            {
                "CONVENE_BIND": "127.0.0.1:0",
                "CONVENE_DATABASE_URL": database_url,
                "CONVENE_DATA_DIR": str(self.data),
                "CONVENE_MAIL__TRANSPORT": "file",
                "CONVENE_JWT_SECRET": secrets.token_hex(32),
                # The runs take minutes; tokens must outlive them.
                "CONVENE_AUTH__ACCESS_TOKEN_SECONDS": "14400",
                "CONVENE_PLUGINS__CACHE_DIR": str(REPO / "target" / "test-plugin-cache"),
                "RUST_LOG": "info",
                "NO_COLOR": "1",
            }
        )
        self.proc: subprocess.Popen | None = None
        self.base_url = ""

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [str(self.binary), *args], env=self.env, cwd=self.work, capture_output=True, text=True, timeout=120
        )
        if out.returncode != 0:
            raise RuntimeError(f"convene {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def start(self) -> None:
        logfile = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(self.binary), "serve"],
            env=self.env,
            cwd=self.work,
            stdout=subprocess.PIPE,
            stderr=logfile,
            text=True,
        )
        found: list[str] = []

        def pump() -> None:
            assert self.proc and self.proc.stdout
            for line in self.proc.stdout:
                logfile.write(line)
                logfile.flush()
                if line.startswith("Listening on ") and not found:
                    found.append(line.split(" ", 2)[2].strip())

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.time() + 60
        while not found:
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        self.base_url = found[0].rstrip("/")
        log(f"server at {self.base_url}, log in {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def mail_token(self, to: str, seen: set[str]) -> str:
        """The sign-in token of the first new email to `to` in the file outbox."""
        deadline = time.time() + 30
        while time.time() < deadline:
            for path in sorted((self.data / "mail").glob("*.eml")) if (self.data / "mail").is_dir() else []:
                if path.name in seen:
                    continue
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if to not in str(message["To"]):
                    continue
                seen.add(path.name)
                part = message.get_body(preferencelist=("plain",))
                text = part.get_content() if part else ""
                match = re.search(r"token=([A-Za-z0-9_\-.~%]+)", text)
                if match:
                    return urllib.parse.unquote(match.group(1))
            time.sleep(0.2)
        raise RuntimeError(f"no sign-in email to {to} within 30 s")


class Api:
    def __init__(self, base_url: str):
        self.base = base_url
        self.http = requests.Session()

    def call(self, method: str, path: str, token: str | None = None, expect: tuple[int, ...] = (200, 201), **kw):
        headers = kw.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        res = self.http.request(method, self.base + path, headers=headers, timeout=60, **kw)
        if res.status_code not in expect:
            raise RuntimeError(f"fixture {method} {path}: {res.status_code} {res.text}")
        return res.json() if res.content and "json" in res.headers.get("content-type", "") else None


def consultation() -> dict:
    # Matches the example of NewContribution in the OpenAPI document, so the examples phase
    # submits a valid answer.
    return {
        "type": "org.convene.consultation",
        "title": {"en": "Where should public AI help first?"},
        "config": {
            "questions": [
                {
                    "id": "priority",
                    "type": "single_choice",
                    "required": True,
                    "text": {"en": "Priority?"},
                    "choices": [
                        {"value": "health", "label": {"en": "Health"}},
                        {"value": "transport", "label": {"en": "Transport"}},
                    ],
                },
                {"id": "why", "type": "free_text", "required": False, "text": {"en": "Why?"}},
            ]
        },
    }


def process_body(slug: str) -> dict:
    return {
        "slug": slug,
        "title": {"en": "National AI Strategy 2027"},
        "summary": {"en": "Help shape how the country uses AI."},
        "description": {"en": "## How to take part\n\nAnswer the consultation."},
        "scope": "national",
        "topics": ["ai-strategy"],
        "iap2_level": "involve",
        "visibility": "public",
        "phases": [{"name": {"en": "Consultation"}, "starts_on": "2027-01-10", "ends_on": "2027-02-28"}],
        "commitments": [
            {"text": {"en": "We respond within 30 days."}, "measure": {"kind": "respond_within_days", "days": 30}}
        ],
    }


def create_fixtures(server: Server) -> dict:
    api = Api(server.base_url)
    seen: set[str] = set()

    admin_email = "admin@st.example"
    printed = server.cli("admin", "create", "--email", admin_email)
    link = next(line for line in printed.splitlines() if "token=" in line)
    admin_token = urllib.parse.parse_qs(urllib.parse.urlparse(link.strip()).query)["token"][0]
    tokens = {"admin": api.call("POST", "/api/v1/auth/magic-link/consume", json={"token": admin_token})["access_token"]}
    accounts = {}
    for role in ["organiser", "facilitator", "participant"]:
        address = f"{role}@st.example"
        api.call("POST", "/api/v1/auth/signup", json={"email": address, "display_name": role.title()}, expect=(201, 202))
        pair = api.call("POST", "/api/v1/auth/magic-link/consume", json={"token": server.mail_token(address, seen)})
        tokens[role] = pair["access_token"]
        accounts[role] = api.call("GET", "/api/v1/me", tokens[role])["id"]
    admin = tokens["admin"]

    api.call("POST", "/api/v1/topics", admin, json={"slug": "ai-strategy", "labels": {"en": "AI strategy"}}, expect=(201, 409))
    process = api.call("POST", "/api/v1/processes", admin, json=process_body("national-ai"))
    api.call("POST", "/api/v1/processes/national-ai/publish", admin)
    draft = api.call("POST", "/api/v1/processes", admin, json=process_body("draft-plan"))
    for role in ["organiser", "facilitator"]:
        api.call("POST", "/api/v1/processes/national-ai/members", admin, json={"email": f"{role}@st.example", "role": role})
        api.call("POST", "/api/v1/processes/draft-plan/members", admin, json={"email": f"{role}@st.example", "role": role})
    activity = api.call("POST", "/api/v1/processes/national-ai/activities", tokens["organiser"], json=consultation())
    answer = {"kind": "response", "body": {"answers": {"priority": "health", "why": "Waiting lists."}}}
    contributions = [
        api.call("POST", f"/api/v1/activities/{activity['id']}/contributions", tokens["participant"], json=answer),
        api.call(
            "POST",
            f"/api/v1/activities/{activity['id']}/contributions",
            tokens["facilitator"],
            json={**answer, "channel": "paper", "reference": "form 12"},
        ),
        api.call("POST", f"/api/v1/activities/{activity['id']}/contributions", tokens["organiser"], json=answer),
    ]
    ids = [c["id"] for c in contributions]
    api.call("POST", f"/api/v1/contributions/{ids[1]}/reports", tokens["participant"], json={"reason": "Off topic."}, expect=(201,))
    api.call(
        "POST",
        "/api/v1/processes/national-ai/responses",
        tokens["organiser"],
        json={"contribution_ids": ids[:2], "disposition": "adopted", "explanation": {"en": "In section 1."}, "outcome_refs": ["1"]},
    )
    api.call(
        "POST",
        "/api/v1/processes/national-ai/outcomes",
        tokens["organiser"],
        json={
            "title": {"en": "Strategy"},
            "sections": [{"id": "1", "heading": {"en": "Health"}, "body": {"en": "Shorter waits."}, "cites": ids[:1]}],
        },
    )
    api.call("POST", f"/api/v1/admin/accounts/{accounts['participant']}/attributes", admin, json={"name": "resident"})
    return {
        "tokens": tokens,
        "process": [process["slug"], process["id"], draft["slug"]],
        "activity": [activity["id"]],
        "contribution": ids,
        "account": [accounts["participant"], accounts["facilitator"]],
        "email": [f"{r}@st.example" for r in ["participant", "facilitator", "organiser"]],
        "type_id": ["org.convene.consultation"],
        "attribute": ["resident"],
        "version": [1],
    }


def toml_list(values: list) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def write_config(path: Path, fx: dict, max_examples: int) -> None:
    """Fixture ids offered for path parameters and bodies, most of the time: the rest of the
    time Schemathesis still generates its own values, so unknown ids are tested as well."""
    bind = lambda dictionary, p=0.85: f'{{ dictionary = "{dictionary}", probability = {p} }}'
    dictionaries = "\n".join(
        f"[dictionaries.{name}]\nvalues = {toml_list(fx[name])}\n"
        for name in ["process", "activity", "contribution", "account", "email", "type_id", "attribute", "version"]
    )
    path.write_text(
        f"""
[generation]
max-examples = {max_examples}
# Anonymous means no credentials at all; the roles send their own token.
with-security-parameters = false


[phases.stateful.inference]
# Links from Location headers come out wrong here (a contribution's link aimed at
# GET /processes/{{key}} with an `id`), and Schemathesis then refuses the whole stateful phase.
algorithms = ["dependency-analysis"]

[auth]
# Every account is made by the fixtures; Schemathesis must not sign up its own.
auto-signup = false

{dictionaries}
[parameters]
"path.key" = {bind("process")}
"path.type_id" = {bind("type_id")}
"path.version" = {bind("version")}
"path.account_id" = {bind("account")}
"path.name" = {bind("attribute")}
"body.email" = {bind("email", 0.5)}
"body.contribution_ids[*]" = {bind("contribution")}
"body.sections[*].cites[*]" = {bind("contribution")}
"body.on_behalf_of" = {bind("account", 0.5)}

[[operations]]
include-path-regex = "^/api/v1/activities/"
parameters = {{ "path.id" = {bind("activity")} }}

[[operations]]
include-path-regex = "^/api/v1/contributions/"
parameters = {{ "path.id" = {bind("contribution")} }}

[[operations]]
include-path-regex = "^/api/v1/admin/accounts/"
parameters = {{ "path.id" = {bind("account")} }}
"""
    )


def run_schemathesis(server: Server, config: Path, role: str, token: str | None, seed: str | None, phases: str) -> tuple[int, collections.Counter]:
    har = server.work / f"{role}.har"
    st = Path(sys.executable).parent / "st"
    cmd = [
        str(st),
        "--config-file",
        str(config),
        "run",
        f"{server.base_url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--phases",
        phases,
        # One worker: CPython 3.11 can fail parsing source in two threads at once
        # ("AST constructor recursion depth mismatch"), which Hypothesis does to describe strategies.
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "har",
        "--report-har-path",
        str(har),
        "--no-color",
    ]
    if token:
        cmd += ["--header", f"Authorization: Bearer {token}"]
        for path in SESSION_ENDING:
            cmd += ["--exclude-path", path]
    if seed:
        cmd += ["--seed", seed]
    log(f"== as {role}")
    code = subprocess.run(cmd, cwd=server.work).returncode
    statuses: collections.Counter = collections.Counter()
    if har.is_file():
        for entry in json.loads(har.read_text())["log"]["entries"]:
            statuses[entry["response"]["status"]] += 1
    return code, statuses


def database(kind: str, work: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite://{work / 'convene.db'}?mode=rwc", lambda: None
    admin_url = os.environ.get("CONVENE_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"convene_st_{secrets.token_hex(6)}"
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    drop = lambda: subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=False)
    return url, drop


def run_on(kind: str, binary: Path, max_examples: int, seed: str | None, phases: str, roles: list[str]) -> tuple[bool, dict]:
    work = Path(tempfile.mkdtemp(prefix=f"convene-st-{kind}-"))
    url, drop = database(kind, work)
    server = Server(binary, url, work)
    counts: dict[str, collections.Counter] = {}
    ok = True
    try:
        server.start()
        fixtures = create_fixtures(server)
        config = work / "schemathesis.toml"
        write_config(config, fixtures, max_examples)
        for role in roles:
            code, counts[role] = run_schemathesis(server, config, role, fixtures["tokens"].get(role), seed, phases)
            ok = ok and code == 0
    finally:
        server.stop()
        drop()
    # What the server logs when it answers 500 (http::problem), and panics; not the warnings of
    # background work stopped by the shutdown.
    errors = [line for line in server.log_path.read_text().splitlines() if (" ERROR " in line and "convene::" in line) or "panicked" in line]
    if errors:
        ok = False
        log(f"{len(errors)} server errors logged on {kind}:\n" + "\n".join(errors[:20]))
    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"kept {work} (server.log, *.har) for inspection")
    return ok, counts


def main() -> int:
    kinds = {"both": ["sqlite", "postgres"]}.get(os.environ.get("CONVENE_ST_DB", "both"), [os.environ.get("CONVENE_ST_DB", "")])
    if any(k not in ("sqlite", "postgres") for k in kinds):
        print("CONVENE_ST_DB must be sqlite, postgres or both", file=sys.stderr)
        return 2
    roles = [r.strip() for r in os.environ.get("CONVENE_ST_ROLES", ",".join(ROLES)).split(",") if r.strip()]
    if any(r not in ROLES for r in roles):
        print(f"CONVENE_ST_ROLES: each must be one of {', '.join(ROLES)}", file=sys.stderr)
        return 2
    binary = Path(os.environ.get("CONVENE_BIN", REPO / "target" / "debug" / "convene"))
    if not binary.is_file():
        print(f"{binary} is missing: build it first (cargo build -p convene)", file=sys.stderr)
        return 2
    max_examples = int(os.environ.get("CONVENE_ST_MAX_EXAMPLES", "8"))
    phases = os.environ.get("CONVENE_ST_PHASES", "examples,fuzzing,stateful")
    seed = os.environ.get("CONVENE_ST_SEED")

    passed = failed = 0
    total: collections.Counter = collections.Counter()
    for kind in kinds:
        ok, counts = run_on(kind, binary, max_examples, seed, phases, roles)
        passed, failed = passed + ok, failed + (not ok)
        for role, c in counts.items():
            total.update(c)
            log(f"{kind} {role}: {sum(c.values())} requests, by status {dict(sorted(c.items()))}")
    log(f"total: {sum(total.values())} requests, by status {dict(sorted(total.items()))}")
    server_errors = sum(n for status, n in total.items() if status >= 500 and status not in (502, 503))
    log(f"server errors (5xx other than a documented 502/503): {server_errors}")
    # One plain closing line, as test runners print it: one test per database.
    print(f"schemathesis: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
