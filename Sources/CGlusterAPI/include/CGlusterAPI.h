// libgfapi, wrapped once. glfs.h insists on _GNU_SOURCE and 64-bit file offsets, which clash with
// Swift's Glibc module when imported directly, so only this file's prefixed functions and opaque
// pointers are visible to Swift; glfs.h itself is included by the .c file alone. The library is
// loaded with dlopen on first use (brickctl_glfs_new), not linked.
#ifndef BRICKCTL_CGLUSTERAPI_H
#define BRICKCTL_CGLUSTERAPI_H

#include <stdint.h>
#include <stddef.h>

typedef struct brickctl_glfs brickctl_glfs;       // glfs_t
typedef struct brickctl_glfs_fd brickctl_glfs_fd; // glfs_fd_t

typedef struct {
    uint64_t block_size;
    uint64_t blocks;
    uint64_t blocks_free;
    uint64_t blocks_available;
    uint64_t files;
    uint64_t files_free;
} brickctl_glfs_statvfs_t;

/// The few fields of `struct stat` brickctl needs (glfs_stat).
typedef struct {
    uint32_t mode; // st_mode: type and permission bits
    uint32_t uid;
    uint32_t gid;
    uint64_t size;
} brickctl_glfs_stat_t;

/// The library loaded on first use (see CGlusterAPI.c): Debian's glusterfs-common.
#define BRICKCTL_GFAPI_LIBRARY "libgfapi.so.0"

/// Loads libgfapi once; NULL when it is usable, else why not (dlerror's words).
const char *brickctl_glfs_load_error(void);
/// glfs_new; NULL with errno ELIBACC when libgfapi cannot be loaded (brickctl_glfs_load_error says why).
brickctl_glfs *brickctl_glfs_new(const char *volname);
int brickctl_glfs_set_volfile_server(brickctl_glfs *fs, const char *transport, const char *host, int port);
int brickctl_glfs_set_logging(brickctl_glfs *fs, const char *logfile, int loglevel);
int brickctl_glfs_init(brickctl_glfs *fs);
int brickctl_glfs_fini(brickctl_glfs *fs);
int brickctl_glfs_statvfs(brickctl_glfs *fs, const char *path, brickctl_glfs_statvfs_t *out);
int brickctl_glfs_mkdir(brickctl_glfs *fs, const char *path, unsigned int mode);
int brickctl_glfs_rmdir(brickctl_glfs *fs, const char *path);
int brickctl_glfs_unlink(brickctl_glfs *fs, const char *path);
int brickctl_glfs_chown(brickctl_glfs *fs, const char *path, unsigned int uid, unsigned int gid);
/// glfs_stat: 0 and *out filled, or -1 with errno.
int brickctl_glfs_stat(brickctl_glfs *fs, const char *path, brickctl_glfs_stat_t *out);
int brickctl_glfs_chmod(brickctl_glfs *fs, const char *path, unsigned int mode);
/// 1 when st_mode (from brickctl_glfs_stat) is a directory.
int brickctl_glfs_mode_is_directory(uint32_t mode);
brickctl_glfs_fd *brickctl_glfs_creat(brickctl_glfs *fs, const char *path, int flags, unsigned int mode);
brickctl_glfs_fd *brickctl_glfs_open(brickctl_glfs *fs, const char *path, int flags);
long brickctl_glfs_write(brickctl_glfs_fd *fd, const void *buf, size_t count);
long brickctl_glfs_read(brickctl_glfs_fd *fd, void *buf, size_t count);
int brickctl_glfs_close(brickctl_glfs_fd *fd);
/// glfs_fsync without the pre/post stat: the written data is on the bricks when it returns 0.
int brickctl_glfs_fsync(brickctl_glfs_fd *fd);
/// glfs_opendir: a directory handle for brickctl_glfs_readdir_name, or NULL with errno.
brickctl_glfs_fd *brickctl_glfs_opendir(brickctl_glfs *fs, const char *path);
/// glfs_readdir: 1 and the next entry's name in `name` (NUL-terminated, cut to `size`), 0 at the
/// end, -1 with errno.
int brickctl_glfs_readdir_name(brickctl_glfs_fd *fd, char *name, size_t size);
int brickctl_glfs_closedir(brickctl_glfs_fd *fd);
/// glfs_rename: replaces `to` atomically (readers see the old file or the new one).
int brickctl_glfs_rename(brickctl_glfs *fs, const char *from, const char *to);

#endif
