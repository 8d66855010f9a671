# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""opensips.cfg and its companions as the role renders them.

OpenSIPS cannot be installed on the machine these tests run on, so nothing
here was run by OpenSIPS: the role's real templates are rendered for several
inventories (the lab-like one, an IPv6 VIP, TLS, PostgreSQL, RTPproxy) and the
files are parsed the way OpenSIPS reads them: loadmodule and modparam lines
(every module loaded once, every modparam naming a loaded module), the
sockets, the database URL, the usrloc and dialog modes, and the dispatcher's
db_text table.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

NODES = {"sip-a": "10.0.0.11/24", "sip-b": "10.0.0.12/24", "sip-c": "10.0.0.13/24"}
BASE = {
    "sipha_vip": "203.0.113.10/24",
    "sipha_public_gateway": "203.0.113.1",
    "sipha_sip_proxy": "opensips",
    "sipha_db_host": "10.0.0.21",
    "sipha_db_password": "Xq7-render-test-secret",
    "sipha_sip_secret": "Kx9-render-sip-secret-of-32-characters",
    "opensips_repository_uri": "http://deb.example.test/opensips",
    "sipha_media_servers": "[{address: 10.0.0.31}, {address: 10.0.0.32, port: 5080, transport: tcp}]",
}
DISPATCHER_HEADER = (
    "id(int,auto) setid(int) destination(string) socket(string,null) state(int) probe_mode(int) "
    "weight(string) priority(int) attrs(string,null) description(string,null)"
)


def render(run_render, nodes=None, **cluster):
    files, output = run_render("render_opensips.yml", dict(BASE, **cluster), nodes or NODES)
    # The password goes into sipha-secrets.cfg only, and never into Ansible's
    # output; nor does the SIP secret.
    assert "Xq7-render-test-secret" not in output
    assert "Kx9-render-sip-secret" not in output
    return files


