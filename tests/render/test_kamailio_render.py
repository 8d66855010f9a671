# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""kamailio.cfg as the role renders it, for the variants the lab does not run.

The lab runs the defaults (two nodes, MariaDB, dispatcher and
rtpengine on, DB-only usrloc) and checks them with `kamailio -c` and real
calls. These render the role's real templates for three nodes, PostgreSQL,
the other usrloc and dialog modes, no dispatcher and no media relay, and
check what a Kamailio engineer would look for in each file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

NODES = {"sip-a": "10.0.0.11/24", "sip-b": "10.0.0.12/24", "sip-c": "10.0.0.13/24"}
BASE = {
    "sipha_vip": "203.0.113.10/24",
    "sipha_public_gateway": "203.0.113.1",
    "sipha_db_host": "10.0.0.21",
    "sipha_db_password": "Xq7-render-test-secret",
    "sipha_sip_secret": "Kx9-render-sip-secret-of-32-characters",
    "kamailio_media_servers": "[{address: 10.0.0.31}, {address: 10.0.0.32, port: 5080, transport: tcp}]",
}


def render(run_render, **cluster):
    files, output = run_render("render_kamailio.yml", dict(BASE, **cluster), NODES)
    # The password goes into sipha-secrets.cfg only, and never into Ansible's
    # output; nor does the SIP secret.
    assert "Xq7-render-test-secret" not in output
    assert "Kx9-render-sip-secret" not in output
    return files


def modparam(cfg, module, name):
    match = re.search(r'^modparam\("%s", "%s", "?([^")]*)"?\)' % (re.escape(module), re.escape(name)), cfg, re.M)
    return match.group(1) if match else None


def loaded(cfg):
    return re.findall(r'^loadmodule "([a-z_0-9]+)\.so"', cfg, re.M)


def balanced(cfg):
    """Braces balance once comments and strings are taken out."""
    code = re.sub(r'"[^"\n]*"', '""', cfg)
    code = re.sub(r"#.*", "", code)
    return code.count("{") == code.count("}")


def test_defaults_for_three_nodes(run_render):
    files = render(run_render)
    for name, own in NODES.items():
        cfg = files[(name, "kamailio.cfg")]
        own_ip = own.partition("/")[0]
        assert balanced(cfg)
        assert cfg.startswith("#!KAMAILIO\n")
        # The VIP and the node's own private address, UDP and TCP.
        for proto in ("udp", "tcp"):
            assert "listen=%s:203.0.113.10:5060 advertise 203.0.113.10:5060" % proto in cfg
            assert "listen=%s:%s:5060\n" % (proto, own_ip) in cfg
        # The health check's socket, last, with a worker of its own.
        assert "socket_workers=1\nlisten=udp:203.0.113.10:5059\n" in cfg
        # Every other node's private address is an alias, not this one's.
        aliases = re.findall(r"^alias=(\S+)$", cfg, re.M)
        assert sorted(aliases) == sorted("%s:5060" % ip.partition("/")[0] for other, ip in NODES.items() if other != name)
        # Nothing tells a scanner the software, its version or the node.
        assert "server_signature=no" in cfg and "Server:" not in cfg and name not in cfg.partition("####### Global")[2]
        # Shared database, DB-only usrloc (nothing to replicate), realtime dialogs.
        assert 'import_file "/etc/kamailio/sipha-secrets.cfg"' in cfg
        assert "Xq7-render-test-secret" not in cfg
        assert modparam(cfg, "usrloc", "db_mode") == "3"
        assert "dmq_usrloc" not in loaded(cfg) and modparam(cfg, "usrloc", "timer_interval") is None
        # A lookup that found nobody may be a database that did not answer.
        assert 'if ($var(rc) == -3 || !sql_query("sipha", "SELECT 1")) {' in cfg
        assert modparam(cfg, "dialog", "db_mode") == "1"
        assert {"db_mysql", "usrloc", "registrar", "dialog", "dispatcher", "nathelper", "rtpengine"} <= set(loaded(cfg))
        assert modparam(cfg, "rtpengine", "rtpengine_sock") == "udp:127.0.0.1:2223"
        assert "route(MEDIA_SERVERS);" in cfg and "failure_route[MEDIA_SERVER_FAILED]" in cfg
        # Probes from the private address; an unanswered probe (408) is not "alive".
        assert modparam(cfg, "dispatcher", "ds_ping_from") == "sip:dispatcher@%s" % own_ip
        assert "class=4" not in modparam(cfg, "dispatcher", "ds_ping_reply_codes")
        db = files[(name, "sipha-secrets.cfg")]
        assert '#!define DBURL "mysql://kamailio:Xq7-render-test-secret@10.0.0.21:3306/kamailio"' in db
        assert_safe_edge(cfg, db, own_ip)
        assert files[(name, "dispatcher.list")].splitlines()[-2:] == [
            "1 sip:10.0.0.31:5060;transport=udp 0 0 ",
            "1 sip:10.0.0.32:5080;transport=tcp 0 0 ",
        ]


