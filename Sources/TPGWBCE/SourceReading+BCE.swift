import Foundation
import TPGWCore

extension SourceReading where Package == BCEPackage {
    /// The packages normalised to `PackageState`, or nil when the read failed.
    package var states: [PackageState]? {
        guard case .success(let packages) = result else { return nil }
        return packages.map { $0.state(source: source, observedAt: observedAt) }
    }
}
