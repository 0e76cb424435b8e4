// Placeholder until the TPGWStore issue lands.
package enum TPGWStoreModule { package static let name = "TPGWStore" }
