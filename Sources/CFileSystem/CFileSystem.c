#define _GNU_SOURCE
#include "CFileSystem.h"

#include <errno.h>
#include <fcntl.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#endif

int tunnelbench_exchange_paths(const char *first, const char *second) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
#else
    (void)first;
    (void)second;
    errno = ENOSYS;
    return -1;
#endif
}

int tunnelbench_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#define TUNNELBENCH_CHILDREN 65536
static _Atomic int children[TUNNELBENCH_CHILDREN];
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void kill_children_and_die(int sig) {
    for (int i = 0; i < TUNNELBENCH_CHILDREN; i++) {
        int pgid = atomic_load(&children[i]);
        if (pgid > 0) kill(-pgid, SIGKILL);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void) {
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (int k = 0; k < 3; k++) {
        struct sigaction current;
        if (sigaction(signals[k], NULL, &current) != 0 || current.sa_handler != SIG_DFL) continue;
        struct sigaction action = {0};
        action.sa_handler = kill_children_and_die;
        sigemptyset(&action.sa_mask);
        sigaction(signals[k], &action, NULL);
    }
}

int tunnelbench_children_add(int pgid) {
    pthread_once(&handlers_once, install_handlers);
    for (int i = 0; i < TUNNELBENCH_CHILDREN; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&children[i], &expected, pgid)) return 0;
    }
    return -1;
}

void tunnelbench_children_remove(int pgid) {
    for (int i = 0; i < TUNNELBENCH_CHILDREN; i++) {
        int expected = pgid;
        if (atomic_compare_exchange_strong(&children[i], &expected, 0)) return;
    }
}