def assert_safe_edge(cfg, db, own_ip):
    """The defaults of the SIP edge (README.md, "Security")."""
    # Digest authentication against the subscriber table's hashes, with the
    # cluster's nonce secret (from the secrets file, never in kamailio.cfg).
    assert {"auth", "auth_db", "pike", "htable", "sqlops"} <= set(loaded(cfg))
    assert '#!define SIP_SECRET "Kx9-render-sip-secret-of-32-characters"' in db
    assert "Kx9-render-sip-secret-of-32-characters" not in cfg
    assert 'modparam("auth", "secret", SIP_SECRET)' in cfg
    assert modparam(cfg, "auth_db", "calculate_ha1") == "0" and modparam(cfg, "auth_db", "password_column") == "ha1"
    assert modparam(cfg, "auth_db", "use_domain") == "1"
    assert 'auth_check("$fd", "subscriber", "1")' in cfg and "route(AUTH);" in cfg
    # No per-node nonce state: another node's challenge stays good.
    assert modparam(cfg, "auth", "nonce_count") is None and modparam(cfg, "auth", "one_time_nonce") is None
    assert modparam(cfg, "registrar", "max_contacts") == "5"
    # Flood limit and ban; the node itself and the trusted peers are exempt.
    assert modparam(cfg, "pike", "reqs_density_per_unit") == "50" and modparam(cfg, "pike", "sampling_time_unit") == "2"
    assert 'modparam("htable", "htable", "sipha_ban=>size=10;autoexpire=300;")' in cfg
    assert '#!define TRUSTED_PEERS "10.0.0.31,10.0.0.32"' in cfg
    assert ('#!define INSIDE_NETS "10.0.0.0/24,203.0.113.10/32,0.0.0.0/8,127.0.0.0/8,169.254.0.0/16,224.0.0.0/4,'
            '255.255.255.255/32,::/128,::1/128,fe80::/10,ff00::/8"') in cfg
    assert 'if (is_in_subnet("$si", TRUSTED_PEERS) && ($Ri == "%s" || !is_in_subnet("$si", INSIDE_NETS))) {' % own_ip in cfg
    assert '#!define OWN_ADDRESSES "203.0.113.10/32,%s/32"' % own_ip in cfg
    assert "FLOOD_EXEMPT" not in cfg and "src_ip == myself" not in cfg
    # REGISTER is never a trusted peer's; an ACK without a To tag is dropped;
    # a stateless ACK passes the guard too; a registered contact is never a
    # trusted peer.
    assert "if (isflagset(FLT_TRUSTED) && !is_method(\"REGISTER\")) {" in cfg
    assert 'if (is_method("ACK")) {\n\t\texit;\n\t}\n\t# No preloaded Route' in cfg
    assert 'route[RELAY] {\n\t# The first destination here' in cfg and 'send_reply("403", "Forbidden");\n\t\t}\n\t\texit;' in cfg
    assert "setflag(FLT_TO_CONTACT);" in cfg and "if (isflagset(FLT_TO_CONTACT)) {" in cfg
    # Signed Record-Route, in-dialog requests only along it.
    assert 'add_rr_param(";st=$var(rr_time);sg=$var(signature)");' in cfg
    assert '$var(signed) = SIP_SECRET + ":" + $ci + ":" + $var(rr_ftag) + ":" + $var(rr_time) + ":" + SIP_SECRET;' in cfg
    assert "#!define DIALOG_MAX_AGE 46800" in cfg and "$var(rr_age) > DIALOG_MAX_AGE" in cfg
    # Identity headers from untrusted sources are dropped.
    for header in ("P-Asserted-Identity", "Remote-Party-ID", "Diversion", "History-Info", "P-Charge-Info"):
        assert 'remove_hf("%s");' % header in cfg
    # A lookup the database did not answer is not "not registered".
    assert 'sql_query("sipha", "SELECT 1")' in cfg and 'sl_send_reply("503", "Service Unavailable");' in cfg
    assert "sipha-local.cfg" not in cfg and "LOCAL_REQUEST" not in cfg


