namespace ChatPulse.LoadTest;

/// <summary>Command line: <c>--rounds 6 --slice 2 --concurrency 32 --prefill 100000 --configuration Release</c>.</summary>
public sealed record LoadOptions(int Rounds, TimeSpan Slice, int Concurrency, long Prefill, string Configuration)
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

        var rounds = int.Parse(Value("--rounds") ?? "6");
        var slice = int.Parse(Value("--slice") ?? "2");
        var concurrency = int.Parse(Value("--concurrency") ?? "32");
        var prefill = long.Parse(Value("--prefill") ?? "100000");
        if (rounds < 1 || slice < 1 || rounds * slice * 3 > 60 || concurrency is < 1 or > 1024 || prefill is < 0 or > 10_000_000)
        {
            throw new ArgumentException("--rounds × --slice × 3 ≤ 60 s (the prefill must stay in the 120 s window), --concurrency 1–1024, --prefill 0–10000000");
        }

        return new LoadOptions(rounds, TimeSpan.FromSeconds(slice), concurrency, prefill, Value("--configuration") ?? BuiltAs);
    }
}
