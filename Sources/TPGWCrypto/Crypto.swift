import CCrypto
import Foundation

/// Thin wrappers over OpenSSL's libcrypto: HMAC-SHA256, SHA-256, random bytes and
/// constant-time comparison. Nothing here is hand-rolled cryptography.
package enum Crypto {
    /// HMAC-SHA256 of `message` keyed by `key`.
    package static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// HMAC-SHA256 of UTF-8 strings.
    package static func hmacSHA256(key: String, message: String) -> [UInt8] {
        hmacSHA256(key: Array(key.utf8), message: Array(message.utf8))
    }

    /// SHA-256 digest.
    package static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { d in
            _ = SHA256(d.baseAddress, d.count, &out)
        }
        return out
    }

    /// SHA-256 digest of a UTF-8 string.
    package static func sha256(_ string: String) -> [UInt8] { sha256(Array(string.utf8)) }

    /// `count` cryptographically secure random bytes.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed")
        return out
    }

    /// `bytes` cryptographically secure random bytes as lowercase hex (twice as many digits): the one generator of
    /// random ids (channel, budget and delivery ids, API keys, BCE client tokens, the simulators' request ids).
    package static func randomHex(bytes: Int) -> String { randomBytes(bytes).hexString }

    /// Compares two byte strings in time independent of where they differ.
    package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 }
        }
    }
}

extension Array where Element == UInt8 {
    /// Lowercase hexadecimal.
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Standard base64 with padding.
    package var base64String: String { Data(self).base64EncodedString() }
}
