import CEpoll

#if canImport(Glibc)
import Glibc
#endif

/// epoll(7), eventfd(2) and accept4(2), the only Linux-specific calls the server makes, through the `CEpoll`
/// C target (Swift's Glibc module exports neither `<sys/epoll.h>` nor `<sys/eventfd.h>`, and accept4 is GNU-only).
enum Epoll {
    static let EPOLLIN = CEPOLL_IN
    static let EPOLLOUT = CEPOLL_OUT
    static let EPOLLERR = CEPOLL_ERR
    static let EPOLLHUP = CEPOLL_HUP
    static let EPOLLRDHUP = CEPOLL_RDHUP
    static let EPOLLEXCLUSIVE = CEPOLL_EXCLUSIVE
    static let EPOLLET = CEPOLL_ET
    static let EPOLL_CTL_ADD = CEPOLL_CTL_ADD
    static let EPOLL_CTL_DEL = CEPOLL_CTL_DEL

    /// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC.
    static func acceptNonBlocking(_ fd: Int32, _ address: UnsafeMutableRawPointer, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
        cepoll_accept(fd, address.assumingMemoryBound(to: sockaddr.self), length)
    }

    /// epoll_create1(EPOLL_CLOEXEC).
    static func create() -> Int32 { cepoll_create() }

    /// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK).
    static func eventFD() -> Int32 { cepoll_eventfd() }

    /// `epoll_ctl(op)` for `fd` with `events`, tagging events with `fd` itself.
    @discardableResult
    static func control(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32) -> Int32 {
        cepoll_ctl(epfd, op, fd, events)
    }

    /// A buffer for `capacity` events.
    struct Events {
        let buffer: UnsafeMutablePointer<epoll_event>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            buffer = .allocate(capacity: capacity)
        }

        func deallocate() { buffer.deallocate() }

        func events(at i: Int) -> UInt32 { buffer[i].events }

        func fd(at i: Int) -> Int32 { cepoll_event_fd(buffer + i) }
    }

    static func wait(_ epfd: Int32, _ events: Events, timeoutMs: Int32) -> Int32 {
        cepoll_wait(epfd, events.buffer, Int32(events.capacity), timeoutMs)
    }
}
