// Linux calls Swift cannot reach directly: block-device ioctls (ioctl is variadic), xattrs
// (sys/xattr.h is not part of the Glibc module), spawn helpers and a TCP connect probe.
#ifndef BRICKCTL_CLINUX_H
#define BRICKCTL_CLINUX_H

#include <stdint.h>
#include <spawn.h>

/// BLKPG_ADD_PARTITION for partition `number` at byte `start` of `length` bytes.
int brickctl_blkpg_add_partition(int fd, int number, int64_t start, int64_t length);
/// BLKPG_DEL_PARTITION for partition `number`.
int brickctl_blkpg_del_partition(int fd, int number);

/// getxattr: the size of attribute `name` of `path`, or -1 with errno (ENODATA when absent).
long brickctl_xattr_size(const char *path, const char *name);

/// removexattr: 0, or -1 with errno (ENODATA when absent).
int brickctl_xattr_remove(const char *path, const char *name);
/// listxattr into `buffer` (NUL-separated names): the length, or -1 with errno.
long brickctl_xattr_list(const char *path, char *buffer, unsigned long size);

/// pipe2(O_CLOEXEC): a pipe whose ends are not inherited by spawned programs.
int brickctl_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np: close every descriptor from `from` up in the child
/// (glibc 2.34+; its declaration needs _GNU_SOURCE, hence this wrapper).
int brickctl_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

/// tcp_probe's answer when the host name does not resolve (not an errno).
#define BRICKCTL_TCP_PROBE_UNRESOLVED 1

/// Opens a TCP connection to host:port (every address the name resolves to, in turn) and closes it
/// at once. Returns 0 when one accepted, BRICKCTL_TCP_PROBE_UNRESOLVED when the name does not
/// resolve, or a negative errno (-ECONNREFUSED, -EHOSTUNREACH, -ETIMEDOUT when nothing answered
/// within timeout_ms in total).
int brickctl_tcp_probe(const char *host, int port, int timeout_ms);

#endif
