# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sysctl_settings module on a stand-in /proc/sys: what it writes, sets, refuses and reports.

The stand-in holds what a lab node's kernel prints (a value and a newline,
tabs between the words of a multi-word value).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args

from ansible_collections.sipha.cluster.plugins.modules import sysctl_settings

from .module_contract import Exited, assert_documented_options_match_the_argument_spec

KERNEL = {
    "net/ipv4/ip_forward": "1\n",
    "net/ipv4/ip_nonlocal_bind": "1\n",
    "net/ipv4/conf/eth1/rp_filter": "2\n",
    "net/ipv4/conf/eth1.100/rp_filter": "0\n",
    "net/ipv4/tcp_rmem": "4096\t131072\t6291456\n",
}
SETTINGS = {
    "net.ipv4.ip_forward": 0,
    "net.ipv4.ip_nonlocal_bind": 1,
    "net.ipv4.conf.eth1.rp_filter": 1,
    "net/ipv4/conf/eth1.100/rp_filter": 1,
    "net.ipv4.tcp_rmem": "4096 131072 6291456",
}


@pytest.fixture
def node(tmp_path, monkeypatch):
    """A stand-in /proc/sys with KERNEL's values, and the persisted file's path."""
    proc = tmp_path / "proc-sys"
    for key, value in KERNEL.items():
        path = proc / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
    monkeypatch.setattr(sysctl_settings, "PROC_SYS", str(proc))
    (tmp_path / "sysctl.d").mkdir()
    return proc, tmp_path / "sysctl.d" / "60-sipha-node.conf"


def run(monkeypatch, **args):
    def exit_json(module, **result):
        raise Exited(False, result)

    def fail_json(module, **result):
        raise Exited(True, result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    with patch_module_args(args), pytest.raises(Exited) as exited:
        sysctl_settings.main()
    return exited.value.failed, exited.value.result


def live(proc):
    return dict((key, (proc / key).read_text()) for key in KERNEL)


def test_a_first_run_sets_what_differs_and_writes_the_file(node, monkeypatch):
    proc, conf = node
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf), header="the node role's")
    assert not failed
    assert result["changed"] and result["file_changed"]
    assert result["set"] == {"net.ipv4.ip_forward": "0", "net.ipv4.conf.eth1.rp_filter": "1", "net/ipv4/conf/eth1.100/rp_filter": "1"}
    assert live(proc) == dict(KERNEL, **{"net/ipv4/ip_forward": "0", "net/ipv4/conf/eth1/rp_filter": "1", "net/ipv4/conf/eth1.100/rp_filter": "1"})
    assert conf.read_text() == (
        "# the node role's\n"
        "net.ipv4.conf.eth1.rp_filter = 1\n"
        "net.ipv4.ip_forward = 0\n"
        "net.ipv4.ip_nonlocal_bind = 1\n"
        "net.ipv4.tcp_rmem = 4096 131072 6291456\n"
        "net/ipv4/conf/eth1.100/rp_filter = 1\n"
    )


def test_a_second_run_changes_nothing(node, monkeypatch):
    proc, conf = node
    run(monkeypatch, settings=SETTINGS, path=str(conf))
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert not failed
    assert result == {"changed": False, "file_changed": False, "set": {}}


def test_a_value_changed_behind_its_back_is_set_again_and_the_file_left(node, monkeypatch):
    proc, conf = node
    run(monkeypatch, settings=SETTINGS, path=str(conf))
    written = conf.read_text()
    (proc / "net/ipv4/ip_forward").write_text("1\n")
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert result["changed"] and not result["file_changed"]
    assert result["set"] == {"net.ipv4.ip_forward": "0"}
    assert (proc / "net/ipv4/ip_forward").read_text() == "0"
    assert conf.read_text() == written


def test_a_line_added_by_hand_is_dropped(node, monkeypatch):
    proc, conf = node
    run(monkeypatch, settings=SETTINGS, path=str(conf))
    written = conf.read_text()
    conf.write_text(written + "net.ipv4.ip_forward = 1\n")
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert not failed
    assert result["changed"] and result["file_changed"] and result["set"] == {}
    assert conf.read_text() == written


def test_the_file_is_made_mode_0644_whatever_it_was(node, monkeypatch):
    proc, conf = node
    conf.write_text("old\n")
    os.chmod(str(conf), 0o600)
    run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert oct(os.stat(str(conf)).st_mode & 0o777) == "0o644"


def test_a_symbolic_link_is_followed_and_stays(node, monkeypatch):
    proc, conf = node
    target = conf.parent / "real.conf"
    target.write_text("old\n")
    conf.symlink_to(target.name)
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert not failed
    assert conf.is_symlink()
    assert target.read_text().endswith("net/ipv4/conf/eth1.100/rp_filter = 1\n")


