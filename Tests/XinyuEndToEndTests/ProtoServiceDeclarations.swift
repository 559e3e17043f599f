import Foundation

/// One rpc as a `.proto` file under `Protos/` declares it, with the permission written on the
/// comment line above it (`// permission: directory.write; mutates`, or `none`).
struct DeclaredMethod: Equatable, CustomStringConvertible {
    /// "package.Service/Method".
    let method: String
    /// "" for `permission: none` (any authenticated caller).
    let permission: String
    let mutates: Bool
    let serverStreaming: Bool
    /// Fully qualified message names.
    let requestType: String
    let responseType: String

    var description: String {
        "\(method)(\(requestType)) returns (\(serverStreaming ? "stream " : "")\(responseType)) permission '\(permission)'\(mutates ? " mutates" : "")"
    }
}

/// Reads the service declarations of every `.proto` file under a folder with a plain text scan:
/// the files keep one rpc per line, with its permission line right above it.
enum ProtoServiceDeclarations {
    /// The repository's `Protos/` folder.
    static var repositoryProtos: URL {
        URL(fileURLWithPath: #filePath.components(separatedBy: "/Tests/")[0]).appendingPathComponent("Protos")
    }

    /// Every declared rpc under `root`, or a problem naming the file and line (an rpc without a
    /// permission line, a line the scan does not understand).
    static func load(root: URL = repositoryProtos) throws -> [DeclaredMethod] {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "proto" }.sorted { $0.path < $1.path } ?? []
        return try files.flatMap { try parse(String(contentsOf: $0, encoding: .utf8), file: $0.lastPathComponent) }
    }

    static func parse(_ text: String, file: String) throws -> [DeclaredMethod] {
        var package = ""
        var service: String? = nil
        var permission: (name: String, mutates: Bool)? = nil
        var methods: [DeclaredMethod] = []
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let place = "\(file):\(index + 1)"
            if line.hasPrefix("package ") {
                package = String(line.dropFirst("package ".count).dropLast())
            } else if line.hasPrefix("service ") {
                service = line.dropFirst("service ".count).split(separator: " ").first.map(String.init)
            } else if service != nil, line == "}" {
                service = nil
            } else if service != nil, line.hasPrefix("// permission:") {
                let words = line.dropFirst("// permission:".count).split(whereSeparator: { $0 == " " || $0 == ";" })
                guard let name = words.first else { throw ScanProblem("\(place): empty permission line") }
                permission = (name == "none" ? "" : String(name), words.dropFirst().contains("mutates"))
            } else if let service, line.hasPrefix("rpc ") {
                guard let declared = permission else { throw ScanProblem("\(place): rpc without a '// permission:' line above it") }
                methods.append(try rpc(line, package: package, service: service, permission: declared, place: place))
                permission = nil
            }
        }
        return methods
    }

    /// `rpc Name(Request) returns (stream Response);`
    private static func rpc(_ line: String, package: String, service: String, permission: (name: String, mutates: Bool), place: String) throws -> DeclaredMethod {
        let parts = line.replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " ")
            .replacingOccurrences(of: ";", with: " ").split(separator: " ").map(String.init)
        // ["rpc", Name, Request, "returns", ("stream")?, Response]
        guard parts.count >= 5, parts[3] == "returns" else { throw ScanProblem("\(place): cannot read rpc line '\(line)'") }
        let streaming = parts[4] == "stream"
        guard let response = streaming ? parts.dropFirst(5).first : parts[4] as String? else {
            throw ScanProblem("\(place): cannot read rpc line '\(line)'")
        }
        func qualified(_ name: String) -> String { name.contains(".") ? name : "\(package).\(name)" }
        return DeclaredMethod(
            method: "\(package).\(service)/\(parts[1])", permission: permission.name, mutates: permission.mutates,
            serverStreaming: streaming, requestType: qualified(parts[2]), responseType: qualified(response))
    }
}

struct ScanProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
