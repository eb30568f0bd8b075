using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Votes;

public static class VotesExtensions
{
    /// <summary>Vote matching and counting, the window in Redis, the buffer that rides out a Redis outage, the cluster's ticker and "reset to center".</summary>
    public static IHostApplicationBuilder AddVotes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<VoteWindow>();
        builder.Services.AddSingleton<ExpiringVotes>();
        builder.Services.AddSingleton<VoteProcessor>();
        builder.Services.AddSingleton<VoteBuffer>();
        builder.Services.AddHostedService<VoteReplay>();
        builder.Services.AddSingleton<ISentimentSource, WindowSentimentSource>();
        builder.Services.AddHostedService<VoteTicker>();
        builder.Services.AddHostedService<VoteResetListener>();
        return builder;
    }
}

/// <summary>Empties a broadcaster's window when the dashboard resets it (<see cref="StreamerEventKind.VotesReset"/>).</summary>
internal sealed class VoteResetListener(StreamerEvents events, VoteWindow window, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Every replica hears the event; the first DEL wins and publishes the empty snapshot, the others find nothing.
        events.Subscribe(e => e.Kind == StreamerEventKind.VotesReset
            ? window.ResetAsync(e.BroadcasterId, time.GetUtcNow().ToUnixTimeMilliseconds())
            : Task.CompletedTask);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
