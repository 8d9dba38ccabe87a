#!/bin/bash
# brickctl/mariadb health: the server answers on TCP 3306 with its handshake (protocol 10). The
# init-time server does not listen on TCP. No login is tried, so nothing is logged.
exec 3<>/dev/tcp/127.0.0.1/3306 || exit 1
# Packet header (3 bytes length, 1 byte sequence), then the protocol version byte: 0x0a.
hdr=$(timeout 3 head -c 5 <&3 | od -An -tx1 | tr -d ' \n') || exit 1
[ "${hdr:8:2}" = 0a ]
