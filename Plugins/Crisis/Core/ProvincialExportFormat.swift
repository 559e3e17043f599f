import XinyuDomainKit
/// File formats of the provincial warning export.
public enum ProvincialExportFormat: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 CSV with a BOM and bilingual headers, for Excel/WPS and platform upload.
    case csv
    /// "xinyu.crisis.provincial-export/1" JSON with metadata, for system-to-system transfer.
    case json
}
