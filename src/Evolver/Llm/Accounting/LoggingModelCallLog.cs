using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Llm;

/// <summary>The default call log until the engine registers its database one: it writes each attempt to the log.</summary>
internal sealed partial class LoggingModelCallLog(ILogger<LoggingModelCallLog> logger) : IModelCallLog
{
    public Task RecordAsync(ModelCallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        LogCall(record.Model, record.Operator, record.Outcome, record.InputTokens, record.OutputTokens, record.Cost, record.Latency.TotalMilliseconds);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model call {Model} ({Operator}): {Outcome}, tokens {InputTokens}/{OutputTokens}, cost {Cost}, {LatencyMs} ms")]
    private partial void LogCall(string model, string @operator, string outcome, int? inputTokens, int? outputTokens, decimal? cost, double latencyMs);
}
