# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handler names are the play's, not a role's: two roles in one play with a
handler of the same name notify only the last one defined. kamailio's
"Reload the media server list" and "Reload systemd" were answered by
OpenSIPS's (skipped on a Kamailio cluster) that way. Every handler name and
listen topic belongs to one role only."""

import collections
import glob
import os

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def handler_topics():
    """{name or listen topic: set of roles whose handlers/main.yml use it}."""
    topics = collections.defaultdict(set)
    for path in glob.glob(os.path.join(REPO, "roles", "*", "handlers", "main.yml")):
        role = path.split(os.sep)[-3]
        with open(path) as stream:
            handlers = yaml.safe_load(stream) or []
        for handler in handlers:
            listen = handler.get("listen", [])
            for topic in [handler["name"]] + ([listen] if isinstance(listen, str) else listen):
                topics[topic].add(role)
    return topics


def test_the_collection_has_handlers_to_check():
    assert len(handler_topics()) > 10


def test_no_handler_name_or_topic_is_shared_by_two_roles():
    shared = {topic: sorted(roles) for topic, roles in handler_topics().items() if len(roles) > 1}
    assert shared == {}
