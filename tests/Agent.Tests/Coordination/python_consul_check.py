"""Drives a running agent with the unmodified python-consul library (Debian's python3-consul).

Usage: python3 python_consul_check.py HOST PORT
Prints one "name=value" line per result; exits non-zero on the first failure.
"""
import base64
import json
import sys

import consul

host, port = sys.argv[1], int(sys.argv[2])
c = consul.Consul(host=host, port=port)


def out(name, value):
    print("%s=%s" % (name, value), flush=True)


def expect(cond, what):
    if not cond:
        print("FAILED: " + what, flush=True)
        sys.exit(1)


out("version", consul.__version__)

# Sessions: the library sends lower-case keys and "Ns" durations.
sid = c.session.create(name="py-lock", behavior="release", lock_delay=0, ttl=30)
out("session", "created" if len(sid) == 36 else sid)
_, info = c.session.info(sid)
expect(info is not None and info["Name"] == "py-lock", "session info: %r" % (info,))
out("session_ttl", info["TTL"])
out("session_lock_delay", info["LockDelay"])
_, sessions = c.session.list()
out("session_listed", any(s["ID"] == sid for s in sessions))
renewed = c.session.renew(sid)
out("session_renewed", renewed is not None and renewed["ID"] == sid)

# KV lock with the session.
out("acquire", c.kv.put("py/lock", "holder-1", acquire=sid))
other = c.session.create(name="py-other", lock_delay=0)
out("acquire_other", c.kv.put("py/lock", "holder-2", acquire=other))
_, entry = c.kv.get("py/lock")
out("lock_session", "mine" if entry["Session"] == sid else entry.get("Session"))
out("lock_index", entry["LockIndex"])
out("lock_value", entry["Value"].decode())
out("release", c.kv.put("py/lock", "released", release=sid))
_, entry = c.kv.get("py/lock")
out("released_session", entry.get("Session"))

# Plain KV put/get, including recurse and a CAS.
out("put", c.kv.put("py/config/a", "alpha", flags=42))
index, entry = c.kv.get("py/config/a")
out("get", "%s flags=%d" % (entry["Value"].decode(), entry["Flags"]))
out("cas_stale", c.kv.put("py/config/a", "beta", cas=entry["ModifyIndex"] + 1000))
out("cas_ok", c.kv.put("py/config/a", "beta", cas=entry["ModifyIndex"]))
_, tree = c.kv.get("py/", recurse=True)
out("recurse", ",".join(e["Key"] for e in tree))

# python-consul 0.7.1 has no Txn wrapper; its own HTTP client sends the request.
def txn(ops):
    return c.http.put(lambda r: (r.code, json.loads(r.body)), "/v1/txn", data=json.dumps(ops))

b64 = lambda s: base64.b64encode(s.encode()).decode()
code, body = txn([
    {"KV": {"Verb": "set", "Key": "py/txn/x", "Value": b64("1")}},
    {"KV": {"Verb": "set", "Key": "py/txn/y", "Value": b64("2")}},
    {"KV": {"Verb": "get", "Key": "py/txn/x"}},
])
out("txn", "%d results=%d" % (code, len(body["Results"])))
out("txn_get", base64.b64decode(body["Results"][2]["KV"]["Value"]).decode())
code, body = txn([
    {"KV": {"Verb": "set", "Key": "py/txn/z", "Value": b64("3")}},
    {"KV": {"Verb": "check-not-exists", "Key": "py/txn/x"}},
])
out("txn_conflict", "%d op=%d" % (code, body["Errors"][0]["OpIndex"]))
_, missing = c.kv.get("py/txn/z")
out("txn_rolled_back", missing is None)

out("destroy", c.session.destroy(sid))
_, gone = c.session.info(sid)
out("destroyed", gone is None)
