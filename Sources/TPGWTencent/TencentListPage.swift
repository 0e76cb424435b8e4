/// One decoded `DescribeTrafficPackages` answer.
package struct TencentListPage: Sendable, Equatable {
    /// Packages matching the query (not the page size).
    package var totalCount: Int
    package var packages: [TencentPackage]
    package var skipped: [TencentSkippedPackage]
    package var requestID: String?

    package init(totalCount: Int, packages: [TencentPackage], skipped: [TencentSkippedPackage] = [], requestID: String? = nil) {
        self.totalCount = totalCount
        self.packages = packages
        self.skipped = skipped
        self.requestID = requestID
    }

    /// Elements of `TrafficPackageSet` received (decoded or skipped): how far `Offset` advances.
    package var received: Int { packages.count + skipped.count }
}
