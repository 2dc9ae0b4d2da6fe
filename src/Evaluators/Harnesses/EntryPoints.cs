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

    /// <summary>Reads the entry point's type and method names from harness parameters, with defaults.</summary>
    public static (string Type, string Method) Names(JsonElement parameters, string defaultType, string defaultMethod)
    {
        var typeName = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : defaultType;
        var methodName = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()!
            : defaultMethod;
        return (typeName, methodName);
    }

    /// <summary>
    /// Builds the argument list for <paramref name="method"/>: a <see cref="HarnessContext"/> parameter gets
    /// the context, every other parameter takes the next JSON value of <paramref name="args"/>.
    /// </summary>
    /// <exception cref="HarnessException">An argument is missing or does not convert.</exception>
    public static object?[] Bind(MethodInfo method, JsonElement args, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(method);
        var declared = method.GetParameters();
        var values = new object?[declared.Length];
        var argIndex = 0;
        for (var i = 0; i < declared.Length; i++)
        {
            if (declared[i].ParameterType == typeof(HarnessContext))
            {
                values[i] = context;
                continue;
            }

            if (args.ValueKind != JsonValueKind.Array || argIndex >= args.GetArrayLength())
            {
                throw new HarnessException($"Entry point {method.DeclaringType?.Name}.{method.Name} expects argument '{declared[i].Name}', which the harness was not given.");
            }

            try
            {
                values[i] = args[argIndex++].Deserialize(declared[i].ParameterType, OutputOptions);
            }
            catch (JsonException e)
            {
                throw new HarnessException($"Argument '{declared[i].Name}' of {method.Name} cannot take the value {args[argIndex - 1].GetRawText()}: {e.Message}");
            }
        }

        if (args.ValueKind == JsonValueKind.Array && argIndex < args.GetArrayLength())
        {
            throw new HarnessException($"Entry point {method.DeclaringType?.Name}.{method.Name} takes {argIndex} argument(s) but the problem passes {args.GetArrayLength()}; keep the signature the task describes.");
        }

        return values;
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
