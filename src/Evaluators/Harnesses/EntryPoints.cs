using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>Finding and calling a candidate's entry point, shared by every harness.</summary>
public static class EntryPoints
{
    /// <summary>Serializer options for harness output: NaN and infinity survive as strings so the scorer can reject them.</summary>
    public static JsonSerializerOptions OutputOptions { get; } = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        MaxDepth = 16,
    };

    /// <summary>Finds a public static method by type and method name.</summary>
    /// <exception cref="HarnessException">The type or method is missing or ambiguous.</exception>
    public static MethodInfo Find(Assembly candidate, string typeName, string methodName)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var type = candidate.GetType(typeName)
            ?? candidate.GetTypes().SingleOrDefault(t => t.Name == typeName)
            ?? throw new HarnessException($"The candidate has no type named '{typeName}'.");
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == methodName).ToArray();
        return methods.Length switch
        {
            1 => methods[0],
            0 => throw new HarnessException($"Type '{typeName}' has no public static method '{methodName}'."),
            _ => throw new HarnessException($"Type '{typeName}' has {methods.Length} overloads of '{methodName}'; keep exactly one."),
        };
    }

    /// <summary>Invokes the entry point, unwrapping the reflection wrapper so the candidate's own exception surfaces.</summary>
    public static object? Invoke(MethodInfo method, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(method);
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
