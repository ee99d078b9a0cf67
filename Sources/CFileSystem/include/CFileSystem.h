#ifndef TUNNELBENCH_CFILESYSTEM_H
#define TUNNELBENCH_CFILESYSTEM_H

/// Atomically exchanges the two paths (both must exist, on one file system): Linux's
/// renameat2(2) with RENAME_EXCHANGE, called through syscall(2) because glibc declares
/// renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not define. Returns 0, or
/// -1 with errno set (ENOSYS or EINVAL where the kernel or the file system cannot exchange).
int tunnelbench_exchange_paths(const char *first, const char *second);

/// A pipe whose two ends are close-on-exec from the moment they exist (pipe2(2) with
/// O_CLOEXEC, declared by glibc only under _GNU_SOURCE): no program another thread starts can
/// inherit them. Returns 0, or -1 with errno set.
int tunnelbench_pipe_cloexec(int fds[2]);

/// The process groups of the external programs running now, killed when `bench` itself is
/// stopped by SIGINT, SIGTERM or SIGHUP (each program runs in a group of its own, so a terminal's
/// Ctrl-C does not reach it). The first `add` installs the handlers, for each signal whose
/// disposition is the default (an ignored one stays ignored); the handler kills every group and
/// then dies of the signal as `bench` would have. At most 65,536 groups are held; `add` returns
/// -1 when the table is full (that program is then not killed), else 0.
int tunnelbench_children_add(int pgid);
void tunnelbench_children_remove(int pgid);

#endif
