#ifndef TUNNELBENCH_CFILESYSTEM_H
#define TUNNELBENCH_CFILESYSTEM_H

/// Atomically exchanges the two paths (both must exist, on one file system): Linux's
/// renameat2(2) with RENAME_EXCHANGE, called through syscall(2) because glibc declares
/// renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not define. Returns 0, or
/// -1 with errno set (ENOSYS or EINVAL where the kernel or the file system cannot exchange).
int tunnelbench_exchange_paths(const char *first, const char *second);

#endif
