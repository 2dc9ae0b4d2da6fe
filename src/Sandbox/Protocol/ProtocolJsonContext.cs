using System.Text.Json.Serialization;

namespace EvoCode.Sandbox.Protocol;

/// <summary>Source-generated serialization for the worker protocol (no reflection at start-up).</summary>
[JsonSerializable(typeof(WorkerRequest))]
[JsonSerializable(typeof(WorkerResponse))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
