<?php
// brickctl/wordpress health check: Apache and PHP answer (the database is not asked).
header('Content-Type: text/plain');
$opcache = function_exists('opcache_get_status') && @opcache_get_status(false) !== false;
echo "ok\nopcache: " . ($opcache ? "on" : "off") . "\nuid: " . posix_geteuid() . "\n";
