# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copies of registrations between Kamailio nodes (register_copy), outside Kamailio.

With ``kamailio_usrloc_replication_method: register_copy`` a node copies
every REGISTER it accepted to its peers (kamailio.cfg, route[COPY_REGISTER]),
signed with the cluster's secret (route[COPY_SIGNATURE]). A node that starts
loads the shared database, which lacks what changed in the last flush
interval before it started (and what a node that died had not flushed); so
it asks its peers for what they hold
(``ask_request``), and each peer sends it every contact it holds as a
signed copy again (``live_contacts`` picks them from ``ul.dump``,
``copy_request`` writes each). roles/kamailio/files/sipha-usrloc-resync does
the sockets and the files; everything it decides is here, tested on
recorded ``ul.dump`` output. The lab's forgery test signs with the same
``copy_signature``. Installed on the nodes as sipha_usrloc_copy.py: only the
standard library.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import re

# What Kamailio's ul.dump writes for a field it has no value for.
NOT_SET = "[not set]"
# Kamailio's method bits (parser/msg_parser.h, METHOD_*), for the Allow
# header of a contact that accepts fewer than all methods.
METHODS = (
    (1, "INVITE"), (2, "CANCEL"), (4, "ACK"), (8, "BYE"), (16, "INFO"), (32, "REGISTER"),
    (64, "SUBSCRIBE"), (128, "NOTIFY"), (256, "MESSAGE"), (512, "OPTIONS"), (1024, "PRACK"),
    (2048, "UPDATE"), (4096, "REFER"), (8192, "PUBLISH"),
)
ALL_METHODS = 0xFFFFFFFF
_SECRET_LINE = re.compile(r'^#!define\s+SIP_SECRET\s+"(.*)"\s*$')


def read_secret(text):
    """The cluster's secret from the role's sipha-secrets.cfg (its #!define SIP_SECRET line)."""
    for line in text.splitlines():
        found = _SECRET_LINE.match(line.strip())
        if found:
            return found.group(1)
    raise ValueError("no #!define SIP_SECRET line")


# Kamailio passes a header's bytes through as they came (a User-Agent need
# not be UTF-8): they go back out as they were.
ENCODING = ("utf-8", "surrogateescape")


def _sign(parts):
    return hashlib.sha256(":".join(parts).encode(*ENCODING)).hexdigest()[:24]


def copy_signature(secret, call_id, cseq, to_uri, contact, expires, received, stamp):
    """route[COPY_SIGNATURE] of kamailio.cfg, field for field (an absent header signs as "0")."""
    return _sign((secret, call_id, str(cseq), to_uri, contact, str(expires), received, str(stamp), secret))


def ask_signature(secret, requester, target, nonce, stamp):
    """route[RESYNC_ASK]'s: the asking node's private address, the asked one's, a nonce, the time.

    The asked node's address in it: an ask taken off the wire cannot be
    played to another peer.
    """
    return _sign((secret, "resync", requester, target, nonce, str(stamp), secret))


def _host(address):
    return "[%s]" % address if ":" in address else address


def ask_request(peer, port, local, secret, nonce, stamp):
    """The OPTIONS a node that starts sends a peer, from its private address: "send me what you hold"."""
    target = "%s:%d" % (_host(peer), port)
    source = "%s:%d" % (_host(local[0]), local[1])
    lines = [
        "OPTIONS sip:%s SIP/2.0" % target,
        "Via: SIP/2.0/UDP %s;branch=z9hG4bK-resync-%s" % (source, nonce),
        "Max-Forwards: 70",
        "From: <sip:sipha-resync@%s>;tag=%s" % (_host(local[0]), nonce),
        "To: <sip:%s>" % target,
        "Call-ID: resync-%s@%s" % (nonce, _host(local[0])),
        "CSeq: 1 OPTIONS",
        # r: the asking address as signed (Kamailio compares it with the
        # source as an address, whatever its spelling).
        "X-Sipha-Resync: r=%s;t=%d;n=%s;sg=%s" % (local[0], stamp, nonce, ask_signature(secret, local[0], peer, nonce, stamp)),
        "Content-Length: 0",
        "",
        "",
    ]
    return "\r\n".join(lines).encode(*ENCODING)


