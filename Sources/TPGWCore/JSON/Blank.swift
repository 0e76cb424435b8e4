/// Whether a name is blank the way the API's schema says (`pattern: "\S"`, ECMAScript's `\s`): empty, or only
/// white space and line terminators. One definition, so the spec and the server agree on every character.
package enum Blank {
    package static func isBlank(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy(isECMAScriptWhiteSpace)
    }

    /// ECMAScript WhiteSpace and LineTerminator: TAB, LF, VT, FF, CR, SP, NBSP, U+1680, U+2000-200A, U+2028, U+2029,
    /// U+202F, U+205F, U+3000, U+FEFF.
    package static func isECMAScriptWhiteSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }
}