def test_edge_settings_an_operator_changes(run_render):
    """Authentication off (phones in listed networks only), a trunk, a domain
    name, an exempt network, the operator's own routing, a Server header."""
    files = render(run_render, kamailio_auth="false", kamailio_register_networks="[198.51.100.0/24]",
                   sipha_trusted_peers="[192.0.2.7, 192.0.2.64/28]", sipha_flood_exempt_networks="[198.51.100.0/24]",
                   sipha_sip_domains="[sip.example.com, 203.0.113.10]", sipha_max_contacts=2,
                   node_private_routes="[{to: 10.9.0.0/16, via: 10.0.0.1}]",
                   kamailio_server_header="'Edge {{ inventory_hostname }}'",
                   kamailio_local_routing="'route[LOCAL_REQUEST] { return; }'")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert balanced(cfg)
    assert "auth_db" not in loaded(cfg) and "route(AUTH);" not in cfg and "auth_check" not in cfg
    # Without authentication only the listed networks may start anything.
    edge = cfg.partition("route[EDGE] {")[2].partition("\n}\n")[0]
    assert 'if (!is_in_subnet("$si", "198.51.100.0/24")) {' in edge
    assert '#!define TRUSTED_PEERS "10.0.0.31,10.0.0.32,192.0.2.7,192.0.2.64/28"' in cfg
    assert '#!define FLOOD_EXEMPT "198.51.100.0/24"' in cfg
    assert '#!define INSIDE_NETS "10.0.0.0/24,10.9.0.0/16,203.0.113.10/32,0.0.0.0/8,' in cfg
    assert "alias=sip.example.com\n" in cfg and "alias=203.0.113.10\n" not in cfg
    assert modparam(cfg, "registrar", "max_contacts") == "2"
    assert 'server_header="Server: Edge sip-a"' in cfg and "server_signature" not in cfg
    assert 'include_file "/etc/kamailio/sipha-local.cfg"' in cfg and "\troute(LOCAL_REQUEST);" in cfg


def test_postgresql_and_the_other_modes(run_render):
    files = render(run_render, sipha_db_engine="postgresql", kamailio_usrloc_db_mode="write_back",
                   kamailio_dialog_db_mode="delayed", kamailio_protocols="[udp]")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert balanced(cfg)
    assert "db_postgres" in loaded(cfg) and "db_mysql" not in loaded(cfg)
    assert modparam(cfg, "usrloc", "db_mode") == "2"
    assert modparam(cfg, "dialog", "db_mode") == "2"
    assert "listen=tcp:" not in cfg
    assert '"postgres://kamailio:Xq7-render-test-secret@10.0.0.21:5432/kamailio"' in files[("sip-a", "sipha-secrets.cfg")]


