/// The school assessment figure (纳入学校相关考核) from the share of class teachers holding a B
/// certificate: `full_marks × min(1, b_share / target_share)`, and 0 below `floor_share`.
///
/// With the defaults (10 marks, target 0.6, floor 0): a school where 30 % of class teachers hold
/// a B certificate scores 5; 60 % or more scores 10.
public struct AssessmentFormula: Sendable, Equatable {
    /// The figure at or above the target share.
    public var fullMarks: Double
    /// The share (0–1] that earns full marks.
    public var targetShare: Double
    /// Below this share (0–1) the figure is 0.
    public var floorShare: Double

    /// Creates the formula; the defaults are 10 marks at a 60 % share, no floor.
    public init(fullMarks: Double = 10, targetShare: Double = 0.6, floorShare: Double = 0) {
        self.fullMarks = fullMarks
        self.targetShare = targetShare
        self.floorShare = floorShare
    }

    /// The figure for a B-certificate share between 0 and 1.
    public func score(bShare: Double) -> Double {
        guard bShare >= floorShare, targetShare > 0 else { return 0 }
        return fullMarks * min(1, bShare / targetShare)
    }
}
