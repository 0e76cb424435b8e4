#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TPGWCore

/// An incremental HTTP/1.x request parser: a pure state machine over bytes, no I/O.
///
/// Feed it whatever bytes arrived with `parse(_:)`. It consumes input until it needs more
/// (`.needMore`, all input consumed), has a complete request (`.request`, the rest of the input is
/// the next pipelined request), has read the head of a request that announces a body (`.head`, before
/// any body byte is consumed, so that the caller can refuse the body or answer `100 Continue`),
/// or finds an error (`.failure`; the parser stays failed, the connection must be closed).
/// Partial lines are carried over internally, so a request may arrive one byte at a time.
package struct RequestParser: Sendable {
    /// Size limits; each violation maps to its own status.
    package struct Limits: Sendable, Hashable {
        package var maxRequestLineBytes: Int
        package var maxHeaderBytes: Int
        package var maxHeaderCount: Int
        package var maxBodyBytes: Int

        package init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 20) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
        }
    }

    package enum Event: Sendable {
        case needMore
        /// The head announces a body (`Content-Length` > 0 or chunked); no body byte is consumed yet. Feed the
        /// rest to read the body, or refuse it. When `head.expectsContinue`, answer `100 Continue` first.
        case head(HTTPRequestHead)
        case request(HTTPRequest)
        case failure(HTTPParseError)
    }

    private enum State: Sendable {
        case requestLine
        case headerLine
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLine
        case failed(HTTPParseError)
    }

    /// Longest accepted chunk-size line (size plus extensions).
    static let maxChunkLineBytes = 4096

    package let limits: Limits
    private var state: State = .requestLine
    /// A line split across reads, without its terminator.
    private var partialLine: [UInt8] = []
    /// Whether the partial line already contains its CR (line ends at the next LF).
    private var partialLineHasCR = false

    // The request being assembled.
    private var method: HTTPMethod = .GET
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    private var headerBytes = 0
    private var trailerCount = 0
    private var contentLength: Int?
    private var transferEncodings: [String] = []
    private var hostCount = 0
    private var expectContinue = false

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// True between requests: no byte of a next request has been consumed.
    package var isIdle: Bool {
        if case .requestLine = state { return partialLine.isEmpty }
        return false
    }

    /// True once the head has been parsed and the body is being read.
    package var isReadingBody: Bool {
        switch state {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailerLine: return true
        default: return false
        }
    }

    /// Convenience for tests and fuzzing.
    package mutating func parse(_ bytes: [UInt8]) -> (consumed: Int, event: Event) {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// Consumes bytes from `input`; see the type's documentation for what each event means.
    package mutating func parse(_ input: UnsafeRawBufferPointer) -> (consumed: Int, event: Event) {
        var pos = 0
        let count = input.count
        while true {
            switch state {
            case .failed(let error):
                return (pos, .failure(error))

            case .body(let remaining):
                let n = min(remaining, count - pos)
                if n > 0 {
                    // Storage is taken when the first body byte arrives, not when the head announces it.
                    if body.isEmpty { body.reserveCapacity(remaining) }
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[pos..<(pos + n)]))
                    pos += n
                }
                if remaining - n == 0 { return (pos, .request(finishRequest())) }
                state = .body(remaining: remaining - n)
                return (pos, .needMore)

            case .chunkData(let remaining):
                let n = min(remaining, count - pos)
                if n > 0 {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[pos..<(pos + n)]))
                    pos += n
                }
                if remaining - n == 0 {
                    state = .chunkDataEnd
                } else {
                    state = .chunkData(remaining: remaining - n)
                    return (pos, .needMore)
                }

            case .requestLine, .headerLine, .chunkSize, .chunkDataEnd, .trailerLine:
                let limit = lineLimit()
                switch takeLine(input, &pos, limit: limit.bytes) {
                case .incomplete:
                    return (pos, .needMore)
                case .tooLong:
                    return (pos, fail(limit.error))
                case .invalid:
                    return (pos, fail(HTTPParseError(.badRequest, "bare CR in line")))
                case .line(let line):
                    if let event = handleLine(line) { return (pos, event) }
                case .bufferedLine:
                    let line = partialLine
                    partialLine = []
                    partialLineHasCR = false
                    let event = line.withUnsafeBytes { handleLine($0) }
                    if let event { return (pos, event) }
                }
            }
        }
    }

    // MARK: - Lines

    private enum LineResult {
        case line(UnsafeRawBufferPointer)
        case bufferedLine
        case incomplete
        case tooLong
        case invalid
    }

    private func lineLimit() -> (bytes: Int, error: HTTPParseError) {
        switch state {
        case .requestLine:
            return (limits.maxRequestLineBytes, HTTPParseError(.uriTooLong, "request line too long"))
        case .headerLine, .trailerLine:
            return (max(0, limits.maxHeaderBytes - headerBytes), HTTPParseError(.headersTooLarge, "header block too large"))
        default:
            return (RequestParser.maxChunkLineBytes, HTTPParseError(.badRequest, "chunk size line too long"))
        }
    }

    /// Finds the next line (terminated by LF, optionally CR LF). A line split across calls is kept in
    /// `partialLine`. Errors are reported at the byte that causes them, in order, so feeding the same
    /// bytes in any split gives the same result: a CR not followed by LF is invalid; more than `limit`
    /// content bytes is too long.
    private mutating func takeLine(_ input: UnsafeRawBufferPointer, _ pos: inout Int, limit: Int) -> LineResult {
        let start = pos
        let count = input.count
        let buffered = !partialLine.isEmpty || partialLineHasCR
        // Fast path: the whole line is in `input`, ends in (CR)LF, has no other CR and fits.
        if !buffered, let base = input.baseAddress, start < count,
           let lf = memchr(base + start, 0x0A, count - start) {
            let lfIndex = base.distance(to: UnsafeRawPointer(lf))
            var end = lfIndex
            if end > start && input[end - 1] == 0x0D { end -= 1 }
            if end - start <= limit && (end == start || memchr(base + start, 0x0D, end - start) == nil) {
                pos = lfIndex + 1
                return .line(UnsafeRawBufferPointer(rebasing: input[start..<end]))
            }
        }
        // Byte by byte, continuing any buffered part.
        var length = partialLine.count
        var hasCR = partialLineHasCR
        var i = start
        while i < count {
            let c = input[i]
            if c == 0x0A {
                let contentEnd = hasCR ? i - 1 : i
                pos = i + 1
                if !buffered {
                    return .line(UnsafeRawBufferPointer(rebasing: input[start..<max(start, contentEnd)]))
                }
                if contentEnd > start { partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<contentEnd])) }
                return .bufferedLine
            }
            if hasCR { return .invalid }
            if c == 0x0D {
                hasCR = true
            } else {
                length += 1
                if length > limit { return .tooLong }
            }
            i += 1
        }
        let contentEnd = hasCR ? count - 1 : count
        if contentEnd > start { partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<contentEnd])) }
        partialLineHasCR = hasCR
        pos = count
        return .incomplete
    }

    private mutating func fail(_ error: HTTPParseError) -> Event {
        state = .failed(error)
        partialLine = []
        body = []
        return .failure(error)
    }

    private mutating func handleLine(_ line: UnsafeRawBufferPointer) -> Event? {
        switch state {
        case .requestLine:
            if line.isEmpty { return nil }  // RFC 9112 §2.2: ignore empty lines before the request line
            return parseRequestLine(line)
        case .headerLine:
            headerBytes += line.count + 2
            if line.isEmpty { return endOfHeaders() }
            if headers.count >= limits.maxHeaderCount {
                return fail(HTTPParseError(.headersTooLarge, "too many header fields"))
            }
            return parseHeaderLine(line)
        case .chunkSize:
            return parseChunkSize(line)
        case .chunkDataEnd:
            if !line.isEmpty { return fail(HTTPParseError(.badRequest, "chunk data longer than its size")) }
            state = .chunkSize
            return nil
        case .trailerLine:
            headerBytes += line.count + 2
            if line.isEmpty { return .request(finishRequest()) }
            trailerCount += 1
            if headers.count + trailerCount > limits.maxHeaderCount {
                return fail(HTTPParseError(.headersTooLarge, "too many trailer fields"))
            }
            // Trailers are validated and dropped: nothing downstream relies on them.
            if splitHeader(line) == nil { return fail(HTTPParseError(.badRequest, "malformed trailer field")) }
            return nil
        default:
            return nil
        }
    }

    // MARK: - Request line

    private mutating func parseRequestLine(_ line: UnsafeRawBufferPointer) -> Event? {
        guard let sp1 = line.firstIndex(of: 0x20) else { return fail(HTTPParseError(.badRequest, "malformed request line")) }
        let rest = sp1 + 1
        guard rest < line.count, let sp2r = line[rest...].firstIndex(of: 0x20) else {
            return fail(HTTPParseError(.badRequest, "malformed request line"))
        }
        let methodBytes = UnsafeRawBufferPointer(rebasing: line[0..<sp1])
        let targetBytes = UnsafeRawBufferPointer(rebasing: line[rest..<sp2r])
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(sp2r + 1)...])

        guard !methodBytes.isEmpty, methodBytes.allSatisfy(RequestParser.isTokenChar) else {
            return fail(HTTPParseError(.badRequest, "malformed method"))
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return fail(HTTPParseError(.badRequest, "malformed request target"))
        }
        // Version first: an unparseable version makes the whole line suspect.
        switch RequestParser.parseVersion(versionBytes) {
        case .ok(let v): version = v
        case .unsupported: return fail(HTTPParseError(.versionNotSupported, "only HTTP/1.0 and HTTP/1.1 are supported"))
        case .malformed: return fail(HTTPParseError(.badRequest, "malformed HTTP version"))
        }
        guard let m = RequestParser.method(methodBytes) else {
            return fail(HTTPParseError(.badRequest, "malformed method"))
        }
        method = m
        let first = targetBytes[0]
        if first == UInt8(ascii: "*") {
            guard targetBytes.count == 1, m == .OPTIONS else { return fail(HTTPParseError(.badRequest, "malformed request target")) }
        } else if first != UInt8(ascii: "/") {
            // Absolute form: scheme "://" ...
            guard RequestParser.isAbsoluteForm(targetBytes) else {
                return fail(HTTPParseError(.badRequest, "malformed request target"))
            }
        }
        target = String(decoding: targetBytes, as: UTF8.self)
        state = .headerLine
        headerBytes = 0
        return nil
    }

    private enum VersionResult { case ok(HTTPVersion), unsupported, malformed }

    private static func parseVersion(_ b: UnsafeRawBufferPointer) -> VersionResult {
        // "HTTP/" DIGIT "." DIGIT
        guard b.count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F, b[6] == 0x2E,
              isDigit(b[5]), isDigit(b[7])
        else { return .malformed }
        let major = Int(b[5] - 0x30)
        let minor = Int(b[7] - 0x30)
        if major == 1 && (minor == 0 || minor == 1) { return .ok(HTTPVersion(major: major, minor: minor)) }
        return .unsupported
    }

    private static func method(_ b: UnsafeRawBufferPointer) -> HTTPMethod? {
        switch b.count {
        case 3:
            if b[0] == 0x47 && b[1] == 0x45 && b[2] == 0x54 { return .GET }
            if b[0] == 0x50 && b[1] == 0x55 && b[2] == 0x54 { return .PUT }
        case 4:
            if b.elementsEqual("POST".utf8) { return .POST }
            if b.elementsEqual("HEAD".utf8) { return .HEAD }
        case 5:
            if b.elementsEqual("PATCH".utf8) { return .PATCH }
            if b.elementsEqual("TRACE".utf8) { return .TRACE }
        case 6:
            if b.elementsEqual("DELETE".utf8) { return .DELETE }
        case 7:
            if b.elementsEqual("OPTIONS".utf8) { return .OPTIONS }
        default: break
        }
        // Any other token (RFC 9110 §9.1: methods are case-sensitive tokens) is a method we do not route.
        return b.count <= 32 && b.allSatisfy(isTokenChar) ? .OTHER : nil
    }

    private static func isAbsoluteForm(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count, isAlpha(b[i]) || (i > 0 && (isDigit(b[i]) || b[i] == 0x2B || b[i] == 0x2D || b[i] == 0x2E)) { i += 1 }
        guard i > 0, i + 3 <= b.count, b[i] == 0x3A, b[i + 1] == 0x2F, b[i + 2] == 0x2F else { return false }
        return true
    }

    // MARK: - Header fields

    private func splitHeader(_ line: UnsafeRawBufferPointer) -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        guard let colon = line.firstIndex(of: 0x3A), colon > 0 else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        guard name.allSatisfy(RequestParser.isTokenChar) else { return nil }  // also rejects "Name :" and obs-fold
        var vs = colon + 1
        var ve = line.count
        while vs < ve, line[vs] == 0x20 || line[vs] == 0x09 { vs += 1 }
        while ve > vs, line[ve - 1] == 0x20 || line[ve - 1] == 0x09 { ve -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[vs..<ve])
        for c in value where (c < 0x20 && c != 0x09) || c == 0x7F { return nil }
        return (name, value)
    }

    private mutating func parseHeaderLine(_ line: UnsafeRawBufferPointer) -> Event? {
        if line[0] == 0x20 || line[0] == 0x09 { return fail(HTTPParseError(.badRequest, "obsolete line folding")) }
        guard let (nameBytes, valueBytes) = splitHeader(line) else {
            return fail(HTTPParseError(.badRequest, "malformed header field"))
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let value = String(decoding: valueBytes, as: UTF8.self)
        switch nameBytes.count {
        case 4 where RequestParser.equalsLower(nameBytes, "host"):
            hostCount += 1
        case 6 where RequestParser.equalsLower(nameBytes, "expect"):
            if RequestParser.equalsLower(valueBytes, "100-continue") { expectContinue = true }
        case 14 where RequestParser.equalsLower(nameBytes, "content-length"):
            if let error = addContentLength(valueBytes) { return fail(error) }
        case 17 where RequestParser.equalsLower(nameBytes, "transfer-encoding"):
            for piece in value.split(separator: ",") {
                let token = HeaderValue.trimmed(piece).lowercased()
                if !token.isEmpty { transferEncodings.append(token) }
            }
            if transferEncodings.isEmpty { return fail(HTTPParseError(.badRequest, "empty Transfer-Encoding")) }
        default:
            break
        }
        headers.add(name, value)
        return nil
    }

    /// Accepts `N` or a list of identical `N, N`; anything else is an error.
    private mutating func addContentLength(_ value: UnsafeRawBufferPointer) -> HTTPParseError? {
        var i = 0
        let n = value.count
        var sawValue = false
        while i <= n {
            // One element of the comma list.
            while i < n, value[i] == 0x20 || value[i] == 0x09 { i += 1 }
            var v = 0
            var digits = 0
            while i < n, RequestParser.isDigit(value[i]) {
                if digits >= 18 { return HTTPParseError(.payloadTooLarge, "Content-Length too large") }
                v = v * 10 + Int(value[i] - 0x30)
                digits += 1
                i += 1
            }
            while i < n, value[i] == 0x20 || value[i] == 0x09 { i += 1 }
            guard digits > 0, i == n || value[i] == 0x2C else { return HTTPParseError(.badRequest, "invalid Content-Length") }
            if let existing = contentLength, existing != v {
                return HTTPParseError(.badRequest, "conflicting Content-Length values")
            }
            contentLength = v
            sawValue = true
            i += 1
        }
        return sawValue ? nil : HTTPParseError(.badRequest, "invalid Content-Length")
    }

    private mutating func endOfHeaders() -> Event? {
        if version == .http1_1 && hostCount != 1 {
            return fail(HTTPParseError(.badRequest, hostCount == 0 ? "missing Host header" : "multiple Host headers"))
        }
        if hostCount > 1 { return fail(HTTPParseError(.badRequest, "multiple Host headers")) }
        if !transferEncodings.isEmpty {
            if contentLength != nil {
                return fail(HTTPParseError(.badRequest, "both Content-Length and Transfer-Encoding"))
            }
            if version == .http1_0 { return fail(HTTPParseError(.badRequest, "Transfer-Encoding in HTTP/1.0")) }
            guard transferEncodings.last == "chunked", transferEncodings.filter({ $0 == "chunked" }).count == 1 else {
                return fail(HTTPParseError(.badRequest, "chunked must be the final transfer coding"))
            }
            guard transferEncodings.count == 1 else {
                return fail(HTTPParseError(.notImplemented, "transfer coding not implemented"))
            }
            state = .chunkSize
            trailerCount = 0
            return .head(currentHead(contentLength: nil))
        }
        let length = contentLength ?? 0
        if length > limits.maxBodyBytes { return fail(HTTPParseError(.payloadTooLarge, "body exceeds \(limits.maxBodyBytes) bytes")) }
        if length == 0 { return .request(finishRequest()) }
        state = .body(remaining: length)
        return .head(currentHead(contentLength: length))
    }

    private func currentHead(contentLength: Int?) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: target, version: version, headers: headers, contentLength: contentLength,
                        expectsContinue: expectContinue)
    }

    // MARK: - Chunked bodies

    private mutating func parseChunkSize(_ line: UnsafeRawBufferPointer) -> Event? {
        var i = 0
        var size = 0
        while i < line.count, let h = PercentCoding.hexValue(line[i]) {
            if i >= 15 { return fail(HTTPParseError(.payloadTooLarge, "chunk too large")) }
            size = size << 4 | Int(h)
            i += 1
        }
        guard i > 0 else { return fail(HTTPParseError(.badRequest, "malformed chunk size")) }
        // chunk-ext: BWS ";" ... — validated loosely: visible characters, spaces and tabs only.
        var j = i
        while j < line.count, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
        if j < line.count {
            guard line[j] == 0x3B else { return fail(HTTPParseError(.badRequest, "malformed chunk size")) }
            for c in line[j...] where (c < 0x20 && c != 0x09) || c == 0x7F {
                return fail(HTTPParseError(.badRequest, "malformed chunk extension"))
            }
        }
        if size == 0 {
            state = .trailerLine
            return nil
        }
        if body.count + size > limits.maxBodyBytes {
            return fail(HTTPParseError(.payloadTooLarge, "body exceeds \(limits.maxBodyBytes) bytes"))
        }
        state = .chunkData(remaining: size)
        return nil
    }

    // MARK: - Completion

    private mutating func finishRequest() -> HTTPRequest {
        var request = HTTPRequest(method: method, target: target, version: version, headers: headers, body: body)
        if request.path.isEmpty { request.path = "/" }
        state = .requestLine
        headers = HTTPHeaders()
        body = []
        target = ""
        contentLength = nil
        transferEncodings = []
        hostCount = 0
        expectContinue = false
        headerBytes = 0
        trailerCount = 0
        return request
    }

    // MARK: - Character classes

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    /// RFC 9110 tchar.
    static func isTokenChar(_ c: UInt8) -> Bool {
        if isDigit(c) || isAlpha(c) { return true }
        switch c {
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// `b` equals the lowercase ASCII `s`, ignoring case in `b`.
    static func equalsLower(_ b: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        guard b.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for i in 0..<b.count {
            var c = b[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != p[i] { return false }
        }
        return true
    }
}
