namespace ChatPulse.LoadTest;

/// <summary>Command line: <c>--duration 10 --concurrency 32 --prefill 100000 --configuration Release</c>.</summary>
public sealed record LoadOptions(TimeSpan Duration, int Concurrency, long Prefill, string Configuration)
{
#if DEBUG
    private const string BuiltAs = "Debug";
#else
    private const string BuiltAs = "Release";
#endif

    public static LoadOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var duration = int.Parse(Value("--duration") ?? "10");
        var concurrency = int.Parse(Value("--concurrency") ?? "32");
        var prefill = long.Parse(Value("--prefill") ?? "100000");
        if (duration is < 1 or > 300 || concurrency is < 1 or > 1024 || prefill is < 0 or > 10_000_000)
        {
            throw new ArgumentException("--duration 1–300 s, --concurrency 1–1024, --prefill 0–10000000");
        }

        return new LoadOptions(TimeSpan.FromSeconds(duration), concurrency, prefill, Value("--configuration") ?? BuiltAs);
    }
}
