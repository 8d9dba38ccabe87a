#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <glusterfs/api/glfs.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "CGlusterAPI.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// libgfapi is loaded on first use, not linked: it pulls in ~14 more libraries (libglusterfs,
// krb5, gssapi, tirpc, crypto, ...) whose loading and constructors cost ~3 ms in every process,
// and `brickctl disks` or `prepare` must run on a host that has no Gluster installed yet.
// The pointers keep glfs.h's prototypes; dlsym returns each symbol's default (newest) version,
// the one glfs.h declares.
static struct {
    __typeof__(glfs_new) *new_;
    __typeof__(glfs_set_volfile_server) *set_volfile_server;
    __typeof__(glfs_set_logging) *set_logging;
    __typeof__(glfs_init) *init;
    __typeof__(glfs_fini) *fini;
    __typeof__(glfs_statvfs) *statvfs;
    __typeof__(glfs_mkdir) *mkdir;
    __typeof__(glfs_rmdir) *rmdir;
    __typeof__(glfs_unlink) *unlink;
    __typeof__(glfs_chown) *chown;
    __typeof__(glfs_stat) *stat;
    __typeof__(glfs_chmod) *chmod;
    __typeof__(glfs_creat) *creat;
    __typeof__(glfs_open) *open;
    __typeof__(glfs_write) *write;
    __typeof__(glfs_read) *read;
    __typeof__(glfs_close) *close;
    __typeof__(glfs_fsync) *fsync;
    __typeof__(glfs_opendir) *opendir;
    __typeof__(glfs_readdir) *readdir;
    __typeof__(glfs_closedir) *closedir;
    __typeof__(glfs_rename) *rename;
} api;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;
static char api_error[512];
static int api_loaded;

