#!/usr/bin/python
# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vip_state
short_description: Report whether a proxy node holds the VIP and what is wrong with its routes
version_added: 0.2.0
description:
  - Reads the kernel of one proxy node (C(ip -j addr show), C(ip -j -4 route show default),
    C(ip -j -6 route show default) and C(ss -H -l -n -u -t)) and reports whether it holds the
    floating IP (VIP), its default routes, the addresses on its public NIC and the SIP listeners.
  - Checks the design's rules for one node and returns every broken one as a sentence in
    RV(problems) - no default route on the private NIC; no address of its own on the public NIC;
    the VIP only on the public NIC; the VIP holder has exactly one default route, on the public NIC
    via O(gateway) with the VIP as source; a node without the VIP has no default route; the role is
    the O(expect)ed one; the VIP holder listens for SIP (O(check_sip)) and its public link is up.
  - Rules that span nodes (exactly one VIP holder) are left to the caller, which collects every
    node's report with O(fail_on_problems=false).
  - Changes nothing. Only the main routing table is read.
author:
  - sipha.cluster contributors (@sipha)
requirements:
  - iproute2 (C(ip) with JSON output, and C(ss)) on the node
options:
  cluster:
    description:
      - The node's VIPs, gateways and NICs in one dict, as the filter C(sipha.cluster.vip_state_settings) reads them
        from its variables (C(hostvars[item] | sipha.cluster.vip_state_settings)), with the keys and meaning of the
        options of the same names. Null values count as not given.
      - Each setting comes either from here or from its own option, not both.
    type: dict
    version_added: 0.7.0
    suboptions:
      vip:
        description: As O(vip).
        type: str
      vip6:
        description: As O(vip6).
        type: str
      gateway:
        description: As O(gateway).
        type: str
      gateway6:
        description: As O(gateway6).
        type: str
      private_interface:
        description: As O(private_interface).
        type: str
      public_interface:
        description: As O(public_interface).
        type: str
  vip:
    description:
      - The floating IP, as an address with or without prefix length, for example C(203.0.113.10/24).
      - IPv4 or IPv6.
      - Required, here or in O(cluster).
    type: str
  private_interface:
    description: The private NIC, which has the node's own address and must have no default route. C(eth0) when not given.
    type: str
  public_interface:
    description: The public NIC, which carries the VIP and nothing else. C(eth1) when not given.
    type: str
  gateway:
    description:
      - The public gateway. When set, the VIP holder's default route must go via this address.
      - Must be of the same IP version as O(vip), and not the VIP itself.
    type: str
  sip_port:
    description: The port the SIP proxy listens on.
    type: int
    default: 5060
  check_sip:
    description:
      - Whether the VIP holder must have a UDP socket listening on the VIP (or a wildcard address) and O(sip_port).
      - RV(sip_listening) and RV(sip_sockets) are returned either way.
    type: bool
    default: false
  expect:
    description:
      - The role the node should have; C(any) accepts both.
    type: str
    choices: [active, standby, any]
    default: any
  wildcard_allowed:
    description:
      - What may listen on every address (0.0.0.0, ::), written C(proto/port), for example V(tcp/22).
      - Any other socket bound so, without a device or on the public NIC, is a problem, since it answers on the
        VIP. When not given, such sockets are only reported in RV(wildcard_listeners).
    type: list
    elements: str
  private_vip:
    description:
      - The floating private address (C(sipha_private_vip)), with or without prefix length. When set, the VIP
        holder must have it on O(private_interface) and a node without the VIP must not have it anywhere.
    type: str
    version_added: 0.7.0
  vip6:
    description:
      - The IPv6 VIP of a dual-stack cluster (C(sipha_vip6)), with or without prefix length, beside an IPv4 O(vip).
      - The VIP holder must have both on the public NIC, each with its own default route (the IPv4 one judged
        against O(gateway), the IPv6 one against O(gateway6)), and listen for SIP on both; a standby has neither.
    type: str
    version_added: 0.7.0
  gateway6:
    description: The public gateway of O(vip6) (C(sipha_public_gateway6)), in its prefix or link-local.
    type: str
    version_added: 0.7.0
  fail_on_problems:
    description:
      - Whether to fail when RV(problems) is not empty. The facts are returned in both cases.
      - Set to V(false) to collect the reports of all nodes and judge the cluster as a whole.
    type: bool
    default: true
