import NIOCore

extension Frame {
    /// An `error` frame: the connection closes after it.
    public static func connectionError(_ error: RPCError) -> Frame {
        connectionError(code: error.code, message: error.message)
    }

    /// An `error` frame with this code and message: the connection closes after it.
    public static func connectionError(code: StatusCode, message: String) -> Frame {
        var e = Xinyu_Wire_V1_ConnectionError()
        e.code = code.rawValue
        e.message = message
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.error = e
        return Frame(envelope)
    }

    /// A `message` frame carrying one response.
    public static func message(stream: UInt32, payload: ByteBuffer) -> Frame {
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.streamID = stream
        envelope.message = Xinyu_Wire_V1_CallMessage()
        return Frame(envelope, payload: payload)
    }

    /// An `end` frame: the call's final status.
    public static func end(stream: UInt32, code: StatusCode, message: String = "", trailers: [Xinyu_Wire_V1_MetadataEntry] = []) -> Frame {
        var end = Xinyu_Wire_V1_CallEnd()
        end.code = code.rawValue
        end.message = message
        end.trailers = trailers
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.streamID = stream
        envelope.end = end
        return Frame(envelope)
    }

    /// A `cancel` frame for a call this side started.
    public static func cancel(stream: UInt32, reason: String) -> Frame {
        var cancel = Xinyu_Wire_V1_Cancel()
        cancel.reason = reason
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.streamID = stream
        envelope.cancel = cancel
        return Frame(envelope)
    }

    /// A `call_start` frame with its request payload.
    public static func callStart(stream: UInt32, start: Xinyu_Wire_V1_CallStart, payload: ByteBuffer) -> Frame {
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.streamID = stream
        envelope.callStart = start
        return Frame(envelope, payload: payload)
    }

    /// A `ping` frame.
    public static func ping(_ opaque: UInt64) -> Frame {
        var ping = Xinyu_Wire_V1_Ping()
        ping.opaque = opaque
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.ping = ping
        return Frame(envelope)
    }

    /// A `pong` frame answering a ping.
    public static func pong(_ opaque: UInt64) -> Frame {
        var pong = Xinyu_Wire_V1_Pong()
        pong.opaque = opaque
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.pong = pong
        return Frame(envelope)
    }

    /// A `go_away` frame.
    public static func goAway(lastStreamID: UInt32, reason: String) -> Frame {
        var goAway = Xinyu_Wire_V1_GoAway()
        goAway.lastStreamID = lastStreamID
        goAway.code = StatusCode.unavailable.rawValue
        goAway.reason = reason
        var envelope = Xinyu_Wire_V1_Envelope()
        envelope.goAway = goAway
        return Frame(envelope)
    }
}

extension Xinyu_Wire_V1_CallStart {
    /// The value of the first metadata entry with this key, if any.
    public func metadataValue(_ key: String) -> String? {
        metadata.first(where: { $0.key == key })?.value
    }
}
