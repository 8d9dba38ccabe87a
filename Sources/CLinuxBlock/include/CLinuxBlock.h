// Block-device ioctls, which Swift cannot call directly (ioctl is variadic).
#ifndef BRICKCTL_CLINUXBLOCK_H
#define BRICKCTL_CLINUXBLOCK_H

#include <stdint.h>

/// BLKGETSIZE64: the device size in bytes. Returns 0 or -1 with errno.
int brickctl_blk_size64(int fd, uint64_t *bytes);
/// BLKROGET: 1 when the kernel marks the device read-only. Returns 0 or -1 with errno.
int brickctl_blk_readonly(int fd, int *readonly);
/// BLKPG_ADD_PARTITION for partition `number` at byte `start` of `length` bytes.
int brickctl_blkpg_add_partition(int fd, int number, int64_t start, int64_t length);
/// BLKPG_DEL_PARTITION for partition `number`.
int brickctl_blkpg_del_partition(int fd, int number);
/// BLKFLSBUF: flush the device's buffer cache.
int brickctl_blk_flush(int fd);

#endif
