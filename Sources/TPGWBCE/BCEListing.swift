import TPGWCore

/// Every page of one source's list: the packages tpgw can represent, and the ones it skipped.
package struct BCEListing: Sendable, Equatable {
    package var packages: [BCEPackage]
    /// Packages left out because tpgw cannot represent them, in list order.
    package var skipped: [SkippedPackage]

    package init(packages: [BCEPackage], skipped: [SkippedPackage] = []) {
        self.packages = packages
        self.skipped = skipped
    }
}
