#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <glusterfs/api/glfs.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "CGlusterAPI.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

brickctl_glfs *brickctl_glfs_new(const char *volname) { return (brickctl_glfs *)glfs_new(volname); }

int brickctl_glfs_set_volfile_server(brickctl_glfs *fs, const char *transport, const char *host, int port) {
    return glfs_set_volfile_server((glfs_t *)fs, transport, host, port);
}

int brickctl_glfs_set_logging(brickctl_glfs *fs, const char *logfile, int loglevel) {
    return glfs_set_logging((glfs_t *)fs, logfile, loglevel);
}

int brickctl_glfs_init(brickctl_glfs *fs) { return glfs_init((glfs_t *)fs); }

int brickctl_glfs_fini(brickctl_glfs *fs) { return glfs_fini((glfs_t *)fs); }

int brickctl_glfs_statvfs(brickctl_glfs *fs, const char *path, brickctl_glfs_statvfs_t *out) {
    struct statvfs st;
    int rc = glfs_statvfs((glfs_t *)fs, path, &st);
    if (rc == 0) {
        out->block_size = st.f_frsize ? st.f_frsize : st.f_bsize;
        out->blocks = st.f_blocks;
        out->blocks_free = st.f_bfree;
        out->blocks_available = st.f_bavail;
        out->files = st.f_files;
        out->files_free = st.f_ffree;
    }
    return rc;
}

int brickctl_glfs_mkdir(brickctl_glfs *fs, const char *path, unsigned int mode) {
    return glfs_mkdir((glfs_t *)fs, path, (mode_t)mode);
}

int brickctl_glfs_rmdir(brickctl_glfs *fs, const char *path) { return glfs_rmdir((glfs_t *)fs, path); }

int brickctl_glfs_unlink(brickctl_glfs *fs, const char *path) { return glfs_unlink((glfs_t *)fs, path); }

int brickctl_glfs_chown(brickctl_glfs *fs, const char *path, unsigned int uid, unsigned int gid) {
    return glfs_chown((glfs_t *)fs, path, (uid_t)uid, (gid_t)gid);
}

int brickctl_glfs_is_directory(brickctl_glfs *fs, const char *path) {
    struct stat st;
    if (glfs_stat((glfs_t *)fs, path, &st) != 0) return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

int brickctl_glfs_stat(brickctl_glfs *fs, const char *path, brickctl_glfs_stat_t *out) {
    struct stat st;
    if (glfs_stat((glfs_t *)fs, path, &st) != 0) return -1;
    out->mode = (uint32_t)st.st_mode;
    out->uid = (uint32_t)st.st_uid;
    out->gid = (uint32_t)st.st_gid;
    out->size = (uint64_t)st.st_size;
    return 0;
}

int brickctl_glfs_chmod(brickctl_glfs *fs, const char *path, unsigned int mode) {
    return glfs_chmod((glfs_t *)fs, path, (mode_t)mode);
}

int brickctl_glfs_mode_is_directory(uint32_t mode) { return S_ISDIR(mode) ? 1 : 0; }

brickctl_glfs_fd *brickctl_glfs_creat(brickctl_glfs *fs, const char *path, int flags, unsigned int mode) {
    return (brickctl_glfs_fd *)glfs_creat((glfs_t *)fs, path, flags, (mode_t)mode);
}

brickctl_glfs_fd *brickctl_glfs_open(brickctl_glfs *fs, const char *path, int flags) {
    return (brickctl_glfs_fd *)glfs_open((glfs_t *)fs, path, flags);
}

long brickctl_glfs_write(brickctl_glfs_fd *fd, const void *buf, size_t count) {
    return (long)glfs_write((glfs_fd_t *)fd, buf, count, 0);
}

long brickctl_glfs_read(brickctl_glfs_fd *fd, void *buf, size_t count) {
    return (long)glfs_read((glfs_fd_t *)fd, buf, count, 0);
}

int brickctl_glfs_close(brickctl_glfs_fd *fd) { return glfs_close((glfs_fd_t *)fd); }

int brickctl_glfs_fsync(brickctl_glfs_fd *fd) { return glfs_fsync((glfs_fd_t *)fd, NULL, NULL); }

static long long brickctl_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int brickctl_glfs_probe_server(const char *host, int port, int timeout_ms) {
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *list = NULL;
    int gai = getaddrinfo(host, service, &hints, &list);
    if (gai != 0) return gai == EAI_SYSTEM && errno != 0 ? -errno : BRICKCTL_GLFS_PROBE_UNRESOLVED;

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
