using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Telemetry;

/// <summary>
/// Run events worth a log line that the run loop's own messages do not cover. One structured line each, with a
/// message template: the run id is a property, so a log store can filter one run.
/// </summary>
public static partial class RunLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: new best {Score} by {Operator} at evaluation {Evaluations} (program {CandidateId}, previous {PreviousBest})")]
    public static partial void NewBest(ILogger logger, Guid runId, double score, string @operator, long evaluations, Guid candidateId, double? previousBest);
}
