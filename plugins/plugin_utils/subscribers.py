# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SIP subscribers in the shared database: checks, rows and the SQL that gets them there.

An operator lists the subscribers once (``sipha_subscribers``, meant for
ansible-vault), each with a password or a ready digest hash (ha1). The
database keeps the hashes only: ha1 = MD5(user:realm:password), where the
realm is the subscriber's domain (the proxies challenge with the domain the
phone writes in From/To), so a stolen table gives no plain passwords.

Messages never quote a password or a hash: they are shown to the operator
and end up in logs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import re

# The user part of a SIP URI that is safe everywhere it goes: in URIs, in
# the database, in the challenge, in the lab's SIPp files. ":" would make the
# ha1 input ambiguous, "@" the AOR.
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
DOMAIN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
HA1 = re.compile(r"^[0-9a-fA-F]{32}$")
# The subscriber table's columns are 64 characters wide in both proxies' schemas.
FIELD_MAX = 64
PASSWORD_MIN = 8
KEYS = ("username", "domain", "password", "ha1", "state")
STATES = ("present", "absent")

# Per proxy: the hash columns besides ha1, and how each is made. Kamailio's
# ha1b is for phones that send "user@domain" as their digest username;
# OpenSIPS 3.x adds SHA-256 and SHA-512/256 hashes for RFC 8760 digests.
HASH_COLUMNS = {
    "kamailio": ("ha1", "ha1b"),
    "opensips": ("ha1", "ha1_sha256", "ha1_sha512t256"),
}
# Rows go to the database this many at a time.
BATCH = 200


def _digest(algorithm, text):
    return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()


def _hashes(proxy, username, domain, password):
    """{column: hash} for one subscriber's password, per RFC 2617/7616/8760."""
    plain = "%s:%s:%s" % (username, domain, password)
    hashes = {"ha1": _digest("md5", plain)}
    if proxy == "kamailio":
        hashes["ha1b"] = _digest("md5", "%s@%s:%s:%s" % (username, domain, domain, password))
    else:
        hashes["ha1_sha256"] = _digest("sha256", plain)
        hashes["ha1_sha512t256"] = _digest("sha512_256", plain)
    return hashes


def _name(index, entry):
    user = entry.get("username") if isinstance(entry, dict) else None
    if isinstance(user, str) and USERNAME.match(user):
        return "sipha_subscribers[%d] (%s)" % (index, user)
    return "sipha_subscribers[%d]" % index


def _entry_problems(index, entry, domains):
    name = _name(index, entry)
    if not isinstance(entry, dict):
        return ["%s is not a mapping; write {username: alice, password: <from the vault>}." % name]
    problems = []
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        problems.append("%s has unknown keys %s; the keys are %s." % (name, ", ".join(unknown), ", ".join(KEYS)))
    user = entry.get("username")
    if not isinstance(user, str) or not user:
        problems.append("%s has no username; give the user part of the phone's SIP address." % name)
    elif len(user) > FIELD_MAX or not USERNAME.match(user):
        problems.append(
            "%s: username %r is not a plain SIP user name; use up to %d letters, digits and . _ + - "
            "(starting with a letter or digit)." % (name, user[:80], FIELD_MAX)
        )
    domain = entry.get("domain")
    if domain is not None:
        if not isinstance(domain, str) or len(domain) > FIELD_MAX or not DOMAIN.match(domain):
            problems.append("%s: domain %r is not a host name or IPv4 address." % (name, domain))
        elif domains and domain.lower() not in [d.lower() for d in domains]:
            problems.append(
                "%s: domain %s is not one the proxies serve (sipha_sip_domains: %s); add it there or fix the entry."
                % (name, domain, ", ".join(domains))
            )
    state = entry.get("state", "present")
    if state not in STATES:
        problems.append("%s: state is %r; use present or absent." % (name, state))
        return problems
    if state == "absent":
        return problems
    has_password = entry.get("password") not in (None, "")
    has_ha1 = entry.get("ha1") not in (None, "")
    if has_password and has_ha1:
        problems.append("%s has both password and ha1; give one of them." % name)
    elif not has_password and not has_ha1:
        problems.append(
            "%s has no password; give password (kept as a digest hash only) or ha1, from a vault-encrypted file."
            % name
        )
    elif has_password:
        problems.extend(_password_problems(name, entry.get("password")))
    elif not isinstance(entry.get("ha1"), str) or not HA1.match(entry.get("ha1")):
        problems.append("%s: ha1 must be 32 hexadecimal digits, MD5(username:domain:password)." % name)
    return problems


def _password_problems(name, password):
    if not isinstance(password, str):
        # YAML turns 12345678 into a number: the hash would differ from the
        # one a phone computes only if the text differs, but say it.
        return ["%s: password is not text; quote it in the YAML." % name]
    problems = []
    if len(password) < PASSWORD_MIN:
        problems.append(
            "%s: password has %d characters; SIP accounts are guessed by brute force, use at least %d."
            % (name, len(password), PASSWORD_MIN)
        )
    if len(password) > FIELD_MAX:
        problems.append("%s: password has %d characters; phones and the schema take at most %d." % (name, len(password), FIELD_MAX))
    if any(not (32 <= ord(char) < 127) for char in password) or password != password.strip():
        problems.append(
            "%s: password holds a control character, a non-ASCII character or leading/trailing blanks, which "
            "phones type differently from the hash stored here; use printable ASCII." % name
        )
    return problems


