using System.Text.Json;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Polls;

/// <summary>
/// <c>POST /api/dashboard/polls</c>'s body. <c>triggers</c> left out: "1".."N". <c>resultSeconds</c> left out: 15;
/// null: the result stays until dismissed. <c>durationSeconds</c> null (or left out): open until ended.
/// </summary>
public sealed record StartPollRequest(string? Question, List<PollOptionRequest?>? Options, int? DurationSeconds, string? Rule, JsonElement ResultSeconds)
{
    /// <summary>The definition as stored (trimmed, triggers in normal form), or the field errors of what cannot be read.</summary>
    public PollDefinition ToDefinition(Dictionary<string, string> errors)
    {
        int? result = PollRules.DefaultResultSeconds;
        if (ResultSeconds.ValueKind == JsonValueKind.Null)
        {
            result = null;
        }
        else if (ResultSeconds.ValueKind != JsonValueKind.Undefined)
        {
            result = ResultSeconds.ValueKind == JsonValueKind.Number && ResultSeconds.TryGetInt32(out var seconds) ? seconds : 0;
            if (result == 0)
            {
                errors["resultSeconds"] = "The result time must be a whole number of seconds, or null (until dismissed).";
            }
        }

        var options = (Options ?? []).Select((o, i) => new PollOption(
            (o?.Label ?? "").Trim(),
            o?.Triggers is null ? PollRules.DefaultTriggers(i) : TriggerList.Create([.. o.Triggers.Select(t => t ?? "")]).Normalized())).ToList();
        return new PollDefinition((Question ?? "").Trim(), options, DurationSeconds, Rule ?? PollRules.First, result);
    }
}

/// <summary>One option of <see cref="StartPollRequest"/>.</summary>
public sealed record PollOptionRequest(string? Label, List<string?>? Triggers);

/// <summary>One poll of <c>GET /api/dashboard/polls</c>; times are Unix ms.</summary>
public sealed record PollResult(Guid Id, string Question, IReadOnlyList<PollOptionView> Options, long TotalVotes, string Rule, string Status,
    long StartedAt, long? EndsAt, long? EndedAt, IReadOnlyList<int> Winners, IReadOnlyList<long> VotesPerMinute, int? DurationSeconds, int? ResultSeconds)
{
    public static PollResult From(PollRecord poll)
    {
        var view = poll.ToView(null);
        return new PollResult(poll.Id, view.Question, view.Options, view.TotalVotes, poll.Definition.Rule, poll.Status, view.StartedAt,
            view.EndsAt, view.EndedAt, view.Winners, poll.VotesPerMinute ?? [], poll.Definition.DurationSeconds, poll.Definition.ResultSeconds);
    }
}

/// <summary><c>GET /api/dashboard/polls/current</c>: the running poll, or the result the overlay shows now.</summary>
public sealed record CurrentPollResponse(PollView? Poll);

/// <summary><c>GET /api/dashboard/polls</c>: newest first.</summary>
public sealed record PollListResponse(IReadOnlyList<PollResult> Polls);
