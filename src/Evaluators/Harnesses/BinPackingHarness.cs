using System.Reflection;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Problems.BinPacking;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>
/// Runs FunSearch's online bin packing protocol with the candidate's priority function on one dataset and
/// returns the raw packing: <c>{"dataset": "or3", "instances": [{"name": "u500_00", "bins": [bin per item]}]}</c>.
/// Parameters: <c>{"dataset": "or3" | "weibull5k", "type": "BinPacking", "method": "Priority"}</c>.
/// The entry point is <c>static double[] Priority(double item, double[] bins)</c>, optionally with a trailing
/// <see cref="HarnessContext"/>.
/// </summary>
public sealed class BinPackingHarness : ICandidateHarness
{
    /// <summary>The harness name.</summary>
    public const string HarnessName = "bin-packing";

    /// <inheritdoc />
    public string Name => HarnessName;

    /// <inheritdoc />
    public string Run(Assembly candidate, JsonElement parameters, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(context);
        var dataset = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("dataset", out var d) ? d.GetString() ?? "" : "";
        IReadOnlyList<BinPackingInstance> instances;
        try
        {
            instances = BinPackingDatasets.Get(dataset);
        }
        catch (KeyNotFoundException e)
        {
            throw new HarnessException(e.Message);
        }

        var (typeName, methodName) = EntryPoints.Names(parameters, "BinPacking", "Priority");
        var priority = Bind(EntryPoints.Find(candidate, typeName, methodName), context);
        var packed = instances.Select(i => new { name = i.Name, bins = OnlineBinPacking.Pack(i, priority) }).ToArray();
        return JsonSerializer.Serialize(new { dataset, instances = packed }, EntryPoints.OutputOptions);
    }

    private static Func<double, double[], double[]> Bind(MethodInfo method, HarnessContext context)
    {
        var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        if (method.ReturnType == typeof(double[]) && parameters.SequenceEqual([typeof(double), typeof(double[])]))
        {
            return method.CreateDelegate<Func<double, double[], double[]>>();
        }

        if (method.ReturnType == typeof(double[]) && parameters.SequenceEqual([typeof(double), typeof(double[]), typeof(HarnessContext)]))
        {
            var withContext = method.CreateDelegate<Func<double, double[], HarnessContext, double[]>>();
            return (item, bins) => withContext(item, bins, context);
        }

        throw new HarnessException($"{method.DeclaringType?.Name}.{method.Name} must be 'static double[] {method.Name}(double item, double[] bins)'.");
    }
}
