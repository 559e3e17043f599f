#define _GNU_SOURCE
#include "CXinyuChildProcess.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int cxinyu_pidfd_open(pid_t pid) {
    // Through syscall(2) so it also builds against a glibc older than 2.36.
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int cxinyu_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowfd);
}

int cxinyu_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cxinyu_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cxinyu_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int cxinyu_epoll_add(int epfd, int fd, uint64_t token) {
    struct epoll_event event = {0};
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

int cxinyu_epoll_remove(int epfd, int fd) {
    struct epoll_event unused = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &unused);
}

int cxinyu_epoll_wait(int epfd, uint64_t *tokens, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int count = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < count; i++) tokens[i] = events[i].data.u64;
    return count;
}

int cxinyu_wifexited(int status) { return WIFEXITED(status); }
int cxinyu_wexitstatus(int status) { return WEXITSTATUS(status); }
int cxinyu_wifsignaled(int status) { return WIFSIGNALED(status); }
int cxinyu_wtermsig(int status) { return WTERMSIG(status); }
