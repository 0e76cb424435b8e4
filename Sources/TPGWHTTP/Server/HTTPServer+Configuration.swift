#if canImport(Glibc)
import Glibc
#endif

extension HTTPServer {
    /// Server settings; every field has a documented default.
    package struct Configuration: Sendable {
        /// Address to bind. Default `127.0.0.1`; use `0.0.0.0` or `::` to listen on all interfaces.
        package var host: String = "127.0.0.1"
        /// Port to bind; 0 picks a free one (see `HTTPServer.localPort`).
        package var port: Int = 0
        /// Event-loop threads; default one per core.
        package var eventLoopThreads: Int = HTTPServer.Configuration.coreCount
        /// Open connections beyond this are accepted, answered 503 and closed.
        package var maxConnections: Int = 10_000
        /// Request line limit (414 beyond).
        package var maxRequestLineBytes: Int = 8192
        /// Header block limit in bytes (431 beyond).
        package var maxHeaderBytes: Int = 32768
        /// Header field count limit (431 beyond).
        package var maxHeaderCount: Int = 100
        /// Body limit (413 beyond, answered without reading the body).
        package var maxBodyBytes: Int = 1 << 20
        /// Bytes all connections together may hold in request bodies being received or handled. A body that would
        /// go beyond is refused before it is read: 503 with `Retry-After` and close. A `Content-Length` body takes
        /// its length from the budget, a chunked one `maxBodyBytes`; given back when its response is written or its
        /// connection closes.
        package var maxBufferedBodyBytes: Int = 64 << 20
        /// From the first byte of a request to the end of its head (408 + close).
        package var headerReadTimeout: Duration = .seconds(10)
        /// From the end of the head to the end of the body (408 + close).
        package var bodyReadTimeout: Duration = .seconds(30)
        /// How long a keep-alive connection may sit between requests.
        package var idleTimeout: Duration = .seconds(60)
        /// How long writing one response may take before the connection is dropped.
        package var writeTimeout: Duration = .seconds(30)
        /// Graceful shutdown gives in-flight requests this long, then closes everything.
        package var shutdownDeadline: Duration = .seconds(25)
        /// One info line per request (method, route, status, duration, request id).
        package var accessLog: Bool = true
        /// listen(2) backlog.
        package var backlog: Int32 = 4096

        package init() {}

        package init(host: String = "127.0.0.1", port: Int = 0) {
            self.host = host
            self.port = port
        }

        package static var coreCount: Int {
            max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        }

        var parserLimits: RequestParser.Limits {
            RequestParser.Limits(
                maxRequestLineBytes: maxRequestLineBytes, maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount,
                maxBodyBytes: maxBodyBytes)
        }
    }
}
