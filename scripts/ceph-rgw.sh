#!/usr/bin/env bash
# A throwaway Ceph RADOS Gateway on loopback, from Debian's packages, for testing Vigil against the S3 server most
# on-premises operators run (see docs/testing.md, "Ceph RGW").
#
#   scripts/ceph-rgw.sh install        apt-get install the Ceph packages (root; ~2 minutes)
#   scripts/ceph-rgw.sh start DIR      one monitor, one memstore OSD, one manager, RGW on 127.0.0.1:7480 (HTTP) and
#                                      127.0.0.1:7443 (HTTPS, a self-signed certificate in DIR/tls), a user and an
#                                      Object Lock bucket; prints the environment for the tests (also in DIR/env)
#   scripts/ceph-rgw.sh stop DIR       stops every daemon started from DIR
#
# Everything lives under DIR (configuration, keyrings, logs, the OSD's memstore is in memory). Auth is "none": this
# is a test server on loopback, never a deployment.
set -euo pipefail

command=${1:-}
dir=${2:-}

die() { echo "ceph-rgw.sh: $*" >&2; exit 2; }

install_packages() {
  [ "$(id -u)" = 0 ] || die "install needs root (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ceph-mon ceph-mgr ceph-osd radosgw ceph-common openssl >/dev/null
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 "$((seconds * 2))"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not happen within ${seconds}s (logs in $dir/log)"
}

start() {
  [ -n "$dir" ] || die "usage: ceph-rgw.sh start DIR"
  for tool in ceph-mon ceph-osd ceph-mgr radosgw radosgw-admin ceph-authtool monmaptool openssl keytool; do
    command -v "$tool" >/dev/null || die "$tool is missing: run 'scripts/ceph-rgw.sh install' (as root) first"
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -e "$dir/ceph.conf" ] && die "$dir already holds a cluster: stop it and use a new directory"
  mkdir -p "$dir/mon" "$dir/osd" "$dir/mgr" "$dir/log" "$dir/run" "$dir/tls"
  local fsid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" >/dev/null 2>&1
  cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:3300
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
mon allow pool size one = true
mon allow pool delete = true
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = 4294967296
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
run dir = $dir/run
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
mgr data = $dir/mgr/\$cluster-\$id
keyring = $dir/\$name.keyring

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:7480 ssl_endpoint=127.0.0.1:7443 ssl_certificate=$dir/tls/cert.pem ssl_private_key=$dir/tls/key.pem
rgw data = $dir/rgw
# With auth none, radosgw never reaches the monitor otherwise (get_initial_auth_request returned -13).
ms mon client mode = crc secure
EOF
  export CEPH_CONF="$dir/ceph.conf"
  ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a '[v2:127.0.0.1:3300]' --fsid "$fsid" "$dir/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/mon.keyring"
  ceph-mon -i a
  wait_for 60 "the monitor answering" ceph -s
  local uuid
  uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph osd new "$uuid" >/dev/null
  mkdir -p "$dir/osd/ceph-0"
  ceph-osd -i 0 --mkfs --osd-uuid "$uuid" >/dev/null 2>&1
  ceph-osd -i 0
  mkdir -p "$dir/mgr/ceph-x"
  ceph-mgr -i x
  wait_for 90 "the OSD coming up" bash -c "ceph osd stat | grep -q '1 up'"
  mkdir -p "$dir/rgw"
  radosgw -n client.rgw.a
  wait_for 120 "RGW answering on 127.0.0.1:7480" bash -c "exec 3<>/dev/tcp/127.0.0.1/7480"
  local user
  user=$(radosgw-admin user create --uid=vigil --display-name=vigil 2>/dev/null)
  local access secret
  access=$(printf '%s' "$user" | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["access_key"])')
  secret=$(printf '%s' "$user" | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["secret_key"])')
  cat >"$dir/env" <<EOF
export VIGIL_TEST_S3_ENDPOINT=http://127.0.0.1:7480
export VIGIL_TEST_S3_HTTPS_ENDPOINT=https://127.0.0.1:7443
export VIGIL_TEST_S3_CA_CERT=$dir/tls/cert.pem
export VIGIL_TEST_S3_ACCESS_KEY=$access
export VIGIL_TEST_S3_SECRET_KEY=$secret
export VIGIL_TEST_S3_REGION=us-east-1
# What Ceph RGW Pacific lacks, as the probe finds it (the contract suite then expects Vigil's adapted behaviour).
export VIGIL_TEST_S3_LACKS=validates-checksum-header,conditional-complete,conditional-put-with-object-lock
EOF
  # For HTTPS: the same, with a trust store holding the self-signed certificate (JAVA_TOOL_OPTIONS reaches the test
  # JVMs that Maven forks).
  keytool -importcert -noprompt -alias ceph-rgw -file "$dir/tls/cert.pem" -keystore "$dir/tls/truststore.p12" \
    -storetype PKCS12 -storepass changeit >/dev/null 2>&1
  sed -e 's|^export VIGIL_TEST_S3_ENDPOINT=.*|export VIGIL_TEST_S3_ENDPOINT=https://127.0.0.1:7443|' "$dir/env" >"$dir/env-https"
  echo "export JAVA_TOOL_OPTIONS=\"-Djavax.net.ssl.trustStore=$dir/tls/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit\"" \
    >>"$dir/env-https"
  cat "$dir/env"
  echo "# over HTTPS: source $dir/env-https instead"
}

stop() {
  [ -n "$dir" ] || die "usage: ceph-rgw.sh stop DIR"
  local pids=()
  for pidfile in "$dir"/run/*.pid; do
    [ -e "$pidfile" ] || continue
    pids+=("$(cat "$pidfile")")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 60); do # an OSD takes a few seconds to stop
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.5
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

case "$command" in
  install) install_packages ;;
  start) start ;;
  stop) stop ;;
  *) die "usage: ceph-rgw.sh install | start DIR | stop DIR" ;;
esac
