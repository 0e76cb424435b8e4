import TPGWCore

/// One page of `GET /v1/eiptp`.
package struct BCEListPage: Sendable, Equatable {
    package var marker: String?
    package var maxKeys: Int?
    package var isTruncated: Bool
    /// The id of the first package of the next page (inclusive marker); nil on the last page.
    package var nextMarker: String?
    package var packages: [BCEPackage]
    /// Packages of this page that tpgw cannot represent, left out of `packages`.
    package var skipped: [SkippedPackage]

    package init(
        marker: String?, maxKeys: Int?, isTruncated: Bool, nextMarker: String?, packages: [BCEPackage], skipped: [SkippedPackage] = []
    ) {
        self.marker = marker
        self.maxKeys = maxKeys
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
        self.packages = packages
        self.skipped = skipped
    }
}