def test_registrations_in_memory_replicated(run_render):
    files = render(run_render, kamailio_usrloc_db_mode="write_back", kamailio_dialog_replication="false")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert balanced(cfg)
    # In memory on every node, written back every 10 s (a second insert of
    # the same contact by another node updates it), replicated as they
    # change and asked for at start; dmq loaded for them alone.
    assert modparam(cfg, "usrloc", "db_mode") == "2"
    assert modparam(cfg, "usrloc", "timer_interval") == "10" and modparam(cfg, "usrloc", "db_insert_update") == "1"
    assert loaded(cfg).index("dmq") < loaded(cfg).index("dmq_usrloc") and "enable_dmq" not in cfg
    assert modparam(cfg, "dmq_usrloc", "enable") == "1" and modparam(cfg, "dmq_usrloc", "sync") == "1"
    assert 'dmq_handle_message();' in cfg
    # A lookup that finds nobody means nobody: the database is not asked.
    assert 'if ($var(rc) == -3) {' in cfg and '$var(rc) == -3 || !sql_query' not in cfg


def test_registrations_replicated_as_register_copies(run_render):
    files = render(run_render, kamailio_usrloc_db_mode="write_back", kamailio_usrloc_replication_method="register_copy",
                   kamailio_dialog_replication="false")
    for name, own in NODES.items():
        cfg = files[(name, "kamailio.cfg")]
        own_ip = own.partition("/")[0]
        others = sorted(ip.partition("/")[0] for other, ip in NODES.items() if other != name)
        assert balanced(cfg)
        # Neither dmq nor dmq_usrloc: a stored REGISTER goes to every other
        # node as one UDP datagram from this node's private socket, the
        # phone's own X-Sipha-* headers removed first, signed, with the
        # socket it came in on (add_sock_hdr: IPv6 in brackets).
        assert modparam(cfg, "usrloc", "db_mode") == "2" and "dmq" not in loaded(cfg) and "dmq_usrloc" not in loaded(cfg)
        copy = cfg.partition("route[COPY_REGISTER] {")[2].partition("\n}")[0]
        assert copy.index('remove_hf_re("^X-Sipha-");') < copy.index("route(COPY_SIGNATURE);")
        assert copy.index("route(COPY_SIGNATURE);") < copy.index(
            'append_hf("X-Sipha-Copy: t=$var(copy_time);sg=$var(copy_signature)')
        assert 'add_sock_hdr("X-Sipha-Socket");' in copy and "$pr:$Ri" not in copy
        assert '$fs = "udp:%s:5060";' % own_ip in copy
        assert re.findall(r'forward_udp\("([0-9.]+)", 5060\);', copy) == others and "forward(" not in copy
        # The signature is keyed with the secret on both sides and covers
        # what the copy registers.
        signature = cfg.partition("route[COPY_SIGNATURE] {")[2].partition("\n}")[0]
        for part in ("SIP_SECRET + \":\" + $ci + \":\" + $cs + \":\" + $tu", "$var(copy_contacts)", "$var(copy_expires)",
                     "$var(copy_received)", "$var(copy_time) + \":\" + SIP_SECRET;", "{s.sha256}"):
            assert part in signature
        # Only after a successful save(); stored in memory only (the node
        # that accepted the REGISTER writes the one row), with the socket it
        # named, unanswered, once its signature and age are checked.
        registrar = cfg.partition("route[REGISTRAR] {")[2].partition("\n}")[0]
        assert registrar.index("sl_reply_error();\n\t\texit;") < registrar.index("route(COPY_REGISTER);")
        assert modparam(cfg, "registrar", "sock_flag") == "FLT_COPY_SOCKET" and "#!define FLT_COPY_SOCKET 10" in cfg
        assert modparam(cfg, "registrar", "sock_hdr_name") == "X-Sipha-Socket"
        save_copy = cfg.partition("route[SAVE_COPY] {")[2].partition("\n}")[0]
        assert save_copy.index("$(hdr(X-Sipha-Copy){param.value,sg}) != $var(copy_signature)") < save_copy.index(
            'save("location", "0x03")')
        assert "$var(copy_age) > COPY_MAX_AGE" in save_copy and "#!define COPY_MAX_AGE 30" in cfg
        # One row a contact: found by user and contact, not by ruid.
        assert modparam(cfg, "usrloc", "db_ops_ruid") == "0" and modparam(cfg, "usrloc", "matching_mode") == "0"
        assert modparam(cfg, "usrloc", "db_check_update") == "1" and modparam(cfg, "usrloc", "db_timer_clean") == "1"
        # A copy counts only from another node to this one's private address.
        assert '#!define CLUSTER_PEERS "%s"' % ",".join("%s/32" % peer for peer in others) in cfg
        guard = cfg.partition('if ((is_method("REGISTER") && is_present_hf("X-Sipha-Copy"))\n'
                              '\t\t\t|| (is_method("OPTIONS") && is_present_hf("X-Sipha-Resync"))) {')[2]
        guard = guard.partition("\n\t}")[0]
        peer_branch, stranger_branch = guard.split("\n\t\t} else {")
        assert '$Ri == "%s" && is_in_subnet("$si", CLUSTER_PEERS)' % own_ip in peer_branch
        assert "route(SAVE_COPY);" in peer_branch and "route(RESYNC_ASK);" in peer_branch
        # From anyone else: dropped, and a flood of them banned like any other.
        assert stranger_branch.index("route(FLOOD);") < stranger_branch.index("route(REFUSED);")
        assert "route(SAVE_COPY)" not in stranger_branch
        assert guard.rstrip().endswith("exit;")
        # A node that starts asks every peer (its unit's ExecStartPost, its
        # failure not the start's); the peer checks the ask like a copy,
        # answers it once, and sends what it holds.
        command = ("/usr/libexec/sipha/sipha-usrloc-resync --secrets /etc/kamailio/sipha-secrets.cfg --from %s "
                   "--port 5060 --fifo /run/kamailio/kamailio_rpc.fifo" % own_ip)
        dropin = files[(name, "usrloc-resync.conf")]
        assert "\nExecStartPost=-%s ask %s\n" % (command, " ".join(others)) in dropin
        ask = cfg.partition("route[RESYNC_ASK] {")[2].partition("\n}")[0]
        assert ask.index("{s.sha256}{s.substr,0,24})") < ask.index("$sht(sipha_resync=>$var(ask_nonce)) != $null")
        # Field for field what usrloc_copy.ask_signature signs: the asking
        # address (compared with the source), this node's, nonce, time.
        assert ('$var(signed) = SIP_SECRET + ":resync:" + $var(ask_from) + ":%s:" + $var(ask_nonce)\n'
                '\t\t+ ":" + $var(ask_time) + ":" + SIP_SECRET;' % own_ip) in ask
        assert '!compare_ips("$si", "$var(ask_from)")' in ask and "$var(ask_age) > COPY_MAX_AGE" in ask
        assert ask.index("$sht(sipha_resync=>$var(ask_nonce)) = 1;") < ask.index(
            'exec_cmd("%s send --to $si </dev/null >/dev/null 2>&1 &");' % command)
        assert "exec" in loaded(cfg) and "sipha_resync=>size=4;autoexpire=60;" in cfg
        assert modparam(cfg, "jsonrpcs", "fifo_name") == "/run/kamailio/kamailio_rpc.fifo"
        # Refusals are logged once a minute per source and reason.
        refused = cfg.partition("route[REFUSED] {")[2].partition("\n}")[0]
        assert refused.index("$sht(sipha_refused=>$si/$var(refused)) == $null") < refused.index("xlog(")
        assert refused.rstrip().endswith("exit;") and "sipha_refused=>size=8;autoexpire=60;" in cfg
        for route in ("SAVE_COPY", "RESYNC_ASK"):
            body = cfg.partition("route[%s] {" % route)[2].partition("\n}")[0]
            assert "route(REFUSED);" in body and "xlog(\"L_WARN\"" not in body
        # A copy sent again is skipped when this node holds that REGISTER or
        # changed the contact since it started.
        assert save_copy.index("route(RESYNC_HELD);") < save_copy.index('save("location", "0x03")')
        held = cfg.partition("route[RESYNC_HELD] {")[2].partition("\n}")[0]
        assert "$(ulc(held=>cseq)[$var(i)]) >= $cs" in held and "$(ulc(held=>modified)[$var(i)]) >= $Tb" in held


