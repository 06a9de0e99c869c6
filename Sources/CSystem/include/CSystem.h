#ifndef WG_CSYSTEM_H
#define WG_CSYSTEM_H

/* No _GNU_SOURCE here: the header must parse exactly as Glibc's module does. Functions that need
   _GNU_SOURCE (accept4) are defined in CSystem.c. */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* Constants that import badly (enums / macros with casts). */
static const uint32_t csys_EPOLLIN = EPOLLIN;
static const uint32_t csys_EPOLLOUT = EPOLLOUT;
static const uint32_t csys_EPOLLERR = EPOLLERR;
static const uint32_t csys_EPOLLHUP = EPOLLHUP;
static const uint32_t csys_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t csys_EPOLLET = EPOLLET;
static const int csys_SOCK_NONBLOCK_CLOEXEC = 04000 | 02000000; /* SOCK_NONBLOCK | SOCK_CLOEXEC on Linux */
static const int csys_SOCK_STREAM = SOCK_STREAM;

static inline int csys_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

/* The event's data is the fd; the kernel struct is packed on x86_64, so go through C. */
static inline int csys_epoll_ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev);
}

/* Waits and copies (fd, events) pairs into two flat arrays. */
static inline int csys_epoll_wait(int epfd, int32_t *fds, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = evs[i].data.fd;
        events[i] = evs[i].events;
    }
    return n;
}

static inline int csys_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline int csys_eventfd_blocking(void) { return eventfd(0, EFD_CLOEXEC); }

/* posix_spawnp with stdin/stdout/stderr wired and every other descriptor closed in the child. */
int csys_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, pid_t *pid);

/* accept4(SOCK_NONBLOCK | SOCK_CLOEXEC). */
int csys_accept4(int fd, struct sockaddr *addr, socklen_t *len);

static inline int csys_errno(void) { return errno; }

static inline int csys_set_int_option(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, sizeof value);
}

/* Linger 0: close sends RST (used to shed load without TIME_WAIT). */
static inline int csys_set_linger_zero(int fd) {
    struct linger l = { 1, 0 };
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

static inline int csys_block_sigpipe(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static inline ssize_t csys_send_nosignal(int fd, const void *buf, size_t len) {
    return send(fd, buf, len, MSG_NOSIGNAL);
}

static inline ssize_t csys_writev(int fd, const struct iovec *iov, int cnt) {
    return writev(fd, iov, cnt);
}

#endif
