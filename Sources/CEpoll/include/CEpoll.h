#ifndef TPGW_CEPOLL_H
#define TPGW_CEPOLL_H
// epoll(7), eventfd(2) and accept4(2) for TPGWHTTP's event loop: Swift's Glibc module does not export
// <sys/epoll.h> or <sys/eventfd.h>, and accept4 is GNU-only. Linux only.
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>

static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const uint32_t CEPOLL_EXCLUSIVE = EPOLLEXCLUSIVE;
static const uint32_t CEPOLL_ET = EPOLLET;
static const int CEPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int CEPOLL_CTL_DEL = EPOLL_CTL_DEL;

/// epoll_create1(EPOLL_CLOEXEC).
int cepoll_create(void);
/// epoll_ctl(epfd, op, fd) with `events`, the event's data being `fd` itself.
int cepoll_ctl(int epfd, int op, int fd, uint32_t events);
/// epoll_wait into `events` (`capacity` of them).
int cepoll_wait(int epfd, struct epoll_event *events, int capacity, int timeout_ms);
/// The fd an event from `cepoll_ctl` carries.
int cepoll_event_fd(const struct epoll_event *event);
/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK).
int cepoll_eventfd(void);
/// accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC).
int cepoll_accept(int fd, struct sockaddr *address, socklen_t *length);

#endif
