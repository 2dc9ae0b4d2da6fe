namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>Names of the policy rules a refusal cites. The diagnostic id is <c>policy/&lt;rule&gt;</c>.</summary>
internal static class PolicyRules
{
    public const string FileSystem = "FileSystem";
    public const string Network = "Network";
    public const string Processes = "Processes";
    public const string Environment = "Environment";
    public const string Reflection = "Reflection";
    public const string UnsafeMemory = "UnsafeMemory";
    public const string UnsafeCode = "UnsafeCode";
    public const string Interop = "Interop";
    public const string ModuleInitializer = "ModuleInitializer";
    public const string ExplicitLayout = "ExplicitLayout";
    public const string Threads = "Threads";
    public const string Console = "Console";
    public const string GarbageCollector = "GarbageCollector";
    public const string Regex = "Regex";
    public const string Randomness = "Randomness";
    public const string Clock = "Clock";
    public const string Finalizer = "Finalizer";
    public const string Directive = "Directive";
    public const string SourceLimit = "SourceLimit";
    public const string ApiNotAllowed = "ApiNotAllowed";

    public static string DiagnosticId(string rule) => "policy/" + rule;
}