def test_dmq_replication_copies_no_register(run_render):
    cfg = render(run_render, kamailio_usrloc_db_mode="write_back")[("sip-a", "kamailio.cfg")]
    assert "X-Sipha-Copy" not in cfg and "sock_hdr_name" not in cfg and "dmq_usrloc" in loaded(cfg)
    assert "X-Sipha-Resync" not in cfg and "exec" not in loaded(cfg)
    # dmq carries the ruid: rows stay found by it.
    assert modparam(cfg, "usrloc", "db_ops_ruid") is None


def test_db_only_replicates_no_registration(run_render):
    # Every node reads the same rows: replication asked for is not loaded.
    files = render(run_render, kamailio_usrloc_replication="true", sipha_dialog_replication="false")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert modparam(cfg, "usrloc", "db_mode") == "3" and "dmq_usrloc" not in loaded(cfg) and "dmq" not in loaded(cfg)


def test_registrations_in_memory_alone(run_render):
    files = render(run_render, kamailio_usrloc_db_mode="memory", sipha_dialog_replication="false")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert modparam(cfg, "usrloc", "db_mode") == "0" and modparam(cfg, "usrloc", "db_insert_update") is None
    assert modparam(cfg, "usrloc", "timer_interval") == "10" and "dmq_usrloc" in loaded(cfg)


