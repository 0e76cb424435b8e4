/// Serialises a response head and body into one byte buffer (or the head only, for a large body the event loop
/// sends from its own array), so a response goes out in one `sendmsg`.
///
/// Adds `Content-Length` (except for 1xx/204/304), `Date`, `X-Request-Id` (unless present) and
/// `Connection` as needed; drops any `Content-Length`, `Date`, `Connection` or `Transfer-Encoding`
/// the handler set (for `HEAD` a handler-set `Content-Length` is kept: it describes the GET body).
/// CR and LF in header names or values are replaced by spaces, so handlers cannot split responses.
enum ResponseEncoder {
    struct Options {
        var isHead = false
        /// Whether the connection stays open afterwards.
        var keepAlive = true
        /// The request was HTTP/1.0: keep-alive must be announced explicitly.
        var http10 = false
        var requestID: String = ""
        /// Write the head only; the caller sends `response.body` itself (large bodies are not copied).
        var headOnly = false
    }

    /// Whether `response` has body bytes on the wire for these options.
    static func sendsBody(_ response: HTTPResponse, options: Options) -> Bool {
        let code = response.status.code
        return !options.isHead && !(code < 200 || code == 204 || code == 304) && !response.body.isEmpty
    }

    static func encode(_ response: HTTPResponse, options: Options, date: [UInt8], into out: inout [UInt8]) {
        let code = response.status.code
        let bodyless = code < 200 || code == 204 || code == 304
        out.append(contentsOf: httpPrefix)
        appendDecimal(code, to: &out)
        out.append(0x20)
        appendSanitized(response.status.reason, to: &out)
        out.append(contentsOf: crlf)
        var headContentLength: String?
        var hasRequestID = false
        for (name, value) in response.headers {
            switch name.utf8.count {
            case 4 where HTTPHeaders.equalsIgnoringCase(name, "Date"): continue
            case 10 where HTTPHeaders.equalsIgnoringCase(name, "Connection"): continue
            case 12 where HTTPHeaders.equalsIgnoringCase(name, "X-Request-Id"): hasRequestID = true
            case 14 where HTTPHeaders.equalsIgnoringCase(name, "Content-Length"):
                headContentLength = value
                continue
            case 17 where HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding"): continue
            default: break
            }
            appendSanitized(name, to: &out)
            out.append(contentsOf: colonSpace)
            appendSanitized(value, to: &out)
            out.append(contentsOf: crlf)
        }
        if !bodyless {
            out.append(contentsOf: contentLengthPrefix)
            if options.isHead, let headContentLength, !headContentLength.isEmpty,
               headContentLength.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                out.append(contentsOf: headContentLength.utf8)
            } else {
                appendDecimal(response.body.count, to: &out)
            }
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: datePrefix)
        out.append(contentsOf: date)
        out.append(contentsOf: crlf)
        if !hasRequestID && !options.requestID.isEmpty {
            out.append(contentsOf: requestIDPrefix)
            appendSanitized(options.requestID, to: &out)
            out.append(contentsOf: crlf)
        }
        if !options.keepAlive {
            out.append(contentsOf: connectionClose)
        } else if options.http10 {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(contentsOf: crlf)
        if !options.isHead && !bodyless && !options.headOnly {
            out.append(contentsOf: response.body)
        }
    }

    /// `HTTP/1.1 100 Continue` interim response.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static let httpPrefix: [UInt8] = Array("HTTP/1.1 ".utf8)
    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let colonSpace: [UInt8] = [0x3A, 0x20]
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    private static let datePrefix: [UInt8] = Array("Date: ".utf8)
    private static let requestIDPrefix: [UInt8] = Array("X-Request-Id: ".utf8)
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)

    @inline(__always)
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(0x30 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while n > 0 && count < 20 {
                buf[19 - count] = UInt8(0x30 + n % 10)
                n /= 10
                count += 1
            }
            out.append(contentsOf: buf[(20 - count)...])
        }
    }

    @inline(__always)
    private static func appendSanitized(_ s: String, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: s.utf8)
        var i = start
        let end = out.count
        while i < end {
            let c = out[i]
            if c == 0x0D || c == 0x0A { out[i] = 0x20 }
            i += 1
        }
    }
}
