// The few Linux calls that Swift's Glibc module does not import (pidfd_open, epoll,
// posix_spawn_file_actions_addclosefrom_np, addchdir_np) and the wait-status macros, for
// XinyuChildProcess. Each is a thin wrapper: no logic lives here.
#ifndef CXINYU_CHILD_PROCESS_H
#define CXINYU_CHILD_PROCESS_H

#include <spawn.h>
#include <stdint.h>
#include <sys/types.h>

/// pidfd_open(2) (Linux >= 5.3): a descriptor for `pid` that turns readable when it exits.
/// The descriptor is close-on-exec. Returns -1 with errno set on failure.
int cxinyu_pidfd_open(pid_t pid);

/// Adds "close every descriptor >= lowfd" to the child's file actions (glibc >= 2.34).
int cxinyu_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd);

/// Adds "change to `path`" to the child's file actions (glibc >= 2.29).
int cxinyu_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from birth.
int cxinyu_pipe_cloexec(int fds[2]);

/// epoll_create1(EPOLL_CLOEXEC).
int cxinyu_epoll_create(void);

/// Watches `fd` for readability (level-triggered; hang-up and errors are always reported),
/// tagging its events with `token`.
int cxinyu_epoll_add(int epfd, int fd, uint64_t token);

/// Stops watching `fd`.
int cxinyu_epoll_remove(int epfd, int fd);

/// epoll_wait: fills up to `max` tokens; returns how many, or -1 with errno set.
int cxinyu_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms);

/// The wait-status macros, which Swift cannot import.
int cxinyu_wifexited(int status);
int cxinyu_wexitstatus(int status);
int cxinyu_wifsignaled(int status);
int cxinyu_wtermsig(int status);

#endif