static void api_load(void) {
    void *lib = dlopen(BRICKCTL_GFAPI_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(api_error, sizeof api_error, "%s", why ? why : "dlopen failed");
        return;
    }
#define LOAD(field, symbol)                                                                          \
    if ((api.field = (__typeof__(api.field))dlsym(lib, #symbol)) == NULL) {                          \
        snprintf(api_error, sizeof api_error, "%s has no symbol %s", BRICKCTL_GFAPI_LIBRARY, #symbol); \
        return;                                                                                      \
    }
    LOAD(new_, glfs_new)
    LOAD(set_volfile_server, glfs_set_volfile_server)
    LOAD(set_logging, glfs_set_logging)
    LOAD(init, glfs_init)
    LOAD(fini, glfs_fini)
    LOAD(statvfs, glfs_statvfs)
    LOAD(mkdir, glfs_mkdir)
    LOAD(rmdir, glfs_rmdir)
    LOAD(unlink, glfs_unlink)
    LOAD(chown, glfs_chown)
    LOAD(stat, glfs_stat)
    LOAD(chmod, glfs_chmod)
    LOAD(creat, glfs_creat)
    LOAD(open, glfs_open)
    LOAD(write, glfs_write)
    LOAD(read, glfs_read)
    LOAD(close, glfs_close)
    LOAD(fsync, glfs_fsync)
    LOAD(opendir, glfs_opendir)
    LOAD(readdir, glfs_readdir)
    LOAD(closedir, glfs_closedir)
    LOAD(rename, glfs_rename)
#undef LOAD
    api_loaded = 1;
}

const char *brickctl_glfs_load_error(void) {
    pthread_once(&api_once, api_load);
    return api_loaded ? NULL : api_error;
}

brickctl_glfs *brickctl_glfs_new(const char *volname) {
    if (brickctl_glfs_load_error() != NULL) {
        errno = ELIBACC;
        return NULL;
    }
    return (brickctl_glfs *)api.new_(volname);
}

int brickctl_glfs_set_volfile_server(brickctl_glfs *fs, const char *transport, const char *host, int port) {
    return api.set_volfile_server((glfs_t *)fs, transport, host, port);
}

int brickctl_glfs_set_logging(brickctl_glfs *fs, const char *logfile, int loglevel) {
    return api.set_logging((glfs_t *)fs, logfile, loglevel);
}

int brickctl_glfs_init(brickctl_glfs *fs) { return api.init((glfs_t *)fs); }

int brickctl_glfs_fini(brickctl_glfs *fs) { return api.fini((glfs_t *)fs); }

int brickctl_glfs_statvfs(brickctl_glfs *fs, const char *path, brickctl_glfs_statvfs_t *out) {
    struct statvfs st;
    int rc = api.statvfs((glfs_t *)fs, path, &st);
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
    return api.mkdir((glfs_t *)fs, path, (mode_t)mode);
}

int brickctl_glfs_rmdir(brickctl_glfs *fs, const char *path) { return api.rmdir((glfs_t *)fs, path); }

int brickctl_glfs_unlink(brickctl_glfs *fs, const char *path) { return api.unlink((glfs_t *)fs, path); }

int brickctl_glfs_chown(brickctl_glfs *fs, const char *path, unsigned int uid, unsigned int gid) {
    return api.chown((glfs_t *)fs, path, (uid_t)uid, (gid_t)gid);
}

int brickctl_glfs_stat(brickctl_glfs *fs, const char *path, brickctl_glfs_stat_t *out) {
    struct stat st;
    if (api.stat((glfs_t *)fs, path, &st) != 0) return -1;
    out->mode = (uint32_t)st.st_mode;
    out->uid = (uint32_t)st.st_uid;
    out->gid = (uint32_t)st.st_gid;
    out->size = (uint64_t)st.st_size;
    return 0;
}

int brickctl_glfs_chmod(brickctl_glfs *fs, const char *path, unsigned int mode) {
    return api.chmod((glfs_t *)fs, path, (mode_t)mode);
}

int brickctl_glfs_mode_is_directory(uint32_t mode) { return S_ISDIR(mode) ? 1 : 0; }

brickctl_glfs_fd *brickctl_glfs_creat(brickctl_glfs *fs, const char *path, int flags, unsigned int mode) {
    return (brickctl_glfs_fd *)api.creat((glfs_t *)fs, path, flags, (mode_t)mode);
}

brickctl_glfs_fd *brickctl_glfs_open(brickctl_glfs *fs, const char *path, int flags) {
    return (brickctl_glfs_fd *)api.open((glfs_t *)fs, path, flags);
}

long brickctl_glfs_write(brickctl_glfs_fd *fd, const void *buf, size_t count) {
    return (long)api.write((glfs_fd_t *)fd, buf, count, 0);
}

long brickctl_glfs_read(brickctl_glfs_fd *fd, void *buf, size_t count) {
    return (long)api.read((glfs_fd_t *)fd, buf, count, 0);
}

int brickctl_glfs_close(brickctl_glfs_fd *fd) { return api.close((glfs_fd_t *)fd); }

int brickctl_glfs_fsync(brickctl_glfs_fd *fd) { return api.fsync((glfs_fd_t *)fd, NULL, NULL); }

brickctl_glfs_fd *brickctl_glfs_opendir(brickctl_glfs *fs, const char *path) {
    return (brickctl_glfs_fd *)api.opendir((glfs_t *)fs, path);
}

int brickctl_glfs_readdir_name(brickctl_glfs_fd *fd, char *name, size_t size) {
    errno = 0;
    struct dirent *entry = api.readdir((glfs_fd_t *)fd);
    if (entry == NULL) return errno == 0 ? 0 : -1;
    snprintf(name, size, "%s", entry->d_name);
    return 1;
}

int brickctl_glfs_closedir(brickctl_glfs_fd *fd) { return api.closedir((glfs_fd_t *)fd); }

int brickctl_glfs_rename(brickctl_glfs *fs, const char *from, const char *to) {
    return api.rename((glfs_t *)fs, from, to);
}
