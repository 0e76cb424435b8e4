import Testing

@Suite struct TPGWBCETestsPlaceholder {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
