#!/usr/bin/env python3
"""The fleet report of dsmcert, built on the Ansible controller.

report.yml and renew.yml run `dsmcert -check -json` on every host, then
this once, on the controller, with what the hosts answered as one JSON
object in DIR/.dsmcert-input.json. It writes dsmcert-report.json and
dsmcert-report.md and prints a short verdict (JSON) for the play's gate.
One pass over the hosts, then one over their certificates: the cost is
linear in the fleet.

  dsmcert_report.py report DIR   (reads and deletes DIR/.dsmcert-input.json)
  dsmcert_report.py sha256 FILE  (the fingerprint of FILE's first
                                  certificate, as dsmcert prints it)

The input:
  {"hosts": {NAME: {"check": {rc, stdout, stderr, unreachable, msg}
                             or null,
                    "stage": why staging failed, or "",
                    "prune": {"state": "done" | "refused" | "skipped"
                              | "failed", "why": ...} or null}},
   "renewal": {"server": S, "cert": PATH} or null,
   "online": true when -check ran with -online}

Only the Python standard library: the controller needs nothing more
than Ansible.
"""

import base64
import datetime
import hashlib
import json
import os
import re
import sys
import tempfile

STATUSES = ("OK", "WARNING", "CRITICAL", "UNKNOWN", "UNREACHABLE")
# States of a -check row in which the node trusts the certificate.
TRUSTING = ("ok", "expiring")


def fingerprint(der):
    """Upper-case hex pairs joined by ':', as dsmcert -json writes them."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def first_certificate(path):
    """The DER of the first certificate in PATH: PEM (with text around
    the armour, any line endings) or DER."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.search(rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----"
                  rb"(.*?)-----END", data, re.S)
    if m:
        return base64.b64decode(b"".join(m.group(1).split()))
    if data[:1] == b"\x30":
        return data
    raise ValueError("%s: no certificate in it (PEM or DER)" % path)


def host_entry(name, given):
    """One host's report entry from what Ansible registered."""
    check = (given or {}).get("check")
    entry = {"status": "UNREACHABLE", "summary": "", "certificates": [],
             "online": None}
    if check is None or check.get("unreachable"):
        entry["summary"] = ((check or {}).get("msg") or
                            "Ansible could not reach the host").strip()
        return entry
    rc = check.get("rc")
    try:
        out = json.loads(check.get("stdout") or "")
    except ValueError:
        out = None
    if not isinstance(out, dict) or out.get("status") not in STATUSES[:4]:
        err = (check.get("stderr") or check.get("msg") or "").strip()
        entry["status"] = "UNKNOWN"
        entry["summary"] = "dsmcert -check gave no report (exit %s)%s" % (
            rc, ": " + err.splitlines()[0] if err else "")
        return entry
    entry["status"] = out["status"]
    entry["summary"] = out.get("summary", "")
    entry["warn_days"] = out.get("warn_days")
    entry["certificates"] = out.get("certificates") or []
    entry["online"] = out.get("online")
    return entry


def readiness(name, entry, server, sha):
    """None when every node of the host that uses SERVER trusts SHA,
    else why not. A host none of whose nodes uses SERVER is ready: it
    has nothing to lose when the server switches."""
    if entry["status"] == "UNREACHABLE":
        return "unreachable: " + entry["summary"]
    if entry["status"] == "UNKNOWN":
        return "dsmcert -check could not tell: " + entry["summary"]
    nodes = {}
    for row in entry["certificates"]:
        if (row.get("server") or "").lower() != server:
            continue
        node = row.get("node")
        ok = row.get("sha256") == sha and row.get("state") in TRUSTING
        nodes[node] = nodes.get(node, False) or ok
    missing = sorted(n for n, ok in nodes.items() if not ok)
    if missing:
        return "%s %s not trust the new certificate" % (
            ", ".join(missing), "does" if len(missing) == 1 else "do")
    return None


