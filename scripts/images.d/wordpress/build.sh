# Runs inside the image's chroot (scripts/images): Debian's WordPress on Apache + mod_php.
# www-data is uid/gid 33 in Debian's base-passwd, as in the official image.
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  apache2 libapache2-mod-php php-mysql php8.2-opcache wordpress wordpress-theme-twentytwentythree \
  ca-certificates >/dev/null
f=/tmp/recipe/files
install -m 644 "$f/config-default.php" /etc/wordpress/config-default.php
install -m 644 "$f/wordpress.conf" /etc/apache2/sites-available/wordpress.conf
install -m 644 "$f/opcache.ini" /etc/php/8.2/apache2/conf.d/90-brickctl-opcache.ini
install -d /usr/local/share/brickctl
install -m 644 "$f/healthz.php" /usr/local/share/brickctl/healthz.php
install -m 755 "$f/docker-entrypoint.sh" /usr/local/bin/docker-entrypoint.sh
install -m 755 "$f/apache2-foreground" /usr/local/bin/apache2-foreground
install -m 755 /tmp/recipe/../common/http-check /usr/local/bin/http-check
a2dissite -q 000-default
a2ensite -q wordpress
a2enmod -q remoteip rewrite headers >/dev/null
# Logs to the container's stdout/stderr (like the official image).
ln -sfT /dev/stderr /var/log/apache2/error.log
ln -sfT /dev/stdout /var/log/apache2/access.log
ln -sfT /dev/stdout /var/log/apache2/other_vhosts_access.log
# The pristine wp-content (index.php, themes/ with the theme's symlink, plugins/, languages/,
# uploads/): the entrypoint copies what is missing into an empty volume.
cp -a /var/lib/wordpress/wp-content /usr/local/share/brickctl/wp-content
chown -R www-data:www-data /var/lib/wordpress/wp-content
apt-get clean
