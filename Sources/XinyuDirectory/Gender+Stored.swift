import XinyuCoreAPI
import XinyuPluginSDK

/// Genders as stored (`directory_students.gender`) and as a spreadsheet writes them ("女").
extension Xinyu_Directory_V1_Gender: StoredEnum {
    /// The one declaration of the stored genders; `directory_students`' CHECK is checked against it.
    public static let storedCases: [(value: Self, text: String)] = [(.female, "female"), (.male, "male")]
    /// "gender".
    public static var valueName: String { "gender" }
    /// "female or male".
    public static var valueHint: String { "female or male" }

    /// What a roster's gender column accepts, for errors.
    static let spreadsheetHint = "男/女 or male/female"

    /// The gender for a stored name or a spreadsheet value; nil when it is neither.
    /// Digits are refused on purpose: China's GB/T 2261 codes (1 male, 2 female) are the
    /// opposite of the proto's numbers, and guessing wrong would be silent.
    static func spreadsheet(_ text: String) -> Self? {
        switch text.lowercased() {
        case "female", "f", "gender_female", "女": .female
        case "male", "m", "gender_male", "男": .male
        default: nil
        }
    }
}
