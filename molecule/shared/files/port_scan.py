"""Scan a host's ports from here, as an outsider would, bounded in time.

    port_scan.py HOST --tcp 1-65535 --udp 1-1024 [--udp-extra 5060,111]

HOST is an IPv4 or an IPv6 address.

TCP: a connect to each port, thousands at a time; a port is open when the
connect completes within --wait seconds (a dropped SYN never does, a
closed port answers with a reset). UDP: a SIP OPTIONS to each port; a port
answered when data comes back, refused when an ICMP port-unreachable does
(the packet reached the host, and nothing listens); silence is what a
firewall that drops gives. Prints JSON: tcp_open, udp_answered, udp_refused,
seconds.
"""
import argparse
import json
import select
import socket
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def endpoint(address, port):
    """address:port as SIP writes it (an IPv6 address in brackets)."""
    return ("[%s]:%d" if ":" in address else "%s:%d") % (address, port)


def ports(text):
    found = []
    for part in filter(None, text.split(",")):
        low, dummy, high = part.partition("-")
        found.extend(range(int(low), int(high or low) + 1))
    return found


def tcp_open(host, targets, batch, wait):
    found = []
    for start in range(0, len(targets), batch):
        sockets = {}
        poller = select.poll()
        for port in targets[start:start + batch]:
            sock = socket.socket(family(host), socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.connect_ex((host, port))
            sockets[sock.fileno()] = (sock, port)
            poller.register(sock, select.POLLOUT)
        deadline = time.monotonic() + wait
        while sockets and time.monotonic() < deadline:
            for fd, dummy in poller.poll(max(1, int((deadline - time.monotonic()) * 1000))):
                sock, port = sockets.pop(fd)
                poller.unregister(fd)
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                    found.append(port)
                sock.close()
        for sock, dummy in sockets.values():
            sock.close()
    return sorted(found)


def udp_probe(host, targets, wait):
    answered, refused, sockets = [], [], []
    for port in targets:
        sock = socket.socket(family(host), socket.SOCK_DGRAM)
        sock.setblocking(False)
        sock.connect((host, port))
        local = endpoint(*sock.getsockname()[:2])
        target = endpoint(host, port)
        options = (
            "OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK-scan%d;rport\r\n"
            "From: <sip:scan@%s>;tag=scan\r\nTo: <sip:%s>\r\nCall-ID: sipha-scan-%d@%s\r\nCSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n" % (target, local, port, local, target, port, local)
        )
        try:
            sock.send(options.encode())
        except ConnectionRefusedError:
            refused.append(port)
        sockets.append((sock, port))
    time.sleep(wait)
    for sock, port in sockets:
        try:
            sock.recv(65535)
            answered.append(port)
        except BlockingIOError:
            pass
        except ConnectionRefusedError:
            if port not in refused:
                refused.append(port)
        sock.close()
    return sorted(answered), sorted(refused)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("--tcp", default="1-65535")
    parser.add_argument("--udp", default="1-1024")
    parser.add_argument("--udp-extra", default="")
    parser.add_argument("--batch", type=int, default=4000)
    parser.add_argument("--wait", type=float, default=1.0)
    args = parser.parse_args()
    began = time.monotonic()
    result = {"tcp_open": tcp_open(args.host, ports(args.tcp), args.batch, args.wait)}
    result["udp_answered"], result["udp_refused"] = udp_probe(args.host, sorted(set(ports(args.udp) + ports(args.udp_extra))), args.wait * 2)
    result["seconds"] = round(time.monotonic() - began, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
