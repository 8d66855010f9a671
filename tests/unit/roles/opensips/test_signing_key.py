# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OpenSIPS signing key shipped with the role is the one its fingerprint pins.

The role hands files/opensips-org.asc to apt as the repository's Signed-By
key; vars/main.yml pins its fingerprint. A key swapped or damaged in the
role would go unnoticed on the nodes (apt trusts whatever key it is given),
so the fingerprint is computed here from the file itself (OpenPGP v4: SHA-1
over 0x99, the two-byte length and the public-key packet's body).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import os

import yaml

ROLE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "opensips")


def armored_body(text):
    """The base64 payload of an ASCII-armored block, without headers and checksum."""
    lines = text.strip().splitlines()
    start = lines.index("") + 1  # armor headers end at the first blank line
    end = next(i for i, line in enumerate(lines) if line.startswith("-----END "))
    return base64.b64decode("".join(line for line in lines[start:end] if not line.startswith("=")))


def first_packet(data):
    """(tag, body) of the first OpenPGP packet, old or new format."""
    header = data[0]
    assert header & 0x80, "not an OpenPGP packet"
    if header & 0x40:  # new format: one, two or five length octets
        tag, first = header & 0x3F, data[1]
        if first < 192:
            return tag, data[2:2 + first]
        if first < 224:
            length = ((first - 192) << 8) + data[2] + 192
            return tag, data[3:3 + length]
        length = int.from_bytes(data[2:6], "big")
        return tag, data[6:6 + length]
    tag, length_type = (header >> 2) & 0x0F, header & 0x03
    size = {0: 1, 1: 2, 2: 4}[length_type]
    length = int.from_bytes(data[1:1 + size], "big")
    return tag, data[1 + size:1 + size + length]


def test_shipped_key_has_the_pinned_fingerprint():
    with open(os.path.join(ROLE, "files", "opensips-org.asc")) as handle:
        tag, body = first_packet(armored_body(handle.read()))
    with open(os.path.join(ROLE, "vars", "main.yml")) as handle:
        pinned = yaml.safe_load(handle)["__opensips_key_fingerprint"]
    assert tag == 6 and body[0] == 4, "expected a version 4 public-key packet"
    fingerprint = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest().upper()
    assert fingerprint == pinned
