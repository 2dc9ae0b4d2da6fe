using System.Globalization;
using EvoCode.Bench.Evolver;

// dotnet run -c Release --project bench/Evolver -- selection
// dotnet run -c Release --project bench/Evolver -- run sqlite|postgres [evaluations=5000] [concurrency=2] [tuningShare=0] [seed=42]
// dotnet run -c Release --project bench/Evolver -- scripted sqlite|postgres [maxCost=1.8] [proposals=4]
// dotnet run -c Release --project bench/Evolver -- scripted-prompts sqlite|postgres [proposals=1000 | $maxCost] [inFlight=4]
// dotnet run -c Release --project bench/Evolver -- warm [evaluations=400]   (after dotnet build -c Release src/Api)
// dotnet run -c Release --project bench/Evolver -- overhead sqlite|postgres [programs=10000]
// dotnet run -c Release --project bench/Evolver -- submit [posts=50] [spin=100000000]   (after dotnet build -c Release src/Api)
// dotnet run -c Release --project bench/Evolver -- compare problem[,problem] marks(500,1000) seeds [concurrency=2] [config ...] (default hill-climb uniform one-island restarts, or a JSON object of settings)
switch (args.FirstOrDefault())
{
    case "selection":
        SelectionBenchmark.Run();
        break;
    case "run":
        await RunBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            int.Parse(args.ElementAtOrDefault(2) ?? "5000", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(3) ?? "2", CultureInfo.InvariantCulture),
            double.Parse(args.ElementAtOrDefault(4) ?? "0", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(5) ?? "42", CultureInfo.InvariantCulture));
        break;
    case "scripted":
        await ScriptedModelBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            decimal.Parse(args.ElementAtOrDefault(2) ?? "1.8", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(3) ?? "4", CultureInfo.InvariantCulture));
        break;
    case "scripted-prompts":
        var budget = args.ElementAtOrDefault(2) ?? "1000";
        await PromptSizeBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            budget.StartsWith('$') ? 0 : int.Parse(budget, CultureInfo.InvariantCulture),
            budget.StartsWith('$') ? decimal.Parse(budget[1..], CultureInfo.InvariantCulture) : null,
            int.Parse(args.ElementAtOrDefault(3) ?? "4", CultureInfo.InvariantCulture));
        break;
    case "warm":
        await WarmBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "400", CultureInfo.InvariantCulture));
        break;
    case "overhead":
        await OverheadBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? "sqlite", int.Parse(args.ElementAtOrDefault(2) ?? "10000", CultureInfo.InvariantCulture));
        break;
    case "submit":
        await SubmissionBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "50", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "100000000", CultureInfo.InvariantCulture));
        break;
    case "compare":
        await ComparisonBenchmark.RunAsync(
            args[1].Split(','),
            [.. args[2].Split(',').Select(m => int.Parse(m, CultureInfo.InvariantCulture))],
            int.Parse(args[3], CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(4) ?? "2", CultureInfo.InvariantCulture),
            args.Length > 5 ? args[5..] : ["default", "hill-climb", "uniform", "one-island", "restarts"]);
        break;
    default:
        await Console.Error.WriteLineAsync("usage: selection | run sqlite|postgres [evaluations] [concurrency] [tuningShare] [seed] | scripted sqlite|postgres [maxCost] [proposals] | scripted-prompts sqlite|postgres [proposals | $maxCost] [inFlight] | warm [evaluations] | overhead sqlite|postgres [programs] | submit [posts] [spin] | compare problems marks seeds [concurrency] [configs]");
        return 2;
}

return 0;
