using System.Reflection;
using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>
/// Calls an entry point that returns a table of numbers (circles as x, y, r rows; points as coordinate rows)
/// and returns <c>{"rows": [[...], ...]}</c>. Parameters: <c>{"type", "method", "args": [...], "maxRows"}</c>.
/// </summary>
/// <remarks>
/// The return value is copied the moment the entry point returns, enumerating it exactly once: a lazy
/// sequence that yields different numbers on a second pass, or an array the candidate keeps and changes
/// later, cannot make the scored data differ from the data that was read.
/// </remarks>
public sealed class RowsHarness : ICandidateHarness
{
    /// <summary>The harness name.</summary>
    public const string HarnessName = "rows";

    /// <inheritdoc />
    public string Name => HarnessName;

    /// <inheritdoc />
    public string Run(Assembly candidate, JsonElement parameters, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(context);
        var (typeName, methodName) = EntryPoints.Names(parameters, "Candidate", "Run");
        var args = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("args", out var a) ? a : default;
        var maxRows = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("maxRows", out var mr) && mr.TryGetInt32(out var m) ? m : 10_000;
        var method = EntryPoints.Find(candidate, typeName, methodName);
        var returned = EntryPoints.Invoke(method, EntryPoints.Bind(method, args, context));
        var rows = Copy(returned, maxRows);
        return JsonSerializer.Serialize(new { rows }, EntryPoints.OutputOptions);
    }

    /// <summary>Copies a returned table into fresh arrays, reading every value once.</summary>
    /// <exception cref="HarnessException">The value is not a table of numbers, or is too large.</exception>
    public static double[][] Copy(object? returned, int maxRows)
    {
        const int MaxColumns = 64;
        switch (returned)
        {
            case null:
                throw new HarnessException("The entry point returned null instead of rows of numbers.");
            case double[,] matrix:
            {
                if (matrix.GetLength(0) > maxRows)
                {
                    throw new HarnessException($"The entry point returned {matrix.GetLength(0)} rows; at most {maxRows} are read.");
                }

                var rows = new double[matrix.GetLength(0)][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[matrix.GetLength(1)];
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        rows[i][j] = matrix[i, j];
                    }
                }

                return rows;
            }

            case IEnumerable<IEnumerable<double>> table:
            {
                var rows = new List<double[]>();
                foreach (var row in table)
                {
                    if (rows.Count == maxRows)
                    {
                        throw new HarnessException($"The entry point returned more than {maxRows} rows.");
                    }

                    if (row is null)
                    {
                        throw new HarnessException($"Row {rows.Count} is null.");
                    }

                    var copy = new List<double>();
                    foreach (var value in row)
                    {
                        if (copy.Count == MaxColumns)
                        {
                            throw new HarnessException($"Row {rows.Count} has more than {MaxColumns} values.");
                        }

                        copy.Add(value);
                    }

                    rows.Add([.. copy]);
                }

                return [.. rows];
            }

            default:
                throw new HarnessException($"The entry point returned {returned.GetType().Name}; return double[][] (one array per row).");
        }
    }
}
