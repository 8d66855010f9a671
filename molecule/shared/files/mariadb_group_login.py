# Copyright: sipha.cluster contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Log in to MariaDB the way Kamailio's db_mysql does, and print the TLS cipher.

Kamailio names an option group in its URL (mysql://user:pass@[group]host/db)
and its client library, libmariadb, reads that group from the my.cnf files
it finds (MARIADB_HOME among them). This does the same calls through the
same library, so the proxy's own settings are what is tested, not options a
command-line client would be given. Password from MYSQL_PWD.

    python3 mariadb_group_login.py GROUP HOST PORT USER DATABASE
Exit 0 and the cipher on stdout when logged in over TLS; 1 and the
library's error on stderr otherwise; 2 when logged in without TLS.
"""

from __future__ import absolute_import, division, print_function

import ctypes
import os
import sys

MYSQL_READ_DEFAULT_GROUP = 5


def main(group, host, port, user, database):
    lib = ctypes.CDLL("libmariadb.so.3")
    lib.mysql_init.restype = ctypes.c_void_p
    lib.mysql_options.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    lib.mysql_real_connect.restype = ctypes.c_void_p
    lib.mysql_real_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.c_char_p, ctypes.c_uint, ctypes.c_char_p, ctypes.c_ulong]
    lib.mysql_error.restype = ctypes.c_char_p
    lib.mysql_error.argtypes = [ctypes.c_void_p]
    lib.mysql_get_ssl_cipher.restype = ctypes.c_char_p
    lib.mysql_get_ssl_cipher.argtypes = [ctypes.c_void_p]
    connection = lib.mysql_init(None)
    lib.mysql_options(connection, MYSQL_READ_DEFAULT_GROUP, ctypes.c_char_p(group.encode()))
    password = os.environ.get("MYSQL_PWD", "").encode()
    if not lib.mysql_real_connect(connection, host.encode(), user.encode(), password, database.encode(),
                                  int(port), None, 0):
        sys.stderr.write("%s\n" % lib.mysql_error(connection).decode(errors="replace"))
        return 1
    cipher = lib.mysql_get_ssl_cipher(connection)
    if not cipher:
        sys.stderr.write("logged in without TLS\n")
        return 2
    print(cipher.decode())
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
