/// Gender as the provincial export writes it (docs/CRISIS-EXPORT.md, column 4): `男` / `女`.
public enum ExportGender {
    /// `男` for the directory's "male", `女` for "female"; anything else (an unknown or future
    /// value) is written as stored rather than guessed.
    public static func text(directoryGender stored: String) -> String {
        switch stored {
        case "male": "男"
        case "female": "女"
        default: stored
        }
    }
}
