/// Every package of one account × region from a settled walk of `DescribeTrafficPackages`.
package struct TencentInventory: Sendable, Equatable {
    /// Distinct by id, in the order first received.
    package var packages: [TencentPackage]
    /// Packages that could not be represented, distinct by id (or position when the id was unreadable).
    package var skipped: [TencentSkippedPackage]
    /// `TotalCount`, the same on every page of the settled walk.
    package var totalCount: Int
    /// Walks made (1 unless `TotalCount` moved or the pages did not add up).
    package var walks: Int
    package var pages: Int

    package init(packages: [TencentPackage], skipped: [TencentSkippedPackage], totalCount: Int, walks: Int, pages: Int) {
        self.packages = packages
        self.skipped = skipped
        self.totalCount = totalCount
        self.walks = walks
        self.pages = pages
    }
}
