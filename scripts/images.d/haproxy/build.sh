# Runs inside the image's chroot (scripts/images): Debian's HAProxy in front of Swarm tasks.
apt-get update -qq
apt-get install -y -qq --no-install-recommends haproxy >/dev/null
f=/tmp/recipe/files
install -m 644 "$f/haproxy.cfg" /etc/haproxy/haproxy.cfg
install -m 755 "$f/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh
install -m 755 /tmp/recipe/../common/http-check /usr/local/bin/http-check
apt-get clean
