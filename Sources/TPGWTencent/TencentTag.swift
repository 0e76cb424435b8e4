/// One `TagSet` entry.
package struct TencentTag: Sendable, Equatable, Hashable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
