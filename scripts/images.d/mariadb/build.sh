# Runs inside the image's chroot (scripts/images): Debian's MariaDB server.
# The official image runs as mysql uid/gid 999; Debian would pick a dynamic id, so the user
# exists before the package is installed (no systemd in the image: gid 999 is free).
groupadd --system --gid 999 mysql
useradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home --shell /usr/sbin/nologin mysql
apt-get update -qq
apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
# The stack's backup service runs this image too: mariadb-dump (mariadb-client, pulled in by the
# server) piped into zstd, like the official image, which ships zstd.
apt-get install -y -qq --no-install-recommends zstd >/dev/null
f=/tmp/recipe/files
install -m 644 "$f/90-brickctl.cnf" /etc/mysql/mariadb.conf.d/90-brickctl.cnf
install -m 755 "$f/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh
install -m 755 "$f/healthcheck.sh" /usr/local/bin/healthcheck.sh
install -d -m 755 /docker-entrypoint-initdb.d
# The package initialised a datadir: the image ships an empty one (first start initialises it
# from the environment, like the official image).
rm -rf /var/lib/mysql
install -d -o mysql -g mysql -m 755 /var/lib/mysql
install -d -o mysql -g mysql -m 755 /run/mysqld
apt-get clean