attributes:
  check_mode:
    description: The module only reads, so check mode runs the same checks and returns the same report.
    support: full
  diff_mode:
    description: Nothing is changed, so there is no diff.
    support: none
  platform:
    description: Linux nodes with iproute2.
    support: full
    platforms: linux
notes:
  - A link counts as up when the kernel reports the C(LOWER_UP) flag; the operational state
    is not used, because virtual NICs (veths in containers) report C(UNKNOWN) while they work.
"""

EXAMPLES = r"""
- name: Check this node against the cluster's rules
  sipha.cluster.vip_state:
    cluster: "{{ hostvars[inventory_hostname] | sipha.cluster.vip_state_settings }}"

- name: The same, setting by setting
  sipha.cluster.vip_state:
    vip: "{{ sipha_vip }}"
    gateway: "{{ sipha_public_gateway }}"
    private_interface: "{{ sipha_private_interface }}"
    public_interface: "{{ sipha_public_interface }}"

- name: Collect every node's report; the play judges the cluster
  sipha.cluster.vip_state:
    vip: 203.0.113.10/24
    gateway: 203.0.113.1
    check_sip: true
    fail_on_problems: false
  register: __vip_state

- name: Make sure node1 is the active one after a switchover
  sipha.cluster.vip_state:
    vip: 2001:db8:20::100/64
    gateway: 2001:db8:20::1
    expect: "{{ 'active' if inventory_hostname == 'node1' else 'standby' }}"
"""

RETURN = r"""
vip:
  description: The VIP without prefix length.
  returned: always
  type: str
  sample: 203.0.113.10
holds_vip:
  description: Whether the VIP is on any interface of this node.
  returned: always
  type: bool
  sample: true
vip6:
  description: The IPv6 VIP O(vip6) without prefix length; null without one.
  returned: always
  type: str
  sample: 2001:db8:20::10
holds_vip6:
  description: Whether the IPv6 VIP O(vip6) is on any interface of this node (false without one).
  returned: always
  type: bool
  sample: true
vip_interface:
  description: The interface with the VIP (the public NIC when it is there too); null when the node does not hold it.
  returned: always
  type: str
  sample: eth1
public_link_up:
  description: Whether the public NIC is up with carrier (flags C(UP) and C(LOWER_UP)); false when it does not exist.
  returned: always
  type: bool
  sample: true
default_routes:
  description: The default routes of both IP versions in the main table, one entry per next hop.
  returned: always
  type: list
  elements: dict
  contains:
    via:
      description: The gateway; null for a route straight onto the link.
      type: str
      sample: 203.0.113.1
    dev:
      description: The interface.
      type: str
      sample: eth1
    src:
      description: The preferred source address; null when the route has none.
      type: str
      sample: 203.0.113.10
    metric:
      description: The route's metric (0 when the kernel prints none).
      type: int
      sample: 0
    table:
      description: The routing table, only when the kernel names one.
      type: str
      returned: when the kernel names the table
    family:
      description: C(inet) or C(inet6); removing a route without a gateway needs it.
      type: str
      sample: inet
  sample:
    - via: 203.0.113.1
      dev: eth1
      src: 203.0.113.10
      metric: 0
      family: inet
stray_default_routes:
  description:
    - The default routes the rules do not allow, in the form of RV(default_routes) - every one on a
      standby, every one but the route through the gateway with the VIP as source on the VIP holder.
    - What a repair removes; the node role does.
  returned: always
  type: list
  elements: dict
  sample:
    - via: 10.0.0.1
      dev: eth0
      src: null
      metric: 0
      family: inet
private_gateway:
  description: Whether the private NIC has a default route.
  returned: always
  type: bool
  sample: false
private_gateways:
  description: The gateways of the default routes on the private NIC (must be empty).
  returned: always
  type: list
  elements: str
  sample: []
public_addresses:
  description: Global addresses with prefix length on the public NIC other than the VIP (must be empty).
  returned: always
  type: list
  elements: str
  sample: []
holds_private_vip:
  description: Whether the node has the floating private address O(private_vip) (false without one).
  returned: always
  type: bool
  sample: true
sip_listening:
  description: Whether a UDP socket listens on the VIP or a wildcard address and O(sip_port).
  returned: always
  type: bool
  sample: true
sip_sockets:
  description: The UDP and TCP sockets on O(sip_port) that receive for the VIP, as protocol and C(ss) local address.
  returned: always
  type: list
  elements: str
  sample: ["udp 203.0.113.10:5060", "tcp 203.0.113.10:5060"]
