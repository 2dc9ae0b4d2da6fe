using System.Globalization;
using EvoCode.Bench.Evolver;

// dotnet run -c Release --project bench/Evolver -- selection
// dotnet run -c Release --project bench/Evolver -- run sqlite|postgres [evaluations=5000] [concurrency=2]
// dotnet run -c Release --project bench/Evolver -- scripted sqlite|postgres [maxCost=1.8] [proposals=4]
// dotnet run -c Release --project bench/Evolver -- warm [evaluations=400]   (after dotnet build -c Release src/Api)
// dotnet run -c Release --project bench/Evolver -- overhead sqlite|postgres [programs=10000]
switch (args.FirstOrDefault())
{
    case "selection":
        SelectionBenchmark.Run();
        break;
    case "run":
        await RunBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            int.Parse(args.ElementAtOrDefault(2) ?? "5000", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(3) ?? "2", CultureInfo.InvariantCulture));
        break;
    case "scripted":
        await ScriptedModelBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            decimal.Parse(args.ElementAtOrDefault(2) ?? "1.8", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(3) ?? "4", CultureInfo.InvariantCulture));
        break;
    case "warm":
        await WarmBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "400", CultureInfo.InvariantCulture));
        break;
    case "overhead":
        await OverheadBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? "sqlite", int.Parse(args.ElementAtOrDefault(2) ?? "10000", CultureInfo.InvariantCulture));
        break;
    default:
        await Console.Error.WriteLineAsync("usage: selection | run sqlite|postgres [evaluations] [concurrency] | scripted sqlite|postgres [maxCost] [proposals] | warm [evaluations] | overhead sqlite|postgres [programs]");
        return 2;
}

return 0;
