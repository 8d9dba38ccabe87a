#define _GNU_SOURCE
#include <spawn.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/blkpg.h>
#include <string.h>
#include <sys/xattr.h>
#include "CLinux.h"

int brickctl_blk_size64(int fd, uint64_t *bytes) { return ioctl(fd, BLKGETSIZE64, bytes); }

int brickctl_blk_readonly(int fd, int *readonly) { return ioctl(fd, BLKROGET, readonly); }

static int blkpg(int fd, int op, int number, int64_t start, int64_t length) {
    struct blkpg_partition part;
    struct blkpg_ioctl_arg arg;
    memset(&part, 0, sizeof part);
    memset(&arg, 0, sizeof arg);
    part.pno = number;
    part.start = start;
    part.length = length;
    arg.op = op;
    arg.datalen = sizeof part;
    arg.data = &part;
    return ioctl(fd, BLKPG, &arg);
}

int brickctl_blkpg_add_partition(int fd, int number, int64_t start, int64_t length) {
    return blkpg(fd, BLKPG_ADD_PARTITION, number, start, length);
}

int brickctl_blkpg_del_partition(int fd, int number) { return blkpg(fd, BLKPG_DEL_PARTITION, number, 0, 0); }

int brickctl_blk_flush(int fd) { return ioctl(fd, BLKFLSBUF, 0); }

long brickctl_xattr_size(const char *path, const char *name) { return (long)getxattr(path, name, 0, 0); }

int brickctl_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int brickctl_xattr_remove(const char *path, const char *name) { return removexattr(path, name); }

long brickctl_xattr_list(const char *path, char *buffer, unsigned long size) {
    return (long)listxattr(path, buffer, (size_t)size);
}

int brickctl_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
