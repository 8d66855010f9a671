"""Send one KDMQ request (Kamailio's dmq: how the nodes replicate dialogs)
to a node, as a host that wants to plant or read dialogs would, and say
whether anything answered.

    kdmq_send.py DEST_IP DEST_PORT [--wait S]

Prints "answered CODE REASON" for the first reply within --wait seconds,
or "no answer". A node that handles the request answers it (dmq replies to
every KDMQ); one that drops it says nothing.
"""
import argparse
import random
import socket


def request(dest, port, local):
    branch = "z9hG4bK-kdmq-%08x" % random.getrandbits(32)
    # Action 0 (none): a node that handles it answers and changes nothing,
    # so the test's own KDMQ from the other node plants no dialog.
    body = '{"action":0}'
    return (
        "KDMQ sip:dialog@%s:%d SIP/2.0\r\n"
        "Via: SIP/2.0/UDP %s:%d;branch=%s\r\n"
        "From: <sip:dmq@%s:%d>;tag=%08x\r\n"
        "To: <sip:dialog@%s:%d>\r\n"
        "Call-ID: kdmq-%08x@%s\r\n"
        "CSeq: 1 KDMQ\r\n"
        "Max-Forwards: 1\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: %d\r\n\r\n%s"
        % (dest, port, local[0], local[1], branch, local[0], local[1], random.getrandbits(32), dest, port,
           random.getrandbits(32), local[0], len(body), body)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dest")
    parser.add_argument("port", type=int)
    parser.add_argument("--wait", type=float, default=2.0)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.dest, args.port))
    sock.sendto(request(args.dest, args.port, sock.getsockname()).encode(), (args.dest, args.port))
    sock.settimeout(args.wait)
    try:
        reply = sock.recv(65535).decode(errors="replace")
    except (socket.timeout, ConnectionRefusedError):
        print("no answer")
        return
    print("answered " + reply.split("\r\n", 1)[0].split(" ", 1)[1])


if __name__ == "__main__":
    main()
