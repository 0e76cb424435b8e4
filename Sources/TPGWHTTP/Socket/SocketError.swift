#if canImport(Glibc)
import Glibc
#endif

/// A failed socket system call, with errno captured at the call site.
package struct SocketError: Error, Sendable, CustomStringConvertible {
    package var call: String
    package var errno: Int32

    package init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    package var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}
