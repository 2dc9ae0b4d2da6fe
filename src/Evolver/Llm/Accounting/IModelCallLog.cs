namespace EvoCode.Evolver.Llm;

/// <summary>Stores every model call attempt. The engine implements it on the database and keeps the run's token and cost counters.</summary>
public interface IModelCallLog
{
    /// <summary>Stores one attempt.</summary>
    Task RecordAsync(ModelCallRecord record, CancellationToken cancellationToken);
}