def code_lines(text):
    """The lines OpenSIPS reads, without comments and blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def loaded(cfg):
    return [m.group(1) for m in (re.match(r'loadmodule "([a-z_0-9]+)\.so"$', line) for line in code_lines(cfg)) if m]


def modparams(*texts):
    """[(module, parameter, value)] of every modparam line; a value loses its quotes."""
    params = []
    for text in texts:
        for line in code_lines(text):
            match = re.match(r'modparam\("([^"]+)", "([^"]+)", (.*)\)$', line)
            if line.startswith("modparam"):
                assert match, "unparsable modparam line: %s" % line
            if match:
                params.append((match.group(1), match.group(2), match.group(3).strip('"')))
    return params


def modparam(files_or_texts, module, name):
    values = [v for m, p, v in modparams(*files_or_texts) if module in m.split("|") and p == name]
    assert len(values) <= 1, "%s %s set %d times" % (module, name, len(values))
    return values[0] if values else None


def sockets(cfg):
    return [line.partition("=")[2] for line in code_lines(cfg) if line.startswith("socket=")]


def balanced(cfg):
    """Braces balance once comments and strings are taken out."""
    code = re.sub(r'"[^"\n]*"', '""', cfg)
    code = re.sub(r"#.*", "", code)
    return code.count("{") == code.count("}")


def assert_well_formed(cfg, db):
    """Every module loaded once, every modparam names a loaded module, the DB file is included."""
    modules = loaded(cfg)
    assert len(modules) == len(set(modules)), "a module is loaded twice: %s" % modules
    for module, name, _value in modparams(cfg, db):
        for one in module.split("|"):
            assert one in modules, "modparam(%s, %s) names a module that is not loaded" % (one, name)
    assert 'include_file "/etc/opensips/sipha-secrets.cfg"' in code_lines(cfg)
    # modparams of a module come after its loadmodule: the include too.
    lines = code_lines(cfg)
    include_at = lines.index('include_file "/etc/opensips/sipha-secrets.cfg"')
    for module in ("usrloc", "dialog", "sqlops"):
        assert lines.index('loadmodule "%s.so"' % module) < include_at
    assert balanced(cfg) and balanced(db)
    # Every route the script calls is defined once, here or in the secrets file.
    defined = re.findall(r"^route\[([A-Z_]+)\]", cfg + "\n" + db, re.M)
    assert len(defined) == len(set(defined)), defined
    assert set(re.findall(r"\broute\(([A-Z_]+)\)", cfg)) <= set(defined)
    assert cfg.startswith("#\n# Ansible managed") or "Ansible managed" in cfg.splitlines()[1]
    assert "Xq7-render-test-secret" not in cfg


def dispatcher_rows(table):
    lines = table.splitlines()
    assert lines[0].rstrip() == DISPATCHER_HEADER
    rows = []
    for line in lines[1:]:
        # Fields are split on ':' that is not escaped; '\:' is a ':' in a value.
        fields = [f.replace("\\:", ":") for f in re.split(r"(?<!\\):", line)]
        assert len(fields) == 10, line
        rows.append(fields)
    return rows


def test_lab_like_cluster(run_render):
    """IPv4 VIP, MariaDB, UDP and TCP, rtpengine, dispatcher: the defaults."""
    files = render(run_render)
    for name, own in NODES.items():
        cfg, db = files[(name, "opensips.cfg")], files[(name, "sipha-secrets.cfg")]
        own_ip = own.partition("/")[0]
        assert_well_formed(cfg, db)
        # The VIP (advertised as itself) and the node's own private address, per protocol.
        # And the dialog replication's binary socket, on the private address.
        assert sockets(cfg) == [
            "udp:203.0.113.10:5060 as 203.0.113.10:5060", "udp:%s:5060" % own_ip,
            "tcp:203.0.113.10:5060 as 203.0.113.10:5060", "tcp:%s:5060" % own_ip,
            # The health check's socket, with a worker of its own.
            "udp:203.0.113.10:5059 use_workers 1",
            "bin:%s:5566" % own_ip,
        ]
        assert "ip_nonlocal_bind" in cfg
        # An alias with a port names a protocol ("any") in 3.x's grammar.
        aliases = [line.partition("=")[2] for line in code_lines(cfg) if line.startswith("alias=")]
        assert sorted(aliases) == sorted("any:%s:5060" % ip.partition("/")[0] for other, ip in NODES.items() if other != name)
        # Nothing tells a scanner the software, its version or the node.
        assert "server_signature=false" in cfg and "Server:" not in cfg
        assert_safe_edge(cfg, db, own_ip)
        assert {"db_mysql", "db_text", "proto_udp", "proto_tcp", "usrloc", "registrar", "dialog", "dispatcher",
                "nathelper", "rtpengine", "mi_fifo"} <= set(loaded(cfg))
        assert not {"db_postgres", "rtpproxy", "proto_tls"} & set(loaded(cfg))
        # Shared database: sql-only usrloc (dialogs are replicated between the
        # nodes, not written to the shared table), the same URL for both.
        url = "mysql://kamailio:Xq7-render-test-secret@10.0.0.21:3306/kamailio"
        assert modparam([db], "usrloc", "db_url") == url
        assert modparam([db], "dialog", "db_url") == url
        assert modparam([cfg], "usrloc", "working_mode_preset") == "sql-only"
        assert modparam([cfg], "dialog", "db_mode") == "0"
        assert "create_dialog();" in cfg
        # OPTIONS to the proxy itself are answered.
        assert 'sl_send_reply(200, "Keepalive");' in cfg
        # NAT: the cluster's flags, registrations and contacts fixed, the same received AVP.
        assert 'nat_uac_test("private-contact,diff-ip-src-via,diff-port-src-via")' in cfg and "fix_nated_register();" in cfg and "fix_nated_contact();" in cfg
        assert modparam([cfg], "registrar", "received_avp") == modparam([cfg], "nathelper", "received_avp")
        # Dispatcher: db_text on the node, probing, a failure route that marks and moves on.
        assert modparam([cfg], "dispatcher", "db_url") == "text:///etc/opensips/dbtext"
        assert modparam([cfg], "db_text", "db_mode") == "1"
        assert modparam([cfg], "dispatcher", "ds_probing_mode") == "1"
        assert modparam([cfg], "dispatcher", "ds_ping_interval") == "2"
        assert modparam([cfg], "dispatcher", "ds_ping_from") == "sip:dispatcher@%s" % own_ip
        assert "408" not in modparam([cfg], "dispatcher", "options_reply_codes")
        assert 'ds_select_dst(1, 4, "f")' in cfg
        assert "failure_route[MEDIA_SERVER_FAILED]" in cfg and 'ds_mark_dst("p");' in cfg and "ds_next_dst()" in cfg
        # rtpengine, both sides named as the rtpengine role names its interfaces.
        assert modparam([cfg], "rtpengine", "rtpengine_sock") == "udp:127.0.0.1:2223"
        for call in ("rtpengine_offer(", "rtpengine_answer(", "rtpengine_delete()"):
            assert call in cfg
        assert "$(var(next_hop){ip.matches,10.0.0.0/24})" in cfg
        assert "$socket_in(ip)" in cfg and "$Ri" not in cfg
        # The media server table, one row per server, and its version.
        rows = dispatcher_rows(files[(name, "dbtext-dispatcher")])
        assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
            ("1", "1", "sip:10.0.0.31:5060;transport=udp", "0"),
            ("2", "1", "sip:10.0.0.32:5080;transport=tcp", "0"),
        ]
        assert files[(name, "dbtext-version")].splitlines() == ["table_name(string) table_version(int) ", "dispatcher:9"]
        default = files[(name, "opensips.default")]
        assert "S_MEMORY=256" in default and "P_MEMORY=16" in default
        assert "StartLimitBurst=3" in files[(name, "restart-first.conf")]


def assert_safe_edge(cfg, db, own_ip):
    """The defaults of the SIP edge (README.md, "Security")."""
    assert {"auth", "auth_db", "pike", "cachedb_local", "sqlops"} <= set(loaded(cfg))
    # Digest authentication against the subscriber table's hashes; the nonce
    # key is the same on every node, 32 characters, in the secrets file only.
    secret = modparam([db], "auth", "secret")
    assert re.match(r"^[0-9a-f]{32}$", secret) and secret not in cfg
    assert "Kx9-render-sip-secret-of-32-characters" not in cfg + db
    assert modparam([cfg], "auth", "disable_nonce_check") == "1"
    assert modparam([cfg], "auth_db", "calculate_ha1") == "0" and modparam([cfg], "auth_db", "use_domain") == "1"
    assert modparam([db], "auth_db", "db_url") == modparam([db], "usrloc", "db_url") == modparam([db], "sqlops", "db_url")
    assert 'www_authorize("", "subscriber");' in cfg and 'proxy_authorize("", "subscriber");' in cfg
    assert "$au != $var(owner)" in cfg and "route(AUTH);" in cfg
    assert modparam([cfg], "registrar", "max_contacts") == "5"
    assert modparam([cfg], "pike", "reqs_density_per_unit") == "50"
    assert 'cache_store("local", "sipha_ban_$si", "1", 300);' in cfg
    # The media servers are trusted on the private address only; each
    # address is tested as address/len, within its own family.
    flood = cfg.partition("route[FLOOD] {")[2].partition("\n}\n")[0]
    for server in ("10.0.0.31/32", "10.0.0.32/32"):
        assert "if ($(si{ip.matches,%s}) == 1)\n\t\t\t$var(trusted_source) = 1;" % server in flood
    assert "if ($var(trusted_source) == 1 && ($var(arrived_private) == 1 || $var(inside_source) == 0)) {" in flood
    # The node's own addresses are never counted; nothing else is exempt.
    assert "$(si{ip.matches,203.0.113.10/32}) == 1)\n\t\t\t$var(own_source) = 1;" in flood
    # REGISTER is never a trusted peer's; an ACK without a To tag is dropped.
    assert 'if (isflagset("TRUSTED") && !is_method("REGISTER"))' in cfg
    assert 'if (is_method("ACK")) {\n\t\tt_check_trans();\n\t\texit;' in cfg
    # A registered contact is never a trusted peer.
    assert 'setflag("TO_CONTACT");' in cfg and 'if (isflagset("TO_CONTACT")) {' in cfg
    assert "$(var(arrived){ip.matches,%s/32}) == 1" % own_ip in cfg
    # Signed Record-Route; in-dialog requests only along it.
    assert 'record_route(";st=$var(rr_time);sg=$var(signature)");' in cfg
    assert '$var(signed) = $ci + ":" + $var(rr_ftag) + ":" + $var(rr_time);' in db
    assert re.search(r"\$var\(signature\) = \$\(var\(signed\)\{s\.sha256_hmac,[0-9a-f]{64}\}\{s\.substr,0,24\}\);", db)
    assert "$(var(top_route){uri.param,sg}) != $var(signature)" in cfg
    assert "|| $var(rr_age) < 0 || $var(rr_age) > 46800) {" in cfg
    # Nothing to the private networks but to a trusted peer.
    for network in ("10.0.0.0/24", "203.0.113.10/32", "127.0.0.0/8", "::1/128"):
        assert "$(var(hop){ip.matches,%s}) == 1" % network in cfg
    for header in ("P-Asserted-Identity", "Remote-Party-ID", "Diversion", "History-Info", "P-Charge-Info"):
        assert 'remove_hf("%s");' % header in cfg
    assert '!sql_query("SELECT 1")' in cfg and 'sl_send_reply(503, "Service Unavailable");' in cfg
    assert "sipha-local.cfg" not in cfg and "LOCAL_REQUEST" not in cfg


def test_edge_settings_an_operator_changes(run_render):
    """Authentication off (phones in listed networks only), a trunk, a domain
    name, an exempt network, the operator's own routing, a Server header."""
    # A templated element that uses a collection's filter, as the lab's
    # exempt network does ("{{ lab_client_address }}/32").
    files = render(run_render, opensips_auth="false", opensips_register_networks="[198.51.100.0/24]",
                   nat_gateway="\"{{ '198.51.100.0/24' | ansible.utils.nthhost(7) }}\"",
                   sipha_trusted_peers="[192.0.2.7]", sipha_flood_exempt_networks="[\"{{ nat_gateway }}/32\"]",
                   sipha_sip_domains="[sip.example.com, 203.0.113.10]",
                   opensips_server_header="'Edge {{ inventory_hostname }}'",
                   opensips_local_routing="'route[LOCAL_REQUEST] { return; }'")
    cfg, db = files[("sip-a", "opensips.cfg")], files[("sip-a", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db + "\nroute[LOCAL_REQUEST] { return; }")
    assert not {"auth", "auth_db"} & set(loaded(cfg)) and modparam([db], "auth", "secret") is None
    assert "route(AUTH);" not in cfg and "www_authorize" not in cfg
    edge = cfg.partition("route[EDGE] {")[2].partition("\n}\n")[0]
    assert "if ($(si{ip.matches,198.51.100.0/24}) == 1)" in edge and "if ($var(phone_network) != 1) {" in edge
    assert "$(si{ip.matches,192.0.2.7/32}) == 1" in cfg and "$(var(hop){ip.matches,192.0.2.7/32}) == 1" in cfg
    flood = cfg.partition("route[FLOOD] {")[2].partition("\n}\n")[0]
    assert "$(si{ip.matches,198.51.100.7/32}) == 1)\n\t\t\t$var(exempt) = 1;" in flood
    assert "alias=sip.example.com" in code_lines(cfg)
    assert 'server_header="Server: Edge sip-a"' in cfg and "server_signature" not in cfg
    assert 'include_file "/etc/opensips/sipha-local.cfg"' in code_lines(cfg) and "\troute(LOCAL_REQUEST);" in cfg


def test_ipv6_vip_and_private_addresses(run_render):
    nodes = {"sip-a": "2001:db8:1::11/64", "sip-b": "2001:db8:1::12/64"}
    files = render(run_render, nodes=nodes, sipha_vip="2001:db8:10::100/64", sipha_db_host="2001:db8:1::21",
                   sipha_db_engine="postgresql", sipha_media_servers='[{address: "2001:db8:1::31"}]')
    cfg, db = files[("sip-a", "opensips.cfg")], files[("sip-a", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db)
    assert sockets(cfg) == [
        "udp:[2001:db8:10::100]:5060 as [2001:db8:10::100]:5060", "udp:[2001:db8:1::11]:5060",
        "tcp:[2001:db8:10::100]:5060 as [2001:db8:10::100]:5060", "tcp:[2001:db8:1::11]:5060",
        "udp:[2001:db8:10::100]:5059 use_workers 1",
        "bin:[2001:db8:1::11]:5566",
    ]
    assert [line for line in code_lines(cfg) if line.startswith("alias=")] == ["alias=any:[2001:db8:1::12]:5060"]
    assert modparam([db], "usrloc", "db_url") == "postgres://kamailio:Xq7-render-test-secret@[2001:db8:1::21]:5432/kamailio"
    assert modparam([cfg], "dispatcher", "ds_ping_from") == "sip:dispatcher@[2001:db8:1::11]"
    assert "$(var(next_hop){ip.matches,2001:db8:1::/64})" in cfg
    assert "$(var(arrived){ip.matches,2001:db8:1::11/128}) == 1" in cfg
    # The IPv6 VIP is one address in the networks nothing is relayed to.
    assert "$(var(hop){ip.matches,2001:db8:10::100/128}) == 1" in cfg
    rows = dispatcher_rows(files[("sip-a", "dbtext-dispatcher")])
    assert [r[2] for r in rows] == ["sip:[2001:db8:1::31]:5060;transport=udp"]


def test_tcp_and_tls_on_a_dual_stack_cluster(run_render):
    # With an IPv6 VIP beside the VIP: a socket on it for every transport.
    files = render(run_render, opensips_protocols="[tcp, tls]", opensips_tls_certificate="/etc/ssl/sip.pem",
                   opensips_tls_private_key="/etc/ssl/private/sip.key", sipha_vip6="2001:db8:20::10/64",
                   sipha_public_gateway6="fe80::1")
    cfg, db = files[("sip-b", "opensips.cfg")], files[("sip-b", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db)
    assert sockets(cfg) == [
        "tcp:203.0.113.10:5060 as 203.0.113.10:5060", "tcp:[2001:db8:20::10]:5060", "tcp:10.0.0.12:5060",
        "tls:203.0.113.10:5061 as 203.0.113.10:5061", "tls:[2001:db8:20::10]:5061", "tls:10.0.0.12:5061",
        "udp:203.0.113.10:5059 use_workers 1",
        "bin:10.0.0.12:5566",
    ]
    assert {"proto_tcp", "proto_tls", "tls_mgm", "tls_openssl"} <= set(loaded(cfg))
    # UDP for the health check's socket only.
    assert [s for s in sockets(cfg) if s.startswith("udp:")] == ["udp:203.0.113.10:5059 use_workers 1"]
    # 3.x's tls_mgm names the domain of each setting.
    assert modparam([cfg], "tls_mgm", "server_domain") == "default"
    assert modparam([cfg], "tls_mgm", "certificate") == "[default]/etc/ssl/sip.pem"
    assert modparam([cfg], "tls_mgm", "private_key") == "[default]/etc/ssl/private/sip.key"
    aliases = [line for line in code_lines(cfg) if line.startswith("alias=any:10.0.0.11")]
    assert aliases == ["alias=any:10.0.0.11:5060", "alias=any:10.0.0.11:5061"]


def test_postgresql_and_the_other_modes(run_render):
    files = render(run_render, sipha_db_engine="postgresql", opensips_usrloc_db_mode="write_back",
                   opensips_dialog_db_mode="delayed", opensips_protocols="[udp]", opensips_dialog_replication=False)
    cfg, db = files[("sip-a", "opensips.cfg")], files[("sip-a", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db)
    assert "db_postgres" in loaded(cfg) and "db_mysql" not in loaded(cfg)
    assert modparam([db], "usrloc", "db_url") == "postgres://kamailio:Xq7-render-test-secret@10.0.0.21:5432/kamailio"
    assert modparam([cfg], "usrloc", "working_mode_preset") == "single-instance-sql-write-back"
    assert modparam([cfg], "dialog", "db_mode") == "2"
    assert not any(s.startswith("tcp:") for s in sockets(cfg))


def test_write_through_and_shutdown_modes(run_render):
    files = render(run_render, opensips_usrloc_db_mode="write_through", opensips_dialog_db_mode="shutdown",
                   opensips_dialog_replication=False)
    cfg = files[("sip-c", "opensips.cfg")]
    assert modparam([cfg], "usrloc", "working_mode_preset") == "single-instance-sql-write-through"
    assert modparam([cfg], "dialog", "db_mode") == "3"


def test_rtpproxy_relay(run_render):
    files = render(run_render, sipha_media_relay="rtpproxy", rtpproxy_control_socket="udp:127.0.0.1:7799")
    cfg, db = files[("sip-a", "opensips.cfg")], files[("sip-a", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db)
    assert "rtpproxy" in loaded(cfg) and "rtpengine" not in loaded(cfg)
    assert modparam([cfg], "rtpproxy", "rtpproxy_sock") == "udp:127.0.0.1:7799"
    # i/e: where the message came from, then where it goes; a reply the other way round.
    assert 'rtpproxy_offer("co$avp(from_side)$avp(to_side)");' in cfg
    assert 'rtpproxy_answer("co$avp(to_side)$avp(from_side)");' in cfg
    assert "rtpproxy_unforce();" in cfg
    assert '$avp(from_side) = "i";' in cfg and '$avp(to_side) = "e";' in cfg
    assert "rtpengine_" not in cfg


def test_no_dispatcher_and_no_media_relay(run_render):
    files = render(run_render, opensips_dispatcher="false", sipha_media_relay="none", sipha_media_servers="[]")
    cfg, db = files[("sip-b", "opensips.cfg")], files[("sip-b", "sipha-secrets.cfg")]
    assert_well_formed(cfg, db)
    assert not {"dispatcher", "db_text", "rtpengine", "rtpproxy"} & set(loaded(cfg))
    assert "ds_select_dst" not in cfg and "rtpengine_" not in cfg and "rtpproxy_" not in cfg
    assert "route(MEDIA_SERVERS);" not in cfg
    assert 'sl_send_reply(404, "Not Found");' in cfg


def test_register_networks_and_advertised_address(run_render):
    files = render(run_render, opensips_register_networks="[198.51.100.0/24, 192.0.2.0/25]",
                   opensips_advertise_address="192.0.2.200")
    cfg = files[("sip-c", "opensips.cfg")]
    registrar = cfg.partition("route[REGISTRAR] {")[2].partition("\n}\n")[0]
    assert "if ($(si{ip.matches,198.51.100.0/24}) == 1)" in registrar and "if ($(si{ip.matches,192.0.2.0/25}) == 1)" in registrar
    assert "if ($var(phone_network) != 1) {" in registrar
    assert "udp:203.0.113.10:5060 as 192.0.2.200:5060" in sockets(cfg)


def test_unknown_opensips_version_stops_the_run(run_render):
    with pytest.raises(AssertionError) as failed:
        render(run_render, opensips_version='"3.3"')
    message = str(failed.value)
    assert "opensips_version is 3.3" in message
    assert "3.4, 3.5, 3.6" in message


def test_missing_repository_stops_the_run(run_render):
    with pytest.raises(AssertionError) as failed:
        render(run_render, opensips_repository_uri='""')
    assert "opensips_repository_uri is empty" in str(failed.value)


def test_database_tls_on_postgresql(run_render):
    # OpenSIPS's db_postgres uses libpq like Kamailio: the same environment.
    files = render(run_render, sipha_db_engine="postgresql", sipha_db_tls="true")
    default = files[("sip-a", "opensips.default")]
    assert "PGSSLMODE=verify-full\n" in default and "PGSSLROOTCERT=/etc/ssl/sipha/db-ca.crt\n" in default
    db = files[("sip-a", "sipha-secrets.cfg")]
    assert modparam([db], "usrloc", "db_url") == "postgres://kamailio:Xq7-render-test-secret@10.0.0.21:5432/kamailio"


def test_dialogs_replicated_and_the_floating_private_address(run_render):
    """Every dialog on every node (clusterer, sharing tag "vip"), and the
    floating private address as the proxy's address toward the media servers."""
    files = render(run_render, sipha_private_vip="10.0.0.100")
    for index, (name, own) in enumerate(sorted(NODES.items())):
        cfg, db = files[(name, "opensips.cfg")], files[(name, "sipha-secrets.cfg")]
        own_ip = own.partition("/")[0]
        assert_well_formed(cfg, db)
        assert sockets(cfg) == [
            "udp:203.0.113.10:5060 as 203.0.113.10:5060", "udp:%s:5060" % own_ip, "udp:10.0.0.100:5060",
            "tcp:203.0.113.10:5060 as 203.0.113.10:5060", "tcp:%s:5060" % own_ip, "tcp:10.0.0.100:5060",
            "udp:203.0.113.10:5059 use_workers 1",
            "bin:%s:5566" % own_ip,
        ]
        assert {"proto_bin", "clusterer"} <= set(loaded(cfg))
        assert modparam([cfg], "clusterer", "my_node_id") == str(index + 1)
        assert modparam([cfg], "clusterer", "my_node_info") == "cluster_id=1,url=bin:%s:5566" % own_ip
        neighbours = [value for module, param, value in modparams(cfg) if (module, param) == ("clusterer", "neighbor_node_info")]
        assert neighbours == [
            "cluster_id=1,node_id=%d,url=bin:%s:5566" % (other + 1, ip.partition("/")[0])
            for other, (peer, ip) in enumerate(sorted(NODES.items())) if peer != name
        ]
        assert modparam([cfg], "clusterer", "sharing_tag") == "vip/1=backup"
        assert modparam([cfg], "dialog", "dialog_replication_cluster") == "1"
        # Every dialog the proxy creates belongs to the tag.
        assert cfg.count("create_dialog();") == cfg.count('set_dlg_sharing_tag("vip");') == 2
        # Toward the private network: from the floating address, on the next hop's transport.
        assert '$fs = "udp:10.0.0.100:5060";' in cfg and '$fs = "tcp:10.0.0.100:5060";' in cfg
        # A media server's request is taken as from the private side on the floating address too.
        assert "$(var(arrived){ip.matches,10.0.0.100/32}) == 1" in cfg


def test_no_dialog_replication(run_render):
    files = render(run_render, sipha_dialog_replication=False)
    cfg = files[("sip-a", "opensips.cfg")]
    assert not {"proto_bin", "clusterer"} & set(loaded(cfg))
    assert "set_dlg_sharing_tag" not in cfg and "socket=bin:" not in cfg
    # The dialogs in the shared table then, as opensips_dialog_db_mode says.
    assert modparam([cfg], "dialog", "db_mode") == "1"
    # Without a floating private address the kernel picks the source (mhomed).
    assert "$fs" not in cfg


def test_tls_with_the_cluster_certificate(run_render):
    files = render(run_render, opensips_protocols="[udp, tcp, tls]", sipha_sip_tls_certificate="given-in-the-inventory",
                   sipha_sip_tls_private_key="given-in-the-inventory")
    cfg = files[("sip-a", "opensips.cfg")]
    assert modparam([cfg], "tls_mgm", "certificate") == "[default]/etc/ssl/sipha/sip.crt"
    assert modparam([cfg], "tls_mgm", "private_key") == "[default]/etc/ssl/sipha/sip.key"
