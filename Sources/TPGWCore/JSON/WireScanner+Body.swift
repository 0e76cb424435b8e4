extension WireScanner {
    /// Consumes the `{` of a body that is an object (members follow through `nextKey()`); for any other value, reads
    /// and validates the whole body and returns false (malformed JSON throws either way).
    @inlinable
    package mutating func beginBodyObject() throws(Failure) -> Bool {
        guard peek(UInt8(ascii: "{")) else {
            try skipValue()
            try end()
            return false
        }
        try beginObject()
        return true
    }

    /// The array at the offset, element by element: `element` reads the one at the offset (given its index) and keeps
    /// or skips it. How both clouds read a list page: a package that cannot be represented is skipped and reported.
    @inlinable
    package mutating func keptAndSkipped<Kept, Skipped: Error>(
        reserving capacity: Int, _ element: (inout WireScanner, Int) throws(Failure) -> Result<Kept, Skipped>
    ) throws(Failure) -> ([Kept], [Skipped]) {
        try beginArray()
        var kept: [Kept] = []
        var skipped: [Skipped] = []
        kept.reserveCapacity(capacity)
        var index = 0
        while try nextElement() {
            switch try element(&self, index) {
            case .success(let k): kept.append(k)
            case .failure(let s): skipped.append(s)
            }
            index += 1
        }
        return (kept, skipped)
    }
}