def test_no_dispatcher_and_no_media_relay(run_render):
    files = render(run_render, kamailio_dispatcher="false", sipha_media_relay="none", kamailio_media_servers="[]")
    cfg = files[("sip-b", "kamailio.cfg")]
    assert balanced(cfg)
    assert "dispatcher" not in loaded(cfg) and "rtpengine" not in loaded(cfg)
    assert "ds_select_dst" not in cfg and "rtpengine_manage" not in cfg
    # Unregistered numbers get 404 instead of a media server.
    assert "route(MEDIA_SERVERS);" not in cfg
    assert 'sl_send_reply("404", "Not Found");' in cfg


def test_register_networks_and_advertised_address(run_render):
    files = render(run_render, kamailio_register_networks="[198.51.100.0/24, 192.0.2.0/25]",
                   kamailio_advertise_address="192.0.2.200")
    cfg = files[("sip-c", "kamailio.cfg")]
    assert 'if (!is_in_subnet("$si", "198.51.100.0/24,192.0.2.0/25")) {' in cfg
    assert "listen=udp:203.0.113.10:5060 advertise 192.0.2.200:5060" in cfg


def test_rtpproxy_relay(run_render):
    # RTPproxy (or rtpengine's legacy listener) over the classic protocol;
    # the lab runs this path for real (molecule/default/relay_rtpproxy.yml).
    files = render(run_render, sipha_media_relay="rtpproxy")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert balanced(cfg)
    mods = loaded(cfg)
    assert "rtpproxy" in mods and "rtpengine" not in mods
    assert modparam(cfg, "rtpproxy", "rtpproxy_sock") == "udp:127.0.0.1:7722"
    assert not re.search(r"rtpengine_(manage|offer|answer)", cfg)
    # i/e: the side each message came from, then the side it goes to.
    assert 'rtpproxy_manage("co$var(from_side)$var(to_side)");' in cfg
    assert '$var(next_hop) = $T_req($si);' in cfg


