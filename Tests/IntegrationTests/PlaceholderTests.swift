import Testing

@Suite struct IntegrationTestsPlaceholder {
    @Test func targetBuilds() { #expect(Bool(true)) }
}
