#if canImport(Glibc)
import Glibc
#endif

/// epoll(7), eventfd(2) and accept4(2), the only Linux-specific calls the server makes.
///
/// Swift's Glibc module does not export `<sys/epoll.h>` or `<sys/eventfd.h>`, and the project adds no C
/// modules beyond CCurl/CLibPQ/CCrypto, so these functions are looked up once with `dlsym` and called
/// through `@convention(c)` pointers (the real C ABI). `struct epoll_event` is packed on x86_64
/// (12 bytes: u32 events, u64 data) and naturally aligned elsewhere (16 bytes); events are read from a
/// raw buffer with that layout.
enum Epoll {
    static let EPOLLIN: UInt32 = 0x001
    static let EPOLLOUT: UInt32 = 0x004
    static let EPOLLERR: UInt32 = 0x008
    static let EPOLLHUP: UInt32 = 0x010
    static let EPOLLRDHUP: UInt32 = 0x2000
    static let EPOLLEXCLUSIVE: UInt32 = 1 << 28
    static let EPOLLET: UInt32 = 1 << 31
    static let EPOLL_CTL_ADD: Int32 = 1
    static let EPOLL_CTL_DEL: Int32 = 2
    static let EPOLL_CTL_MOD: Int32 = 3
    static let EPOLL_CLOEXEC: Int32 = 0o2000000
    static let EFD_CLOEXEC: Int32 = 0o2000000
    static let EFD_NONBLOCK: Int32 = 0o4000

    #if arch(x86_64)
    static let eventStride = 12
    static let dataOffset = 4
    #else
    static let eventStride = 16
    static let dataOffset = 8
    #endif

    private typealias CreateFn = @convention(c) (Int32) -> Int32
    private typealias CtlFn = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias WaitFn = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private typealias EventFDFn = @convention(c) (UInt32, Int32) -> Int32
    private typealias Accept4Fn = @convention(c) (Int32, UnsafeMutableRawPointer?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    private struct Functions: @unchecked Sendable {
        let create: CreateFn
        let ctl: CtlFn
        let wait: WaitFn
        let eventfd: EventFDFn
        let accept4: Accept4Fn
    }

    private static let functions: Functions = {
        let handle = dlopen(nil, RTLD_NOW)
        func load<T>(_ name: String, as type: T.Type) -> T {
            guard let symbol = dlsym(handle, name) else { fatalError("libc lacks \(name)") }
            return unsafeBitCast(symbol, to: type)
        }
        return Functions(
            create: load("epoll_create1", as: CreateFn.self), ctl: load("epoll_ctl", as: CtlFn.self),
            wait: load("epoll_wait", as: WaitFn.self), eventfd: load("eventfd", as: EventFDFn.self),
            accept4: load("accept4", as: Accept4Fn.self))
    }()

    /// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC (also GNU-only in the Glibc module).
    static func acceptNonBlocking(_ fd: Int32, _ address: UnsafeMutableRawPointer, _ length: UnsafeMutablePointer<socklen_t>) -> Int32 {
        functions.accept4(fd, address, length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
    }

    static func create() -> Int32 { functions.create(EPOLL_CLOEXEC) }

    static func eventFD() -> Int32 { functions.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) }

    /// `epoll_ctl(op)` for `fd` with `events`, tagging events with `fd` itself.
    @discardableResult
    static func control(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32) -> Int32 {
        var raw: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &raw) { buffer in
            buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            buffer.storeBytes(of: UInt64(UInt32(bitPattern: fd)), toByteOffset: dataOffset, as: UInt64.self)
            return functions.ctl(epfd, op, fd, buffer.baseAddress)
        }
    }

    /// A buffer for `capacity` events.
    struct Events {
        let buffer: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            buffer = .allocate(byteCount: capacity * Epoll.eventStride, alignment: 16)
        }

        func deallocate() { buffer.deallocate() }

        func events(at i: Int) -> UInt32 { buffer.loadUnaligned(fromByteOffset: i * Epoll.eventStride, as: UInt32.self) }

        func fd(at i: Int) -> Int32 {
            Int32(truncatingIfNeeded: buffer.loadUnaligned(fromByteOffset: i * Epoll.eventStride + Epoll.dataOffset, as: UInt64.self))
        }
    }

    static func wait(_ epfd: Int32, _ events: Events, timeoutMs: Int32) -> Int32 {
        functions.wait(epfd, events.buffer, Int32(events.capacity), timeoutMs)
    }
}
