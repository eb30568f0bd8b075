using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace ChatPulse.LoadTest;

/// <summary>
/// The tool's command line: a mode (a command; none is <c>webhook</c>) and options that every mode accepts. A bad
/// value is one line naming its option; <c>--help</c> lists the modes and every option with its default.
/// </summary>
public static class LoadCommandLine
{
#if DEBUG
    private const string BuiltAs = "Debug";
#else
    private const string BuiltAs = "Release";
#endif

    /// <summary>The outcome of reading the arguments: options to run with, or what to print and the exit code.</summary>
    public sealed record Reading(LoadOptions? Options, int ExitCode, ParseResult Parsed);

    private static readonly Option<int> Rounds = Whole("--rounds", 6, 1, 30, "Webhook: rounds of the round robin over the phases.");
    private static readonly Option<int> Slice = Whole("--slice", 2, 1, 60, "Webhook: seconds each phase runs per round.");
    private static readonly Option<int> Concurrency = Whole("--concurrency", 32, 1, 1024, "Webhook: connections, each sending its next request when answered.");
    private static readonly Option<long> Prefill = new("--prefill")
    {
        Description = "Webhook: votes put in the full channel's window before measuring (0–10000000).",
        DefaultValueFactory = _ => 100_000,
        CustomParser = result => Number(result, "--prefill", 100_000, 0, 10_000_000),
    };

    private static readonly Option<int[]> Channels = List("--channels", "1", 1, 10_000,
        "Webhook: channel counts, comma-separated: 1 runs the single-channel phases (empty and full window), each larger count a phase whose votes spread over that many watched channels with Zipf popularity (s = 1).");

    private static readonly Option<bool> AnyWord = new("--any-word")
    {
        Description = "Webhook: with the single-channel phases, one more: 10 triggers a side in any-word mode, 200-character messages (against the empty window's exact match).",
    };

    private static readonly Option<bool> Poll = new("--poll")
    {
        Description = "Webhook: with the single-channel phases, two more: a running 6-option poll (votes \"1\"..\"6\", each from a new chatter), new at each slice and with --prefill voters in it (against the empty window's mood votes).",
    };

    private static readonly Option<int[]> Rates = List("--rates", "1000,5000", 1, 100_000, "Overlay latency: webhook messages per second, comma-separated, one run each.");
    private static readonly Option<int> Seconds = Whole("--seconds", 10, 2, 60, "Overlay latency: seconds each rate runs.");
    private static readonly Option<int> Broadcasters = Whole("--broadcasters", 50, 1, 10_000, "Overlay latency: channels, each with connected overlays.");
    private static readonly Option<int> SocketsEach = Whole("--sockets-per-broadcaster", 2, 1, 100, "Overlay latency: overlay sockets per channel.");
    private static readonly Option<int> CapacitySockets = Whole("--capacity-sockets", 10_000, 1, 100_000, "Overlay capacity: sockets opened on the one replica.");
    private static readonly Option<int> CapacityBroadcasters = Whole("--capacity-broadcasters", 1000, 1, 100_000, "Overlay capacity: channels the sockets spread over.");
    private static readonly Option<int> CapacityHold = Whole("--capacity-hold", 30, 30, 600, "Overlay capacity: seconds the sockets are held (past the 25 s app-level ping).");
    private static readonly Option<int> Outage = Whole("--outage", 10, 1, 60, "Redis outage: seconds Redis is away.");
    private static readonly Option<int> OutageRate = Whole("--outage-rate", 2000, 1, 20_000, "Redis outage: votes per second.");
    private static readonly Option<int> OutageBroadcasters = Whole("--outage-broadcasters", 200, 1, 2000, "Redis outage: channels, one overlay socket each.");

    private static readonly Option<string> Configuration = new("--configuration")
    {
        Description = "Which build of ChatPulse.Api to start: Debug or Release.",
        DefaultValueFactory = _ => BuiltAs,
        Validators = { r => { if (r.GetValueOrDefault<string>() is not ("Debug" or "Release")) r.AddError($"--configuration must be Debug or Release, not '{r.GetValueOrDefault<string>()}'"); } },
    };

    private static readonly Option<string[]> ApiEnvironment = new("--api-env")
    {
        Description = "KEY=VALUE added to the API's environment (repeatable; last wins), e.g. DOTNET_gcServer=1.",
        Arity = ArgumentArity.ZeroOrMore,
        Validators = { r => { foreach (var kv in r.GetValueOrDefault<string[]>() ?? []) if (kv.Split('=', 2)[0].Length == 0) r.AddError($"--api-env takes KEY=VALUE, not '{kv}'"); } },
    };

    private static readonly Option<string?> Json = new("--json")
    {
        Description = "Also write the figures as JSON: to the file named, or alone to stdout (the table then goes to stderr).",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "file",
    };

    private static readonly RootCommand Root = Build();

