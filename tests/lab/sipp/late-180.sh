#!/usr/bin/env bash
# Shows how a lab caller scenario takes a 180 Ringing that arrives after the
# 200 OK (two Kamailio workers can relay them in that order): run on the lab
# client, against a callee on its loopback that sends exactly that.
#   docker cp tests/lab/sipp/. sipha-lab-client:/tmp/late-180/
#   docker exec sipha-lab-client bash /tmp/late-180/late-180.sh /etc/sipha-lab/call-phone.xml
# Prints the caller's successful and failed calls (10 calls, held 2 s so
# that the 180 reaches the caller in its pause), and why the first failed.
set -u
scenario=$1
here=$(cd "$(dirname "$0")" && pwd)
run=$(mktemp -d)
cd "$run" || exit 2
timeout 40 sipp -sf "$here/late-180-callee.xml" -i 127.0.0.1 -p 5070 -m 10 -nostdin -timeout 35s > /dev/null 2>&1 &
callee=$!
sleep 1
timeout 40 sipp 127.0.0.1:5070 -sf "$scenario" -inf /etc/sipha-lab/users.csv -i 127.0.0.1 -p 5071 \
  -m 10 -r 5 -d 2000 -nostdin -trace_stat -stf stat.csv -trace_err -error_file errors.log -timeout 30s > /dev/null 2>&1
echo "caller rc=$? $(awk -F';' 'NR==1{for(i=1;i<=NF;i++){if($i=="SuccessfulCall(C)")s=i; if($i=="FailedCall(C)")f=i}} END{print "successful=" $s " failed=" $f}' stat.csv)"
grep -m1 -A1 "Aborting call" errors.log 2>/dev/null
wait "$callee"
rm -rf "$run"
