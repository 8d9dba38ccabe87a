#!/bin/bash
# brickctl/wordpress entrypoint. The environment is the official image's (WORDPRESS_DB_HOST,
# WORDPRESS_DB_USER, WORDPRESS_DB_PASSWORD, WORDPRESS_DB_NAME, WORDPRESS_TABLE_PREFIX, the keys and
# salts, WORDPRESS_DEBUG, WORDPRESS_CONFIG_EXTRA, each also as VAR_FILE): PHP reads it at request
# time in /etc/wordpress/config-default.php, where VAR_FILE wins over VAR as in the official image.
# The code is in the image (/usr/share/wordpress); only wp-content is the volume.
set -Eeuo pipefail

content=/var/lib/wordpress/wp-content
skeleton=/usr/local/share/brickctl/wp-content

if [[ $1 == apache2* ]]; then
  # A new (empty) volume gets the pristine wp-content; what exists is never overwritten.
  if [ ! -e "$content/index.php" ]; then
    echo "brickctl/wordpress: populating $content (empty volume)" >&2
    cp -an "$skeleton/." "$content/"
  fi
  if [ "$(id -u)" = 0 ] && [ "$(stat -c %u "$content")" != 33 ]; then
    chown www-data:www-data "$content" || echo "brickctl/wordpress: warning: cannot chown $content" >&2
  fi
  # Keys and salts not given in the environment: generated once per site, kept in the shared
  # wp-content so every replica signs cookies alike (first writer wins: link, not overwrite).
  salts=$content/.brickctl-salts.php
  if [ ! -e "$salts" ]; then
    tmp=$(mktemp "$content/.brickctl-salts.XXXXXX")
    {
      echo '<?php return array('
      for k in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
        printf "  '%s' => '%s',\n" "$k" "$(head -c 48 /dev/urandom | base64 -w0)"
      done
      echo ');'
    } >"$tmp"
    chmod 640 "$tmp"
    chown root:www-data "$tmp" 2>/dev/null || true
    ln "$tmp" "$salts" 2>/dev/null || true
    rm -f "$tmp"
  fi
fi

exec "$@"
