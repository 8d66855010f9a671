# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: lab_docker_networks
short_description: The Docker networks of one lab container, in NIC order
version_added: 0.1.0
description:
  - Turns one entry of the lab topology's C(lab_hosts) (network name to host
    number) into the C(networks) list of
    M(community.docker.docker_container), with a fixed IPv4 address on each network, and the
    same host number in the network's IPv6 subnet (C(subnet6)) where it has one.
  - The list keeps the input's order. Docker itself attaches a container's
    networks in name order, which decides which one becomes eth0.
options:
  _input:
    description: "Network name to host number, for example C({private: 11, public: 11})."
    type: dict
    required: true
  lab_name:
    description: Prefix of the lab's Docker object names.
    type: str
    required: true
  lab_networks:
    description: Network name to a dict with the network's C(subnet), and C(subnet6) for a dual-stack one.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Start node1 on the private and the public network
  community.docker.docker_container:
    name: sipha-lab-node1
    image: sipha-base:bookworm
    networks: "{{ {'private': 11, 'public': 11} | lab_docker_networks('sipha-lab', lab_networks) }}"
"""

RETURN = r"""
_value:
  description: One C({name, ipv4_address}) per network (with C(ipv6_address) on a dual-stack one), in input order.
  type: list
  elements: dict
"""

# The standard library's ipaddress, not netaddr: Ansible loads every filter
# file of this directory into each worker process that renders a filter, so
# a heavy import here is paid on every task of a run (netaddr's was about
# 2 s of CPU per site.yml run on the lab).
import ipaddress

from ansible.errors import AnsibleFilterError


def nth_host(subnet, number):
    """Return address number ``number`` of ``subnet`` (1 is the first host).

    Raises ValueError when the number is not a usable host address there,
    so a typo in the topology is reported instead of colliding silently.
    """
    net = ipaddress.ip_network(str(subnet), strict=False)
    number = int(number)
    if not 0 < number < net.num_addresses - 1:
        raise ValueError("host number %d is not a usable address in %s" % (number, net))
    return str(net.network_address + number)


def lab_docker_networks(host_numbers, lab_name, lab_networks):
    endpoints = []
    for name, number in host_numbers.items():
        if name not in lab_networks:
            raise AnsibleFilterError(
                "lab host uses network %r, which lab_networks does not define (it has: %s)" % (name, ", ".join(sorted(lab_networks)))
            )
        endpoint = {"name": "%s-%s" % (lab_name, name)}
        for key, family in (("subnet", "ipv4_address"), ("subnet6", "ipv6_address")):
            if not lab_networks[name].get(key):
                continue
            try:
                endpoint[family] = nth_host(lab_networks[name][key], number)
            except (ValueError, IndexError) as exc:
                raise AnsibleFilterError("lab network %r: %s" % (name, exc))
        endpoints.append(endpoint)
    return endpoints


class FilterModule(object):
    def filters(self):
        return {"lab_docker_networks": lab_docker_networks}
