import GRDB

/// Walks the stored chain in sequence order and reports the first place it does not hold.
///
/// Reads one entry at a time through a cursor, so memory stays flat however long the trail is.
struct AuditChainVerifier {
    /// How far from a broken entry to look for the position its contents were sealed for.
    static let reorderWindow: Int64 = 256

    let chain: AuditChain

    /// Verifies the anchor, every entry, and (unless `through` is given) the head record.
    ///
    /// With `through`, stops after that sequence and skips the head: `prune` checks only what it deletes.
    func verify(_ db: Database, through limit: Int64? = nil) throws -> AuditVerification {
        let first = try Int64.fetchOne(db, sql: "SELECT min(sequence) FROM audit_entries")
        let last = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM audit_entries")
        var checked = 0
        func result(_ problem: AuditChainBreak?) -> AuditVerification {
            AuditVerification(checked: checked, firstSequence: first, lastSequence: last, problem: problem)
        }

        var expected: Int64 = 1
        var previous = AuditChain.genesis
        let anchor = try Row.fetchOne(db, sql: "SELECT sequence, hash, mac FROM audit_anchor WHERE one = 1")
        if let anchor {
            let sequence: Int64 = anchor["sequence"]
            guard let hash = Hex.decode(anchor["hash"]), let mac = Hex.decode(anchor["mac"]),
                mac == chain.anchorMAC(sequence: sequence, hash: hash)
            else {
                return result(AuditChainBreak(
                    sequence: sequence, kind: .anchorMismatch,
                    description: "the retention anchor at entry \(sequence) does not match its seal (anchorMismatch)"))
            }
            expected = sequence + 1
            previous = hash
        }

        var broken: StoredAuditEntry?
        let rows = try Row.fetchCursor(
            db, sql: "SELECT \(StoredAuditEntry.columns) FROM audit_entries WHERE sequence <= ? ORDER BY sequence",
            arguments: [limit ?? Int64.max])
        while let row = try rows.next() {
            let entry = StoredAuditEntry(row: row)
            if entry.sequence < expected {
                // Only reachable with an anchor: pruning deletes everything up to it in the same transaction.
                return result(AuditChainBreak(
                    sequence: entry.sequence, kind: .anchorMismatch,
                    description: "entry \(entry.sequence) is older than the retention anchor at entry \(expected - 1) "
                        + "(anchorMismatch)"))
            }
            if entry.sequence > expected {
                return result(Self.missing(from: expected, to: entry.sequence - 1))
            }
            guard let fields = entry.fields(), let stored = Hex.decode(entry.hash),
                chain.entryHash(previous: previous, sequence: entry.sequence, fields: fields) == stored
            else {
                broken = entry
                break
            }
            previous = stored
            expected += 1
            checked += 1
        }
        if let broken {
            return result(try explain(broken, previous: previous, db))
        }
        guard limit == nil else { return result(nil) }
        return result(try checkHead(db, lastSequence: expected - 1, lastHash: previous, hasHistory: last != nil || anchor != nil))
    }

    /// Compares the head record with the newest verified entry: catches entries deleted from the end.
    private func checkHead(_ db: Database, lastSequence: Int64, lastHash: [UInt8], hasHistory: Bool) throws -> AuditChainBreak? {
        guard let head = try Row.fetchOne(db, sql: "SELECT sequence, hash, mac FROM audit_head WHERE one = 1") else {
            // A brand-new log has no head; one with entries or an anchor always has.
            return hasHistory
                ? AuditChainBreak(
                    sequence: lastSequence + 1, kind: .headMismatch,
                    description: "the head record is missing; entries after \(lastSequence) may have been deleted "
                        + "(headMismatch)")
                : nil
        }
        let sequence: Int64 = head["sequence"]
        guard let hash = Hex.decode(head["hash"]), let mac = Hex.decode(head["mac"]),
            mac == chain.headMAC(sequence: sequence, hash: hash)
        else {
            return AuditChainBreak(
                sequence: sequence, kind: .headMismatch,
                description: "the head record (entry \(sequence)) does not match its seal (headMismatch)")
        }
        if sequence > lastSequence {
            return Self.missing(from: lastSequence + 1, to: sequence)
        }
        if sequence < lastSequence || hash != lastHash {
            return AuditChainBreak(
                sequence: sequence, kind: .headMismatch,
                description: "the head record names entry \(sequence) but the newest entry is \(lastSequence) "
                    + "(headMismatch)")
        }
        return nil
    }

    /// Names why `entry` does not verify after `previous`: moved from elsewhere, or edited.
    private func explain(_ entry: StoredAuditEntry, previous: [UInt8], _ db: Database) throws -> AuditChainBreak {
        let n = entry.sequence
        guard let fields = entry.fields(), let stored = Hex.decode(entry.hash), let storedPrevious = Hex.decode(entry.prevHash)
        else {
            return AuditChainBreak(sequence: n, kind: .edited, description: "entry \(n): contents do not match its hash (edited)")
        }
        if storedPrevious == AuditChain.headLost,
            chain.entryHash(previous: storedPrevious, sequence: n, fields: fields) == stored
        {
            return AuditChainBreak(
                sequence: n, kind: .headMismatch,
                description: "entry \(n) was appended after the head record had been removed or forged; "
                    + "entries before it may have been deleted (headMismatch)")
        }
        // Contents sealed for another position: either the whole row moved (its own hashes fit the
        // other sequence) or the contents moved between rows (they fit the other row's hashes).
        let low = max(1, n - Self.reorderWindow)
        let high = n + Self.reorderWindow
        var neighbours: [Int64: ([UInt8], [UInt8])] = [:]
        let rows = try Row.fetchAll(
            db, sql: "SELECT sequence, prev_hash, hash FROM audit_entries WHERE sequence BETWEEN ? AND ?",
            arguments: [low, high])
        for row in rows {
            if let p = Hex.decode(row["prev_hash"]), let h = Hex.decode(row["hash"]) { neighbours[row["sequence"]] = (p, h) }
        }
        for candidate in low...high where candidate != n {
            let ownRowFits = chain.entryHash(previous: storedPrevious, sequence: candidate, fields: fields) == stored
            let otherRowFits = neighbours[candidate].map { p, h in
                chain.entryHash(previous: p, sequence: candidate, fields: fields) == h
            } ?? false
            if ownRowFits || otherRowFits {
                return AuditChainBreak(
                    sequence: n, kind: .reordered,
                    description: "entry \(n): holds the contents of entry \(candidate) (reordered)")
            }
        }
        if storedPrevious != previous,
            chain.entryHash(previous: storedPrevious, sequence: n, fields: fields) == stored
        {
            // Intact, but sealed after a different predecessor than the one now before it.
            return AuditChainBreak(
                sequence: n, kind: .reordered,
                description: "entry \(n): does not follow the entry before it (reordered)")
        }
        return AuditChainBreak(sequence: n, kind: .edited, description: "entry \(n): contents do not match its hash (edited)")
    }

    /// A break for entries `from` through `to` missing.
    static func missing(from: Int64, to: Int64) -> AuditChainBreak {
        let which = from == to ? "entry \(from) is missing" : "entries \(from)–\(to) are missing"
        return AuditChainBreak(sequence: from, kind: .deleted, description: "\(which) (deleted)")
    }
}