def test_check_mode_reports_and_touches_nothing(node, monkeypatch):
    proc, conf = node
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf), _ansible_check_mode=True, _ansible_diff=True)
    assert not failed
    assert result["changed"] and result["file_changed"]
    assert sorted(result["set"]) == ["net.ipv4.conf.eth1.rp_filter", "net.ipv4.ip_forward", "net/ipv4/conf/eth1.100/rp_filter"]
    assert live(proc) == KERNEL
    assert not conf.exists()
    file_diff, kernel_diff = result["diff"]
    assert file_diff["before"] == "" and "net.ipv4.ip_forward = 0\n" in file_diff["after"]
    assert kernel_diff["before"] == "net.ipv4.conf.eth1.rp_filter = 2\nnet.ipv4.ip_forward = 1\nnet/ipv4/conf/eth1.100/rp_filter = 0\n"
    assert kernel_diff["after"] == "net.ipv4.conf.eth1.rp_filter = 1\nnet.ipv4.ip_forward = 0\nnet/ipv4/conf/eth1.100/rp_filter = 1\n"


def test_a_parameter_the_kernel_lacks_fails_before_anything_is_written(node, monkeypatch):
    proc, conf = node
    settings = dict(SETTINGS, **{"net.ipv6.conf.eth1.accept_ra": 0})
    failed, result = run(monkeypatch, settings=settings, path=str(conf))
    assert failed
    assert result["msg"].startswith("the running kernel has no parameter net.ipv6.conf.eth1.accept_ra (")
    assert result["missing"] == ["net.ipv6.conf.eth1.accept_ra"]
    assert live(proc) == KERNEL
    assert not conf.exists()


def test_a_bad_name_is_refused_naming_it(node, monkeypatch):
    proc, conf = node
    failed, result = run(monkeypatch, settings={"net..ipv4": 1}, path=str(conf))
    assert failed
    assert result["msg"] == "settings: 'net..ipv4' is not a kernel parameter name"
    assert not conf.exists()


def writes_go(monkeypatch, where):
    """The module's writes to files ending in ip_forward go ``where`` (a file name, or an error)."""
    real_open = open

    def patched(path, mode="r", *args, **kwargs):
        if mode == "w" and str(path).endswith("ip_forward"):
            if isinstance(where, Exception):
                raise where
            return real_open(where, mode)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(sysctl_settings, "open", patched, raising=False)


def test_a_value_the_kernel_does_not_keep_fails_and_is_not_persisted(node, monkeypatch):
    proc, conf = node
    # A parameter that takes the write and keeps its value (read-only in
    # this network namespace): the write goes nowhere.
    writes_go(monkeypatch, os.devnull)
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert failed
    assert result["msg"] == "the kernel kept another value for net.ipv4.ip_forward; %s was left as it was" % conf
    assert not conf.exists() and result["file_changed"] is False


def test_a_value_the_kernel_refuses_is_not_persisted(node, monkeypatch):
    proc, conf = node
    conf.write_text("old\n")
    writes_go(monkeypatch, IOError(22, "Invalid argument"))
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert failed
    assert result["msg"].startswith("the kernel refused net.ipv4.ip_forward = 0: ")
    assert result["msg"].endswith("; %s was left as it was" % conf)
    # Keys sort before it were set and are reported; the file is untouched.
    assert result["set"] == {"net.ipv4.conf.eth1.rp_filter": "1"}
    assert conf.read_text() == "old\n"


def test_a_failed_move_leaves_no_temporary_file(node, monkeypatch):
    proc, conf = node

    def cannot_move(module, src, dest, unsafe_writes=False, keep_dest_attrs=True):
        raise Exception("Could not replace file: %s to %s" % (src, dest))

    monkeypatch.setattr(basic.AnsibleModule, "atomic_move", cannot_move)
    failed, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert failed
    assert result["msg"].startswith("cannot write %s: Could not replace file" % conf)
    assert os.listdir(str(conf.parent)) == []


def test_an_empty_running_value_is_a_value(node, monkeypatch):
    proc, conf = node
    (proc / "kernel").mkdir()
    (proc / "kernel" / "hotplug").write_text("\n")
    failed, result = run(monkeypatch, settings={"kernel.hotplug": "/sbin/mdev"}, path=str(conf))
    assert not failed
    assert result["set"] == {"kernel.hotplug": "/sbin/mdev"}


def test_one_parameter_in_both_spellings_is_refused(node, monkeypatch):
    proc, conf = node
    failed, result = run(monkeypatch, settings={"net.ipv4.ip_forward": 0, "net/ipv4/ip_forward": 1}, path=str(conf))
    assert failed
    assert result["msg"] == "settings: 'net.ipv4.ip_forward' and 'net/ipv4/ip_forward' are the same parameter: give it once"
    assert live(proc) == KERNEL and not conf.exists()


def test_every_returned_key_is_documented(node, monkeypatch):
    proc, conf = node
    dummy, result = run(monkeypatch, settings=SETTINGS, path=str(conf))
    assert set(result) - {"changed"} == set(yaml.safe_load(sysctl_settings.RETURN))


def test_documented_options_match_the_argument_spec(monkeypatch):
    assert_documented_options_match_the_argument_spec(monkeypatch, sysctl_settings)
