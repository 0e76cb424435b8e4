import Testing

@Suite struct TPGWHTTPTestsPlaceholder {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