wildcard_listeners:
  description: The sockets bound to every address (without a device or on the public NIC), as protocol and C(ss) local address.
  returned: always
  type: list
  elements: str
  sample: ["tcp 0.0.0.0:22", "udp 0.0.0.0:694"]
role:
  description: C(active) when the node holds the VIP, else C(standby).
  returned: always
  type: str
  sample: active
problems:
  description: One sentence per broken rule, naming the interface or address and what it should be; empty when the node is sound.
  returned: always
  type: list
  elements: str
  sample:
    - The private NIC eth0 has a default route (default via 10.0.0.1 dev eth0); the private network must have no gateway, remove it.
"""

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.sipha.cluster.plugins.module_utils import vip_state


def read(module, args, missing_family_ok=False):
    """What a command prints, as text, failing the module when it fails.

    ``ip -6`` on a kernel without IPv6 fails with "Address family not
    supported"; such a node has no IPv6 routes, which is not an error.
    """
    rc, out, err = module.run_command(args)
    if rc != 0:
        if missing_family_ok and "not supported" in err:
            return ""
        module.fail_json(msg="%s failed (rc=%d): %s" % (" ".join(args), rc, err.strip()))
    return out


def read_json(module, args, missing_family_ok=False):
    out = read(module, args, missing_family_ok)
    try:
        return json.loads(out) if out.strip() else []
    except ValueError as e:
        module.fail_json(msg="%s printed no JSON (%s); iproute2 too old?" % (" ".join(args), e))


# The settings the cluster option can carry, and their defaults.
CLUSTER_SETTINGS = {"vip": None, "vip6": None, "gateway": None, "gateway6": None, "private_interface": "eth0", "public_interface": "eth1"}


def cluster_settings(module):
    """The node's settings, each from the cluster option or its own, never both."""
    p = module.params
    given = dict((key, value) for key, value in (p["cluster"] or {}).items() if value not in (None, ""))
    both = sorted(key for key in given if p[key] is not None)
    if both:
        module.fail_json(msg="%s given both on its own and in cluster; give each setting once" % ", ".join(both))
    settings = {}
    for key, default in CLUSTER_SETTINGS.items():
        value = given.get(key, p[key])
        settings[key] = default if value in (None, "") else value
    if not settings["vip"]:
        module.fail_json(msg="vip is required, on its own or in cluster")
    return settings


def main():
    module = AnsibleModule(
        argument_spec=dict(
            cluster=dict(type="dict", options=dict((key, dict(type="str")) for key in CLUSTER_SETTINGS)),
            vip=dict(type="str"),
            private_interface=dict(type="str"),
            public_interface=dict(type="str"),
            gateway=dict(type="str"),
            sip_port=dict(type="int", default=5060),
            check_sip=dict(type="bool", default=False),
            expect=dict(type="str", choices=["active", "standby", "any"], default="any"),
            wildcard_allowed=dict(type="list", elements="str"),
            private_vip=dict(type="str"),
            vip6=dict(type="str"),
            gateway6=dict(type="str"),
            fail_on_problems=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    settings = dict(cluster_settings(module), sip_port=p["sip_port"], expect=p["expect"])
    try:
        vip_state.check_node_parameters(**settings)
        if p["private_vip"]:
            vip_state.check_private_vip(p["private_vip"])
    except vip_state.ParameterError as e:
        module.fail_json(msg=str(e))

    # Read-only commands: they run in check mode too.
    ip = module.get_bin_path("ip", required=True)
    ss = module.get_bin_path("ss", required=True)
    links = read_json(module, [ip, "-j", "addr", "show"])
    routes = [dict(route, family="inet") for route in read_json(module, [ip, "-j", "-4", "route", "show", "default"])]
    routes += [dict(route, family="inet6") for route in read_json(module, [ip, "-j", "-6", "route", "show", "default"], missing_family_ok=True)]
    sockets = read(module, [ss, "-H", "-l", "-n", "-u", "-t"])

    state = vip_state.node_state(
        links, routes, sockets, check_sip=p["check_sip"], wildcard_allowed=p["wildcard_allowed"], private_vip=p["private_vip"], **settings
    )
    if state["problems"] and p["fail_on_problems"]:
        module.fail_json(msg="%d problem(s) on this node: %s" % (len(state["problems"]), " ".join(state["problems"])), **state)
    module.exit_json(changed=False, **state)


if __name__ == "__main__":
    main()