def _set(value):
    return value not in (None, "", NOT_SET)


def _contacts(dump):
    """(AoR, contact) pairs of an ul.dump result (the JSON-RPC "result")."""
    for domain in dump.get("Domains", []):
        for record in domain.get("Domain", {}).get("AoRs", []):
            info = record.get("Info", {})
            for entry in info.get("Contacts", []):
                yield info.get("AoR", ""), entry.get("Contact", {})


def live_contacts(dump):
    """The live contacts of an ul.dump result, each with its AoR.

    All of them, not only the latest: the database a starting node loaded
    lacks what a node that died took in its last flush interval, and nobody
    writes those rows until the phones register again. A contact that is
    permanent (static), deleted, expired, or has no socket (nothing a
    REGISTER leaves) is not sent.
    """
    picked = []
    for aor, contact in _contacts(dump):
        expires = contact.get("Expires")
        if not isinstance(expires, int) or isinstance(expires, bool) or expires <= 0:
            continue
        if not _set(contact.get("Socket")) or not _set(contact.get("Address")):
            continue
        picked.append(dict(contact, AoR=aor))
    return picked


def _allow(methods):
    # All methods: the mask with every bit, or -1 where it is printed signed.
    if methods is None or methods < 0 or methods == ALL_METHODS:
        return None
    return ", ".join(name for bit, name in METHODS if methods & bit) or None


def _contact_header(contact):
    header = "<%s>" % contact["Address"]
    q = contact.get("Q", -1)
    if isinstance(q, (int, float)) and q >= 0:
        header += ";q=%s" % ("%.3f" % q).rstrip("0").rstrip(".")
    if _set(contact.get("Instance")):
        header += ';+sip.instance="%s"' % contact["Instance"]
        if contact.get("Reg-Id"):
            header += ";reg-id=%d" % contact["Reg-Id"]
    return header


def copy_request(contact, peer, port, local, secret, stamp, resync=True):
    """A signed copy of the REGISTER that left this contact, as route[SAVE_COPY] takes it.

    The contact's own Call-ID and CSeq (the peer keeps whichever is newer),
    its remaining seconds as Expires, its NAT finding and its socket (the
    VIP's). ``resync`` marks a copy sent again, which the peer skips without
    a word when it holds that REGISTER already.
    """
    aor = contact["AoR"]
    to_uri = "sip:%s" % aor if "@" in aor else "sip:%s@%s" % (aor, _host(peer))
    header = _contact_header(contact)
    received = contact["Received"] if _set(contact.get("Received")) else ""
    expires = contact["Expires"]
    call_id = contact["Call-ID"]
    cseq = contact["CSeq"]
    source = "%s:%d" % (_host(local[0]), local[1])
    branch = hashlib.sha256(("%s:%s:%s" % (call_id, cseq, stamp)).encode(*ENCODING)).hexdigest()[:16]
    lines = [
        "REGISTER sip:%s:%d SIP/2.0" % (_host(peer), port),
        "Via: SIP/2.0/UDP %s;branch=z9hG4bK-copy-%s" % (source, branch),
        "Max-Forwards: 70",
        "From: <%s>;tag=%s" % (to_uri, branch[:8]),
        "To: <%s>" % to_uri,
        "Call-ID: %s" % call_id,
        "CSeq: %d REGISTER" % cseq,
        "Contact: %s" % header,
        "Expires: %d" % expires,
    ]
    if _set(contact.get("User-Agent")):
        lines.append("User-Agent: %s" % contact["User-Agent"])
    allow = _allow(contact.get("Methods"))
    if allow:
        lines.append("Allow: %s" % allow)
    if received:
        lines.append("X-Sipha-Received: %s" % received)
    signature = copy_signature(secret, call_id, cseq, to_uri, header, expires, received, stamp)
    lines.append("X-Sipha-Copy: t=%d;sg=%s" % (stamp, signature))
    lines.append("X-Sipha-Socket: %s" % contact["Socket"])
    if resync:
        lines.append("X-Sipha-Resync: 1")
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode(*ENCODING)
