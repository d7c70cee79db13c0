#!/usr/bin/env python3
"""Fills one activity with N contributions (and responses to a share of them) for the page
benchmarks, by copying a contribution and a response the API made, with new time-ordered ids,
spread dates and a mix of channels. Writing rows directly is for benchmark volume only: the
rows are what the app would have stored (same columns, same formats), and the activity's
revision is bumped as the app does, so caches see the change.

Usage: pages_data.py DATABASE_URL ACTIVITY_ID COUNT [RESPONDED_SHARE]
"""
import csv
import io
import os
import random
import subprocess
import sys
import time
import uuid

url, activity_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.6
random.seed(42)
CHANNELS = ["online"] * 7 + ["paper", "phone", "in_person"]
now_ms = int(time.time() * 1000)


def uuid7(ms):
    rand = random.getrandbits(74)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 62) << 64 | 0b10 << 62 | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def plan():
    # Oldest first so ids and dates agree, as they would in a real activity.
    for i in range(count):
        ms = now_ms - (count - i) * 20_000
        yield i, ms


def stamp(ms, sample):
    """A timestamp in the format the database already uses for this column."""
    t = time.gmtime(ms / 1000)
    base = time.strftime("%Y-%m-%d %H:%M:%S", t) + ".%06d" % ((ms % 1000) * 1000)
    return base + ("+00:00" if sample.endswith("+00:00") or sample.endswith("+00") else "")


if url.startswith("sqlite:"):
    import sqlite3

    path = url[len("sqlite://"):].split("?")[0]
    db = sqlite3.connect(path, timeout=30)
    db.row_factory = sqlite3.Row
    # sea-orm keeps UUIDs in SQLite as 16-byte blobs.
    c = dict(db.execute("SELECT * FROM contributions WHERE activity_id = ? LIMIT 1", (uuid.UUID(activity_id).bytes,)).fetchone())
    as_db = lambda u: uuid.UUID(u).bytes if isinstance(c["id"], bytes) else u
    r = dict(db.execute("SELECT * FROM responses WHERE contribution_id = ?", (c["id"],)).fetchone())
    cols, rcols = list(c), list(r)
    rows, responses = [], []
    for i, ms in plan():
        row = dict(c, id=as_db(uuid7(ms)), channel=random.choice(CHANNELS), idempotency_key=None,
                   created_at=stamp(ms, c["created_at"]), updated_at=stamp(ms, c["updated_at"]))
        rows.append(tuple(row[k] for k in cols))
        if random.random() < share:
            rms = ms + random.randint(1, 40) * 86_400_000 // 4
            responses.append(tuple(dict(r, id=as_db(uuid7(rms)), contribution_id=row["id"], batch_id=as_db(uuid7(rms)), created_at=stamp(rms, r["created_at"]))[k] for k in rcols))
    with db:
        db.executemany(f"INSERT INTO contributions ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})", rows)
        db.executemany(f"INSERT INTO responses ({','.join(rcols)}) VALUES ({','.join('?' * len(rcols))})", responses)
        db.execute("UPDATE activities SET revision = revision + ? WHERE id = ?", (count, as_db(activity_id)))
    db.execute("ANALYZE")
    db.close()
else:
    def psql(sql, stdin=None):
        return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX", "-F", "\t", "-c", sql], input=stdin, capture_output=True, text=True, check=True).stdout

    def one(table, where):
        out = psql(f"COPY (SELECT * FROM {table} WHERE {where} LIMIT 1) TO STDOUT WITH CSV HEADER")
        reader = csv.DictReader(io.StringIO(out))
        return next(reader)

    c = one("contributions", f"activity_id = '{activity_id}'")
    r = one("responses", f"contribution_id = '{c['id']}'")
    out_c, out_r = io.StringIO(), io.StringIO()
    wc, wr = csv.DictWriter(out_c, fieldnames=list(c)), csv.DictWriter(out_r, fieldnames=list(r))
    for i, ms in plan():
        row = dict(c, id=uuid7(ms), channel=random.choice(CHANNELS), idempotency_key="",
                   created_at=stamp(ms, "+00"), updated_at=stamp(ms, "+00"))
        wc.writerow(row)
        if random.random() < share:
            rms = ms + random.randint(1, 40) * 86_400_000 // 4
            wr.writerow(dict(r, id=uuid7(rms), contribution_id=row["id"], batch_id=uuid7(rms), created_at=stamp(rms, "+00")))
    psql(f"COPY contributions ({','.join(c)}) FROM STDIN WITH CSV", out_c.getvalue())
    psql(f"COPY responses ({','.join(r)}) FROM STDIN WITH CSV", out_r.getvalue())
    psql(f"UPDATE activities SET revision = revision + {count} WHERE id = '{activity_id}'")
    psql("ANALYZE")
print(f"inserted {count} contributions into {activity_id}")
