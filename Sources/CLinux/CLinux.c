#define _GNU_SOURCE
#include <spawn.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/blkpg.h>
#include <string.h>
#include <sys/xattr.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include "CLinux.h"

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

long brickctl_xattr_size(const char *path, const char *name) { return (long)getxattr(path, name, 0, 0); }

int brickctl_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int brickctl_xattr_remove(const char *path, const char *name) { return removexattr(path, name); }

long brickctl_xattr_list(const char *path, char *buffer, unsigned long size) {
    return (long)listxattr(path, buffer, (size_t)size);
}

int brickctl_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

static long long brickctl_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int brickctl_tcp_probe(const char *host, int port, int timeout_ms) {
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *list = NULL;
    int gai = getaddrinfo(host, service, &hints, &list);
    if (gai != 0) return gai == EAI_SYSTEM && errno != 0 ? -errno : BRICKCTL_TCP_PROBE_UNRESOLVED;

    long long deadline = brickctl_now_ms() + timeout_ms;
    int result = -ETIMEDOUT;
    for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) { result = -errno; continue; }
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            long long left = deadline - brickctl_now_ms();
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            int ready;
            do { ready = poll(&p, 1, left > 0 ? (int)left : 0); } while (ready < 0 && errno == EINTR);
            if (ready == 0) { close(fd); result = -ETIMEDOUT; break; }
            int err = 0;
            socklen_t len = sizeof err;
            if (ready < 0) err = errno;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
            rc = err == 0 ? 0 : -1;
            errno = err;
        }
        int saved = errno;
        close(fd);
        if (rc == 0) { result = 0; break; }
        result = -saved;
        if (brickctl_now_ms() >= deadline) break;
    }
    freeaddrinfo(list);
    return result;
}