def subscriber_problems(subscribers, domains=None):
    """Problems of a subscribers list: one sentence each, naming the entry and the fix."""
    if subscribers in (None, ""):
        return []
    if not isinstance(subscribers, list):
        return ["sipha_subscribers must be a list of {username, password or ha1, domain, state} entries."]
    domains = [str(domain) for domain in (domains or [])]
    problems = []
    seen = {}
    for index, entry in enumerate(subscribers):
        problems.extend(_entry_problems(index, entry, domains))
        if isinstance(entry, dict) and isinstance(entry.get("username"), str):
            # The proxies keep registrations by user name alone (usrloc
            # without domains): the same name in two domains would share
            # them. MariaDB compares the key without case: so does this.
            key = entry["username"].lower()
            if key in seen:
                problems.append(
                    "%s repeats the username of sipha_subscribers[%d]; each user appears once, in one domain "
                    "(registrations are kept by user name)." % (_name(index, entry), seen[key])
                )
            else:
                seen[key] = index
    return problems


def subscriber_rows(subscribers, default_domain, proxy="kamailio"):
    """The rows the database should hold, and the (username, domain) keys it must not.

    Returns {"present": [{username, domain, password, <hash columns>}],
    "absent": [[username, domain]]}. The password column is left empty: the
    proxies read the hashes (calculate_ha1 off).
    """
    if proxy not in HASH_COLUMNS:
        raise ValueError("proxy %r is not one of %s" % (proxy, ", ".join(sorted(HASH_COLUMNS))))
    present, absent = [], []
    for entry in subscribers or []:
        domain = entry.get("domain") or default_domain
        if entry.get("state", "present") == "absent":
            absent.append([entry["username"], domain])
            continue
        if entry.get("password") not in (None, ""):
            hashes = _hashes(proxy, entry["username"], domain, entry["password"])
        else:
            # A hash given as it is: the other hashes cannot be made from it.
            hashes = dict((column, "") for column in HASH_COLUMNS[proxy])
            hashes["ha1"] = entry["ha1"].lower()
        row = {"username": entry["username"], "domain": domain, "password": ""}
        row.update(hashes)
        present.append(row)
    return {"present": present, "absent": absent}


def subscriber_plan(wanted, current, exclusive=False, fold_case=False):
    """What to write: {"upsert": rows to add or change, "delete": [[username, domain]]}.

    ``wanted`` is subscriber_rows' result, ``current`` the rows the table
    holds (dicts with the same columns; drivers may give None for empty).
    With ``exclusive``, every row not wanted is deleted too. With
    ``fold_case`` (MariaDB, whose unique key ignores case), "Alice" in the
    table is the row of "alice" in the list, rewritten with the list's case.
    """
    def key_of(username, domain):
        return (username.lower(), domain.lower()) if fold_case else (username, domain)

    have = {}
    for row in current or []:
        have[key_of(row.get("username") or "", row.get("domain") or "")] = row
    upsert = []
    wanted_keys = set()
    for row in wanted.get("present", []):
        key = key_of(row["username"], row["domain"])
        wanted_keys.add(key)
        old = have.get(key)
        if old is None or any((old.get(column) or "") != value for column, value in row.items()):
            upsert.append(row)
    delete = []
    for username, domain in wanted.get("absent", []):
        old = have.get(key_of(username, domain))
        if old is not None:
            delete.append([old["username"], old["domain"]])
    if exclusive:
        leftovers = [[row["username"], row["domain"]] for key, row in have.items() if key not in wanted_keys]
        delete.extend(sorted(key for key in leftovers if key not in delete))
    return {"upsert": upsert, "delete": delete}


def subscriber_statements(wanted, current, engine, exclusive=False, table="subscriber"):
    """What subscriber_plan finds, as SQL: [{"query", "args", "label"}], in batches, with positional %s arguments.

    One statement adds or changes a batch of rows (an upsert on the
    username/domain unique key both schemas have), another deletes a batch.
    Labels count rows and never show a value.
    """
    if engine not in ("mariadb", "postgresql"):
        raise ValueError("engine %r is not mariadb or postgresql" % (engine,))
    plan = subscriber_plan(wanted, current, exclusive, fold_case=engine == "mariadb")
    statements = []
    rows = plan.get("upsert", [])
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        columns = list(batch[0])
        values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
        changed = [column for column in columns if column not in ("username", "domain")]
        if engine == "mariadb":
            # The key matched without case: take the list's spelling.
            changed = ["username", "domain"] + changed
            tail = " ON DUPLICATE KEY UPDATE " + ", ".join("%s = VALUES(%s)" % (c, c) for c in changed)
        else:
            tail = " ON CONFLICT (username, domain) DO UPDATE SET " + ", ".join("%s = EXCLUDED.%s" % (c, c) for c in changed)
        statements.append({
            "query": "INSERT INTO %s (%s) VALUES %s%s" % (table, ", ".join(columns), values, tail),
            "args": [row[column] for row in batch for column in columns],
            "label": "add or change %d subscriber%s" % (len(batch), "" if len(batch) == 1 else "s"),
        })
    keys = plan.get("delete", [])
    for start in range(0, len(keys), BATCH):
        batch = keys[start:start + BATCH]
        statements.append({
            "query": "DELETE FROM %s WHERE (username, domain) IN (%s)" % (table, ", ".join(["(%s, %s)"] * len(batch))),
            "args": [value for key in batch for value in key],
            "label": "remove %d subscriber%s" % (len(batch), "" if len(batch) == 1 else "s"),
        })
    return statements