def test_rtpproxy_control_socket_follows_the_relay_role(run_render):
    files = render(run_render, sipha_media_relay="rtpproxy", rtpproxy_control_socket="udp:127.0.0.1:22222")
    assert modparam(files[("sip-b", "kamailio.cfg")], "rtpproxy", "rtpproxy_sock") == "udp:127.0.0.1:22222"


def environment(text):
    """The NAME=value lines of an environment file, comments aside."""
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_database_tls_on_mariadb(run_render):
    # MariaDB: libmariadb reads no TLS option from the URL, so the URL names
    # an option group found through MARIADB_HOME in Kamailio's environment.
    files = render(run_render, sipha_db_tls="true")
    secrets = files[("sip-a", "sipha-secrets.cfg")]
    assert '#!define DBURL "mysql://kamailio:Xq7-render-test-secret@[sipha]10.0.0.21:3306/kamailio"' in secrets
    env = environment(files[("sip-a", "kamailio.default")])
    assert env["MARIADB_HOME"] == "/etc/sipha/db-client"
    assert not any(name.startswith("PGSSL") for name in env)


def test_database_tls_on_postgresql(run_render):
    # libpq checks the server against the cluster's CA and its name.
    files = render(run_render, sipha_db_tls="true", sipha_db_engine="postgresql")
    assert "@10.0.0.21:5432/kamailio" in files[("sip-a", "sipha-secrets.cfg")]
    env = environment(files[("sip-a", "kamailio.default")])
    assert env["PGSSLMODE"] == "verify-full" and env["PGSSLROOTCERT"] == "/etc/ssl/sipha/db-ca.crt"
    assert "MARIADB_HOME" not in env


def test_postgresql_connections_time_out(run_render):
    # The proxy waits for the database before it starts with no timeout of
    # its own (sipha-db-wait); libpq must not wait for ever after that.
    files = render(run_render, sipha_db_engine="postgresql")
    env = environment(files[("sip-a", "kamailio.default")])
    assert env["PGCONNECT_TIMEOUT"] == "10"
    assert not any(name.startswith("PGSSL") for name in env)


def test_database_tls_off_leaves_url_and_environment_plain(run_render):
    files = render(run_render)
    assert "@10.0.0.21:3306/kamailio" in files[("sip-a", "sipha-secrets.cfg")]
    env = environment(files[("sip-a", "kamailio.default")])
    assert set(env) == {"CFGFILE", "SHM_MEMORY", "PKG_MEMORY"}


def test_dialogs_replicated_and_the_floating_private_address(run_render):
    """dmq replicates every dialog between the three nodes; the floating
    private address is the proxy's address toward the media servers."""
    files = render(run_render, sipha_private_vip="10.0.0.100")
    for index, (name, own) in enumerate(sorted(NODES.items())):
        cfg = files[(name, "kamailio.cfg")]
        own_ip = own.partition("/")[0]
        peers = [ip.partition("/")[0] for other, ip in sorted(NODES.items()) if other != name]
        assert balanced(cfg)
        # dmq before dialog, which replicates through it.
        modules = loaded(cfg)
        assert modules.index("dmq") < modules.index("dialog")
        assert modparam(cfg, "dialog", "enable_dmq") == "1"
        # Each node numbers its dialogs apart from the others'.
        assert modparam(cfg, "dialog", "h_id_start") == str(index + 1)
        assert modparam(cfg, "dialog", "h_id_step") == "3"
        assert modparam(cfg, "dmq", "server_address") == "sip:%s:5060" % own_ip
        assert re.findall(r'^modparam\("dmq", "notification_address", "sip:([^"]+)"\)', cfg, re.M) == [
            "%s:5060" % peer for peer in peers]
        # KDMQ from the other nodes only, on this node's own address; first of all.
        assert '#!define CLUSTER_PEERS "%s"' % ",".join("%s/32" % peer for peer in peers) in cfg
        kdmq = cfg.index('if (is_method("KDMQ"))')
        assert kdmq < cfg.index("route(FLOOD);", cfg.index("request_route {"))
        assert 'if ($Ri == "%s" && is_in_subnet("$si", CLUSTER_PEERS))' % own_ip in cfg
        # The floating private address: listened on, and the socket toward the private network.
        for proto in ("udp", "tcp"):
            assert "listen=%s:10.0.0.100:5060\n" % proto in cfg
            assert '$fs = "%s:" + PRIVATE_VIP + ":5060";' % proto in cfg
        assert '#!define PRIVATE_VIP "10.0.0.100"' in cfg
        assert "route(PRIVATE_SOCKET);" in cfg
        # A media server counts as trusted on the floating address too.
        assert '|| $Ri == PRIVATE_VIP ||' in cfg


