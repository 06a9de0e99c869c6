#define _GNU_SOURCE
#include <sys/socket.h>
#include "CSystem.h"

int csys_accept4(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

#include <spawn.h>

/* Starts `path` (searched in PATH when it has no slash) with `argv`/`envp`, its standard input from
   `stdin_fd` and its standard output and error to `stdout_fd`; every other descriptor is closed in the
   child (closefrom, glibc 2.34+), so a child never holds the parent's sockets or files. For the tests'
   child processes: Foundation's Process.run() over-reads /proc/self/fd entries on Linux and crashes
   when many descriptors are open. Returns 0 or an errno value. */
int csys_spawn(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    if ((rc = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0)) == 0
        && (rc = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1)) == 0
        && (rc = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 2)) == 0
        && (rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3)) == 0) {
        rc = posix_spawnp(pid, path, &actions, NULL, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}