def build(given):
    renewal = given.get("renewal") or None
    hosts = {}
    servers = {}
    for name in sorted(given.get("hosts") or {}):
        h = given["hosts"][name] or {}
        entry = host_entry(name, h)
        if h.get("stage"):
            entry["stage"] = h["stage"]
        if h.get("prune"):
            entry["prune"] = h["prune"]
        hosts[name] = entry
        for row in entry["certificates"]:
            srv = servers.setdefault(row.get("server"),
                                     {"certificates": {}, "missing": set()})
            if row.get("sha256") is None:
                srv["missing"].add(name)
                continue
            c = srv["certificates"].setdefault(row["sha256"], {
                "sha256": row["sha256"], "not_after": row.get("not_after"),
                "labels": set(), "hosts": set(), "states": set()})
            c["labels"].add(row.get("label"))
            c["states"].add(row.get("state"))
            c["hosts"].add(name)
    report = {
        "generated": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "counts": {s: 0 for s in STATUSES},
        "hosts": hosts,
        "servers": {},
    }
    for entry in hosts.values():
        report["counts"][entry["status"]] += 1
    for s in sorted(servers, key=lambda x: (x or "").lower()):
        srv = servers[s]
        report["servers"][s] = {
            "certificates": [
                {"sha256": c["sha256"], "not_after": c["not_after"],
                 "labels": sorted(x for x in c["labels"] if x),
                 "states": sorted(x for x in c["states"] if x),
                 "hosts": sorted(c["hosts"])}
                for c in sorted(srv["certificates"].values(),
                                key=lambda c: (c["not_after"] or "",
                                               c["sha256"]))],
            "missing": sorted(srv["missing"]),
        }
    if renewal:
        sha = fingerprint(first_certificate(renewal["cert"]))
        server = renewal["server"]
        ready, not_ready = [], {}
        for name, entry in hosts.items():
            why = readiness(name, entry, server.lower(), sha)
            if why is None:
                ready.append(name)
            else:
                not_ready[name] = why
        report["renewal"] = {"server": server, "sha256": sha,
                             "cert": renewal["cert"], "ready": ready,
                             "not_ready": not_ready}
        pruned = {n: e["prune"] for n, e in hosts.items() if "prune" in e}
        if pruned:
            report["renewal"]["prune"] = pruned
    return report


def cell(s):
    """A Markdown table cell: one line, no bar."""
    return " ".join(str(s).split()).replace("|", "\\|")


def markdown(r):
    out = ["# dsmcert fleet report", "",
           "Generated %s over %d hosts: %s." % (
               r["generated"], len(r["hosts"]),
               ", ".join("%d %s" % (n, s) for s, n in r["counts"].items()
                         if n)), ""]
    ren = r.get("renewal")
    if ren:
        out += ["## Renewal of %s" % cell(ren["server"]), "",
                "New certificate: `%s` (%s)." % (ren["sha256"],
                                                 cell(ren["cert"])), ""]
        if ren["not_ready"]:
            out += ["**Not ready: %d of %d hosts.** Do not switch the "
                    "server yet." % (len(ren["not_ready"]), len(r["hosts"])),
                    "", "| host | why |", "|---|---|"]
            out += ["| %s | %s |" % (cell(h), cell(w))
                    for h, w in sorted(ren["not_ready"].items())]
        else:
            out.append("**Ready: all %d hosts trust the new certificate.**"
                       % len(ren["ready"]))
        out.append("")
        if ren.get("prune"):
            out += ["Retiring the old certificate:", "",
                    "| host | state | why |", "|---|---|---|"]
            out += ["| %s | %s | %s |" % (cell(h), cell(p.get("state")),
                                          cell(p.get("why") or ""))
                    for h, p in sorted(ren["prune"].items())]
            out.append("")
    bad = [(h, e) for h, e in r["hosts"].items() if e["status"] != "OK"]
    out += ["## Hosts not OK", ""]
    if bad:
        out += ["| host | status | summary |", "|---|---|---|"]
        out += ["| %s | %s | %s |" % (cell(h), e["status"], cell(e["summary"]))
                for h, e in bad]
    else:
        out.append("None.")
    out += ["", "## Servers", ""]
    for s, srv in r["servers"].items():
        out += ["### %s" % cell(s), "", "| SHA-256 | not after | hosts |",
                "|---|---|---|"]
        for c in srv["certificates"]:
            out.append("| `%s` | %s | %d |" % (c["sha256"], c["not_after"],
                                               len(c["hosts"])))
        if srv["missing"]:
            out += ["", "No certificate on: %s." % ", ".join(srv["missing"])]
        out.append("")
    return "\n".join(out) + "\n"


def write(path, text):
    """Replace PATH whole: a reader never sees half a report."""
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".dsmcert-report.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv):
    if len(argv) == 3 and argv[1] == "sha256":
        print(fingerprint(first_certificate(argv[2])))
        return 0
    if len(argv) != 3 or argv[1] != "report":
        print("usage: dsmcert_report.py report DIR | "
              "sha256 FILE", file=sys.stderr)
        return 1
    given = os.path.join(argv[2], ".dsmcert-input.json")
    with open(given, encoding="utf-8") as f:
        report = build(json.load(f))
    os.unlink(given)
    write(os.path.join(argv[2], "dsmcert-report.json"),
          json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write(os.path.join(argv[2], "dsmcert-report.md"), markdown(report))
    verdict = {"counts": report["counts"],
               "unreachable": sorted(h for h, e in report["hosts"].items()
                                     if e["status"] == "UNREACHABLE")}
    if "renewal" in report:
        verdict["not_ready"] = report["renewal"]["not_ready"]
        verdict["ready"] = len(report["renewal"]["ready"])
    json.dump(verdict, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ValueError) as e:
        print("dsmcert_report.py: %s" % e, file=sys.stderr)
        sys.exit(2)
