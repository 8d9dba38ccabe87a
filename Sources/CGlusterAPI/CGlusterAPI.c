#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <glusterfs/api/glfs.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "CGlusterAPI.h"

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
