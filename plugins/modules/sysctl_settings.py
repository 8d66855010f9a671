#!/usr/bin/python
# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sysctl_settings
short_description: Set kernel parameters now and persist them in one sysctl.d file, in one step
version_added: 0.7.0
description:
  - Sets every parameter of O(settings) in the running kernel where it has another value, and
    writes them all to O(path), which systemd-sysctl reads at boot.
  - One module run for the whole set, where M(ansible.posix.sysctl) needs one per parameter (the
    node role sets about ten, on every node in every run).
  - O(path) belongs to this module. It holds O(settings) and nothing else, so a parameter dropped
    from O(settings) is no longer set at boot (the running kernel keeps its value until then).
    Never point it at a file that holds other settings, such as C(/etc/sysctl.conf). A symbolic link
    is followed, and its target is replaced.
  - The running kernel is set first. A value it refuses or does not keep fails the task and is
    not written to O(path), so that systemd-sysctl never meets it at boot.
  - A parameter the running kernel does not have is an error that names it, before anything is
    written.
author:
  - sipha.cluster contributors (@sipha)
options:
  settings:
    description:
      - The parameters and their values. A key is dotted (V(net.ipv4.ip_forward)) or, where an
        interface name has a dot (a VLAN such as C(eth1.100)), in the slash form
        (V(net/ipv4/conf/eth1.100/rp_filter)).
      - A value of several words (V(4096 87380 6291456)) is compared word by word, whatever
        separates them. A boolean word (V(yes), V(off), V(true)) is written as V(1) or V(0), as
        M(ansible.posix.sysctl) does.
      - Two keys that name the same parameter (both spellings) are an error.
    type: dict
    required: true
  path:
    description: The file the parameters are persisted in, for example C(/etc/sysctl.d/60-sipha-node.conf).
    type: path
    required: true
  header:
    description: Written as comments at the top of O(path).
    type: str
    default: Written by Ansible (sipha.cluster.sysctl_settings); a change made here is lost at the next run.
attributes:
  check_mode:
    description: Reads the running kernel and the file and reports what would change.
    support: full
  diff_mode:
    description: The file before and after, and each running value that changes.
    support: full
  platform:
    description: Linux, with /proc/sys mounted writable for the parameters set.
    support: full
    platforms: linux
"""

EXAMPLES = r"""
- name: Set and persist the kernel parameters of a proxy node
  sipha.cluster.sysctl_settings:
    settings:
      net.ipv4.ip_nonlocal_bind: 1
      net.ipv4.ip_forward: 0
      net/ipv4/conf/eth1.100/rp_filter: 1
    path: /etc/sysctl.d/60-sipha-node.conf
"""

RETURN = r"""
file_changed:
  description: Whether O(path) was (or, in check mode, would be) written.
  returned: always
  type: bool
  sample: false
set:
  description: The parameters whose running value was (or would be) changed, with their new value.
  returned: always
  type: dict
  sample:
    net.ipv4.conf.eth1.rp_filter: "1"
"""

import errno
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.sipha.cluster.plugins.module_utils import sysctl_settings

PROC_SYS = "/proc/sys"


def read(path, absent):
    """The text at ``path``, or ``absent`` where there is no such file."""
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError) as error:
        if error.errno == errno.ENOENT:
            return absent
        raise


def write_file(module, path, text):
    """Replace ``path`` (a symbolic link's target, as ansible.posix.sysctl did) with ``text``, mode 0644."""
    real = os.path.realpath(path)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(real), prefix=".sysctl_settings-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        module.atomic_move(temporary, real)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    module.set_mode_if_different(real, "0644", False)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            settings=dict(type="dict", required=True),
            path=dict(type="path", required=True),
            header=dict(
                type="str",
                default="Written by Ansible (sipha.cluster.sysctl_settings); a change made here is lost at the next run.",
            ),
        ),
        supports_check_mode=True,
    )
    path = module.params["path"]

    try:
        texts, files = sysctl_settings.prepare(module.params["settings"], PROC_SYS)
    except sysctl_settings.SettingError as error:
        module.fail_json(msg="settings: %s" % error)
    text = sysctl_settings.render(texts, module.params["header"])

    try:
        live = dict((key, read(files[key], None)) for key in texts)
        before = read(os.path.realpath(path), "")
    except (IOError, OSError) as error:
        module.fail_json(msg="cannot read the current state: %s" % to_native(error))
    absent = sysctl_settings.missing(texts, live)
    if absent:
        module.fail_json(
            msg="the running kernel has no parameter %s (%s): drop it from the settings or load what provides it"
            % (", ".join(absent), ", ".join(files[key] for key in absent)),
            missing=absent,
        )

    to_set = sysctl_settings.differing(texts, live)
    file_changed = before != text
    result = dict(changed=file_changed or bool(to_set), file_changed=file_changed, set=dict((key, texts[key]) for key in to_set))
    if module._diff:
        result["diff"] = [dict(before=before, after=text, before_header=path, after_header=path)]
        if to_set:
            result["diff"].append(
                dict(
                    before="".join("%s = %s\n" % (key, sysctl_settings.live_text(live[key])) for key in to_set),
                    after="".join("%s = %s\n" % (key, texts[key]) for key in to_set),
                    before_header="running kernel",
                    after_header="running kernel",
                )
            )
    if module.check_mode:
        module.exit_json(**result)

    # The running kernel first: a value it refuses never reaches the file
    # (systemd-sysctl would fail on it at every boot).
    done = {}

    def stop(msg):
        """Fail with what was set so far; the file is never written by then."""
        module.fail_json(msg=msg, changed=bool(done), file_changed=False, set=done)

    for key in to_set:
        try:
            with open(files[key], "w") as handle:
                handle.write(texts[key])
        except (IOError, OSError) as error:
            stop("the kernel refused %s = %s: %s; %s was left as it was" % (key, texts[key], to_native(error), path))
        done[key] = texts[key]
    # The kernel can take a write and keep another value (a read-only
    # parameter in this network namespace, a value it rounds): say so.
    try:
        kept = sysctl_settings.differing(done, dict((key, read(files[key], None)) for key in done))
    except (IOError, OSError) as error:
        stop("cannot read back what was set: %s" % to_native(error))
    if kept:
        stop("the kernel kept another value for %s; %s was left as it was" % (", ".join(kept), path))

    if file_changed:
        try:
            write_file(module, path, text)
        except Exception as error:  # atomic_move raises a plain Exception
            stop("cannot write %s: %s" % (path, to_native(error)))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