def test_no_dialog_replication_and_no_floating_private_address(run_render):
    files = render(run_render, sipha_dialog_replication=False)
    cfg = files[("sip-a", "kamailio.cfg")]
    assert "dmq" not in loaded(cfg) and "KDMQ" not in cfg and "enable_dmq" not in cfg
    assert "PRIVATE_VIP" not in cfg and "$fs" not in cfg


def test_tls_and_an_ipv6_vip_on_the_vips_with_the_cluster_certificate(run_render):
    # One render for two features (each render is a playbook run in CI).
    files = render(run_render, kamailio_protocols="[udp, tcp, tls]", kamailio_tls_port="5062",
                   sipha_vip6="2001:db8:20::10/64", sipha_public_gateway6="fe80::1")
    cfg = files[("sip-a", "kamailio.cfg")]
    assert balanced(cfg)
    # Before the database driver, which links OpenSSL too.
    assert loaded(cfg)[0] == "tls"
    assert "enable_tls=yes\n" in cfg and "tls_threads_mode=2\n" in cfg
    assert modparam(cfg, "tls", "certificate") == "/etc/ssl/sipha/sip.crt"
    assert modparam(cfg, "tls", "private_key") == "/etc/ssl/sipha/sip.key"
    assert modparam(cfg, "tls", "tls_method") == "TLSv1.2+"
    # Every transport on both VIPs (the IPv6 one without advertise), the
    # private address without TLS, the health check's socket last.
    assert re.findall(r"^listen=(.*)$", cfg, re.M) == [
        "udp:203.0.113.10:5060 advertise 203.0.113.10:5060", "udp:[2001:db8:20::10]:5060", "udp:10.0.0.11:5060",
        "tcp:203.0.113.10:5060 advertise 203.0.113.10:5060", "tcp:[2001:db8:20::10]:5060", "tcp:10.0.0.11:5060",
        "tls:203.0.113.10:5062 advertise 203.0.113.10:5062", "tls:[2001:db8:20::10]:5062",
        "udp:203.0.113.10:5059",
    ]
    # The IPv6 VIP is the node's own and nothing is relayed to it.
    assert "2001:db8:20::10/128" in re.search(r'^#!define OWN_ADDRESSES "([^"]*)"', cfg, re.M).group(1).split(",")
    assert "2001:db8:20::10/128" in re.search(r'^#!define INSIDE_NETS "([^"]*)"', cfg, re.M).group(1).split(",")


def test_no_tls_and_no_ipv6_by_default(run_render):
    cfg = render(run_render)[("sip-a", "kamailio.cfg")]
    assert "tls" not in loaded(cfg) and "enable_tls" not in cfg and "listen=tls:" not in cfg
    assert not [line for line in re.findall(r"^listen=(\S+)", cfg, re.M) if "[" in line]
