using System.Collections.Concurrent;
using EvoCode.Evolver.Llm;

namespace EvoCode.Llm.Tests;

internal sealed class RecordingCallLog : IModelCallLog
{
    private readonly ConcurrentQueue<ModelCallRecord> _records = new();

    public IReadOnlyList<ModelCallRecord> Records => [.. _records];

    public Task RecordAsync(ModelCallRecord record, CancellationToken cancellationToken)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}
