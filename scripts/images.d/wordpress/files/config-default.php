<?php
/*
 * brickctl/wordpress: /etc/wordpress/config-default.php, read by Debian's wp-config.php for every
 * Host. Everything comes from the environment at request time, like the official image's
 * wp-config-docker.php: VAR_FILE (the file's contents, trailing newlines stripped) wins over VAR,
 * which wins over the default.
 */
if (!function_exists('getenv_docker')) {
    function getenv_docker($env, $default) {
        if ($fileEnv = getenv($env . '_FILE')) {
            return rtrim(file_get_contents($fileEnv), "\r\n");
        } else if (($val = getenv($env)) !== false) {
            return $val;
        } else {
            return $default;
        }
    }
}

define('DB_NAME', getenv_docker('WORDPRESS_DB_NAME', 'wordpress'));
define('DB_USER', getenv_docker('WORDPRESS_DB_USER', 'example username'));
define('DB_PASSWORD', getenv_docker('WORDPRESS_DB_PASSWORD', 'example password'));
define('DB_HOST', getenv_docker('WORDPRESS_DB_HOST', 'mysql'));
define('DB_CHARSET', getenv_docker('WORDPRESS_DB_CHARSET', 'utf8'));
define('DB_COLLATE', getenv_docker('WORDPRESS_DB_COLLATE', ''));

/*
 * Keys and salts: from the environment; else the ones the entrypoint generated once per site in
 * the shared wp-content (every replica must use the same, or logins break between replicas).
 */
$brickctl_salts = array();
if (is_readable('/var/lib/wordpress/wp-content/.brickctl-salts.php')) {
    $brickctl_salts = include '/var/lib/wordpress/wp-content/.brickctl-salts.php';
}
foreach (array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
               'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT') as $brickctl_key) {
    define($brickctl_key, getenv_docker('WORDPRESS_' . $brickctl_key,
        isset($brickctl_salts[$brickctl_key]) ? $brickctl_salts[$brickctl_key] : 'put your unique phrase here'));
}

$table_prefix = getenv_docker('WORDPRESS_TABLE_PREFIX', 'wp_');

define('WP_DEBUG', !!getenv_docker('WORDPRESS_DEBUG', ''));

if ($configExtra = getenv_docker('WORDPRESS_CONFIG_EXTRA', '')) {
    eval($configExtra);
}

if (!defined('WP_CONTENT_DIR')) {
    define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
}
