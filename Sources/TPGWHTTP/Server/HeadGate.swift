/// Decides, on the event loop and before any body byte is read, whether a request that announces a body
/// (`Content-Length` > 0 or chunked) may send it. Return nil to go on reading; return a problem to answer it
/// at once and close the connection, so that the body is never buffered (and `100 Continue` is never sent).
///
/// It runs on a loop thread: it must be quick and must not block (no I/O, no waiting on locks held for long).
/// Requests without a body never reach it; their handlers authenticate as usual.
package typealias HeadGate = @Sendable (HTTPRequestHead) -> HTTPProblem?
