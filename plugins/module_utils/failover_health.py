# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health judgement of sipha-failover: check, watch and given-up tracking.

What the HA managers act on, decided here and only here: whether this node
can serve the group (``check``, keepalived's track script and heartbeat's
watch), when the watch restarts the proxy and when it hands the group over
(``Watch``), and which proxy units systemd has given up (``given_up``).

The kernel is judged by vip_state's ``group_state`` (the same code verify.yml
runs through the vip_state module, tested on the same recorded output). What
the node is asked and what it is told to do goes through a ``node`` object
(roles/failover/files/sipha-health reads ip, systemctl and the SIP probe, and
leaves what changes the node to sipha-failover's bash), so every decision is
tested here without a kernel or systemd. Installed on the nodes beside
sipha-health as sipha_failover_health.py: only the standard library.

Exit codes of a check: 0 this node can serve; 1 its services cannot (the
watch restarts them first); 3 the node itself cannot (public link, route, a
proxy waiting for the database while a peer's runs, the VIP guard keeps it
out): restarting the proxy would not help.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

OK = 0
SERVICE_FAILED = 1
NODE_BROKEN = 3

# systemd is starting, stopping or reloading the unit (Restart=, a rollout).
IN_TRANSITION = ("activating", "deactivating", "reloading")
# The last state the HA manager reported (sipha-failover's STATE_DIR/state)
# when it takes the group away from this node: heartbeat's route member
# stopped (the VIP goes right after it), keepalived's BACKUP, FAULT or STOP.
LEAVING = ("STANDBY", "BACKUP", "FAULT", "STOP")


class SettingsError(ValueError):
    """A value of failover.conf that cannot be used."""


def _number(env, name, kind, minimum):
    raw = env.get(name, "")
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError("%s must be a number, got %r (failover.conf)" % (name, raw))
    if value < minimum:
        raise SettingsError("%s must be at least %s, got %r (failover.conf)" % (name, minimum, raw))
    return value


class Settings(object):
    """failover.conf as sipha-failover exports it (strings, as bash sees them).

    Only what the judgement reads; the watch's numbers only when asked for
    (``watch=True``), so that a check never fails over a watch setting.
    """

    def __init__(self, env, watch=False):
        self.vip = env.get("VIP", "")
        self.public_if = env.get("PUBLIC_IF", "")
        if not self.vip or not self.public_if:
            raise SettingsError("VIP and PUBLIC_IF must be set (failover.conf)")
        self.gateway = env.get("GATEWAY", "")
        # Dual stack: the IPv6 VIP moves with the VIP, and has a route of its own.
        self.vip6 = env.get("VIP6", "")
        self.gateway6 = env.get("GATEWAY6", "")
        self.proxy_units = env.get("PROXY_UNITS", "").split()
        self.proxy_standby = env.get("PROXY_STANDBY", "hot")
        self.addon_units = env.get("ADDON_UNITS", "").split()
        self.addon_standby = env.get("ADDON_STANDBY", "hot")
        self.sip_check = env.get("SIP_CHECK", "no") == "yes"
        # The port the check asks on the VIP: the proxy's health socket, with
        # a worker of its own that phones' requests never occupy
        # (sipha_health_port). The name stays: a rollout replaces this file
        # before sipha-health, which reads it.
        self.sip_port = env.get("HEALTH_PORT") or env.get("SIP_PORT", "5060")
        self.sip_timeout = env.get("SIP_TIMEOUT", "1.0")
        self.peers = env.get("PEERS", "").split()
        self.vip_guard = env.get("VIP_GUARD", "no") == "yes"
        if watch:
            self.watch_interval = _number(env, "WATCH_INTERVAL", float, 0.01)
            self.watch_fall = _number(env, "WATCH_FALL", int, 1)
            self.restart_limit = _number(env, "RESTART_LIMIT", int, 0)
            self.restart_window = _number(env, "RESTART_WINDOW", int, 1)
            self.handover_command = env.get("HANDOVER_COMMAND", "").split()
            self.handover_timeout = _number(env, "HANDOVER_TIMEOUT", int, 0)


def units_to_run(settings, holder):
    """The group's units this node should be running, as (kind, unit): kind "proxy" or "addon".

    Hot units run everywhere, cold ones only on the holder.
    """
    for kind, units, standby in (("proxy", settings.proxy_units, settings.proxy_standby), ("addon", settings.addon_units, settings.addon_standby)):
        if standby == "hot" or holder:
            for unit in units:
                yield kind, unit


def _guarded(node, holding):
    """The VIP guard's word (it keeps a node out of a split brain and holds a flapping one down)."""
    return OK if node.guard(holding) else NODE_BROKEN


def check(node, settings):
    """Whether this node can serve the group: OK, SERVICE_FAILED or NODE_BROKEN.

    Says nothing when all is well (it runs every second or so) and names the
    reason in the log when not. ``node`` answers: ``group_changing()``,
    ``kernel()`` (vip_state.group_state), ``recorded_state()``, ``unit_states(units)``,
    ``waits_for_db(unit)``, ``repair_route()``, ``answering_peer()``,
    ``sip_answers()``, ``guard(holding)`` and ``log(priority, message)``.
    """
    # While up or down runs, the group is changing on purpose: cold units
    # are still starting, the route is not there yet. Judge it afterwards;
    # a takeover never waits for a check. The guard has a lock of its own:
    # a holder asks even now, so that a newcomer whose first probe missed
    # the holder does not pass the grace while a slow group comes up.
    if node.group_changing():
        if settings.vip_guard and node.kernel()["holds_vip"]:
            return _guarded(node, True)
        return OK
    kernel = node.kernel()
    holder = kernel["holds_vip"]
    # The HA manager is taking the group away and the VIP is about to go
    # (heartbeat removes it after the route member): putting the route back
    # now would answer the phones once more, between two outages.
    if holder and node.recorded_state() in LEAVING:
        return OK
    # Before the units: a node that yielded the VIP to another holder stays
    # out whatever its units say. The holder asks last (below), so that its
    # probe never delays finding a broken proxy.
    if not holder and not node.guard(False):
        return NODE_BROKEN
    restarting = waiting_for_db = False
    units = list(units_to_run(settings, holder))
    states = node.unit_states([unit for dummy, unit in units])
    for (kind, unit), state in zip(units, states):
        if state == "active":
            continue
        if state in IN_TRANSITION:
            # Restart first, move only when that fails: once its restarts
            # run out the unit is "failed", and the next check fails. A
            # proxy waiting for the shared database (sipha-db-wait) logs
            # for itself: no line every second here.
            if kind == "proxy" and node.waits_for_db(unit):
                waiting_for_db = True
            else:
                node.log("info", "check: %s is %s, waiting for systemd" % (unit, state))
            restarting = True
            continue
        node.log("warning", "check failed: %s is %s" % (unit, state or "unknown"))
        return SERVICE_FAILED
    if not holder:
        return OK
    # The VIP answers locally even with the public link down, so the SIP
    # probe cannot see this: ask the link.
    if not kernel["public_link_up"]:
        node.log("warning", "check failed: the public link %s is down" % settings.public_if)
        return NODE_BROKEN
    # A holder without its way out serves nobody beyond the public segment:
    # put the route back once, and give the group up if that fails.
    if settings.gateway and not kernel["holder_route"]:
        node.log("warning", "check: %s is here but the default route is missing; adding it again" % settings.vip)
        node.repair_route()
        if not node.kernel()["holder_route"]:
            node.log("warning", "check failed: no default route via %s with source %s%s" % (
                settings.gateway, settings.vip, " (or via %s with source %s)" % (settings.gateway6, settings.vip6) if settings.vip6 else ""))
            return NODE_BROKEN
    # Waiting for the database is no reason to move while no other node
    # serves either (with it down everywhere, moving only adds outages); but
    # a peer whose proxy runs serves better than one that is not running.
    if waiting_for_db:
        peer = node.answering_peer()
        if peer:
            node.log("warning", "check failed: the proxy here waits for the database, and the one on %s runs; the group goes there" % peer)
            return NODE_BROKEN
        return _guarded(node, True)
    # A proxy that systemd is restarting cannot answer yet.
    if restarting:
        return OK
    if settings.sip_check and not node.sip_answers():
        node.log("warning", "check failed: no answer to SIP OPTIONS on %s:%s within %s s" % (settings.vip, settings.sip_port, settings.sip_timeout))
        return SERVICE_FAILED
    return _guarded(node, True)


def given_up(units, states):
    """The units systemd will not restart again (failed), of ``units`` whose states are ``states``.

    A unit that systemd is about to restart is activating, not failed: restart
    first still holds; one stopped on purpose is inactive, the check's business.
    """
    return [unit for unit, state in zip(units, states) if state == "failed"]


class Watch(object):
    """Restart, then migrate, for managers that do not check the group (heartbeat's haresources).

    Only the VIP holder acts. A restart counts whoever made it: systemd's own
    (NRestarts going up) or the watch's. Up to ``restart_limit`` of them in
    ``restart_window`` seconds; ``watch_fall`` failed checks in a row past
    that hand the group to a peer. A node that cannot serve (NODE_BROKEN)
    hands it over at once: restarting the proxy would not help.
    """

    def __init__(self, settings):
        self.settings = settings
        self.restarts = []
        self.fails = 0
        self.nrestarts = {}

    def systemd_restarted(self, unit, count, now):
        """Note systemd's restart counter of ``unit``; True when it went up since the last look."""
        last = self.nrestarts.get(unit)
        self.nrestarts[unit] = count
        if last is not None and count > last:
            self.restarts.append(now)
            return True
        return False

    def after_check(self, verdict, now):
        """What to do after a check's ``verdict``: None, "restart", "hand over" or "hand over, node broken"."""
        if verdict == OK:
            self.fails = 0
            return None
        self.fails += 1
        if self.fails < self.settings.watch_fall:
            return None
        self.fails = 0
        self.restarts = [t for t in self.restarts if now - t < self.settings.restart_window]
        if verdict == NODE_BROKEN:
            return "hand over, node broken"
        if len(self.restarts) < self.settings.restart_limit:
            self.restarts.append(now)
            return "restart"
        return "hand over"

    def not_holding(self):
        """The VIP is elsewhere: failures here are no longer the group's."""
        self.fails = 0

    def handed_over(self):
        """A hand-over was asked for: the budget starts again, wherever the group ends up."""
        self.restarts = []