    private static RootCommand Build()
    {
        var root = new RootCommand("ChatPulse load tool: starts Postgres, Redis and one API process on 127.0.0.1, measures, and stops them. Without a command it runs the webhook benchmark.");
        foreach (var option in new Option[] { Rounds, Slice, Concurrency, Prefill, Channels, AnyWord, Poll, Rates, Seconds, Broadcasters, SocketsEach, CapacitySockets,
                     CapacityBroadcasters, CapacityHold, Outage, OutageRate, OutageBroadcasters, Configuration, ApiEnvironment, Json })
        {
            option.Recursive = true;
            root.Options.Add(option);
        }

        // Parsing only: Program runs what the options say (a command without an action would be an error).
        root.SetAction(_ => 0);
        root.Subcommands.Add(new Command("webhook", "Signed chat votes vs. the HMAC-only baseline endpoint, one channel (empty and full window) and spread over --channels."));
        root.Subcommands.Add(new Command("overlay-latency", "Webhook to overlay frame, end to end, at each of --rates."));
        root.Subcommands.Add(new Command("overlay-capacity", "Many overlay sockets on one replica: working set and fan-out."));
        root.Subcommands.Add(new Command("overlay", "overlay-latency, then overlay-capacity."));
        root.Subcommands.Add(new Command("all", "Every benchmark above against one environment (not redis-outage)."));
        root.Subcommands.Add(new Command("redis-outage", "Alone, with a Redis of its own: votes while Redis is killed and comes back empty."));
        foreach (var mode in root.Subcommands)
        {
            mode.SetAction(_ => 0);
        }

        return root;
    }

    /// <summary>Reads <paramref name="args"/>; <see cref="Reading.Options"/> is null when the tool should only print (help, errors) and exit.</summary>
    public static Reading Read(string[] args, TextWriter error)
    {
        var parsed = Root.Parse(args);
        if (parsed.Action is HelpAction)
        {
            return new Reading(null, parsed.Invoke(), parsed);
        }

        var problems = parsed.Errors.Select(e => e.Message).ToList();
        LoadOptions? options = null;
        if (problems.Count == 0)
        {
            options = ToOptions(parsed);
            var phases = options.WebhookPhases;
            if (options.AnyWord && !options.Channels.Contains(1))
            {
                problems.Add("--any-word needs the single-channel phases: --channels must include 1");
            }

            if (options.Poll && !options.Channels.Contains(1))
            {
                problems.Add("--poll needs the single-channel phases: --channels must include 1");
            }

            if (options.Runs("webhook") && options.Rounds * options.Slice.TotalSeconds * phases > 60)
            {
                problems.Add($"--rounds × --slice × {phases} phases must be ≤ 60 s (the full window's prefill must stay in the 120 s window), not {options.Rounds * options.Slice.TotalSeconds * phases:0} s");
            }
        }

        foreach (var problem in problems)
        {
            error.WriteLine(problem); // one line each, no usage text: the option is named in it
        }

        return problems.Count == 0 ? new Reading(options, 0, parsed) : new Reading(null, 2, parsed);
    }

    private static LoadOptions ToOptions(ParseResult p)
    {
        var mode = p.CommandResult.Command == Root ? "webhook" : p.CommandResult.Command.Name;
        var environment = new Dictionary<string, string>();
        foreach (var kv in p.GetValue(ApiEnvironment) ?? [])
        {
            var pair = kv.Split('=', 2);
            environment[pair[0]] = pair.Length > 1 ? pair[1] : "";
        }

        return new LoadOptions(mode, p.GetValue(Rounds), TimeSpan.FromSeconds(p.GetValue(Slice)), p.GetValue(Concurrency), p.GetValue(Prefill),
            p.GetValue(Configuration)!, p.GetValue(Rates)!, TimeSpan.FromSeconds(p.GetValue(Seconds)), p.GetValue(Broadcasters), p.GetValue(SocketsEach),
            p.GetValue(CapacitySockets), p.GetValue(CapacityBroadcasters), TimeSpan.FromSeconds(p.GetValue(CapacityHold)), environment,
            TimeSpan.FromSeconds(p.GetValue(Outage)), p.GetValue(OutageRate), p.GetValue(OutageBroadcasters))
        {
            Channels = p.GetValue(Channels)!,
            AnyWord = p.GetValue(AnyWord),
            Poll = p.GetValue(Poll),
            Json = p.GetResult(Json) is null ? null : p.GetValue(Json) ?? "-",
        };
    }

    private static Option<int> Whole(string name, int defaultValue, int min, int max, string description) => new(name)
    {
        Description = $"{description} ({min}–{max})",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => (int)Number(result, name, defaultValue, min, max),
    };

    // One token, a whole number in [min, max]; otherwise one error naming the option (the parser's own message is a type name).
    private static long Number(ArgumentResult result, string name, long defaultValue, long min, long max)
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }

        var text = result.Tokens[0].Value;
        if (!long.TryParse(text, out var value) || value < min || value > max)
        {
            result.AddError($"{name} takes a whole number {min}–{max}, not '{text}'");
            return defaultValue;
        }

        return value;
    }

    // "1,1000": whole numbers in [min, max], each at most once.
    private static Option<int[]> List(string name, string defaultValue, int min, int max, string description) => new(name)
    {
        Description = $"{description} (each {min}–{max})",
        DefaultValueFactory = _ => [.. defaultValue.Split(',').Select(int.Parse)],
        HelpName = "n,n",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return [.. defaultValue.Split(',').Select(int.Parse)];
            }

            var values = new List<int>();
            foreach (var part in string.Join(',', result.Tokens.Select(t => t.Value)).Split(','))
            {
                if (!int.TryParse(part, out var value) || value < min || value > max)
                {
                    result.AddError($"{name} takes whole numbers {min}–{max}, comma-separated, not '{part}'");
                    return [];
                }

                if (!values.Contains(value))
                {
                    values.Add(value);
                }
            }

            return [.. values];
        },
    };
}
